using System.Globalization;
using VitalEvents.Domain;

namespace VitalEvents.Web.Shared;

/// <summary>Form text as the registry's requests take it.</summary>
public static class FormValues
{
    /// <summary>
    /// A whole number typed in Persian or Latin digits; null when blank. Text that is no number becomes one outside every range,
    /// so the registry refuses it as it refuses any number out of range.
    /// </summary>
    public static int? Number(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return int.TryParse(PersianText.AsciiDigits(text.Trim()), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MinValue;
    }

    /// <summary>Blank text as no value.</summary>
    public static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
