using System.Globalization;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Web.Shared;

/// <summary>How the console writes numbers, dates and instants: Persian digits on a Persian page, Solar Hijri first with the Gregorian twin.</summary>
public static class Show
{
    /// <summary>The text with its ASCII digits written as Persian digits on a Persian page.</summary>
    public static string Digits(string? text)
    {
        if (string.IsNullOrEmpty(text) || !Language.IsPersian) return text ?? string.Empty;
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = source[i] is >= '0' and <= '9' ? (char)('۰' + (source[i] - '0')) : source[i];
        });
    }

    public static string Digits(long number) => Digits(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>A date in the Solar Hijri calendar (<c>۱۴۰۴/۰۱/۰۱</c>).</summary>
    public static string SolarHijri(DateOnly date) => Digits(Domain.SolarHijri.Format(date));

    /// <summary>The same date in the Gregorian calendar, ISO 8601 (<c>2025-03-21</c>).</summary>
    public static string Gregorian(DateOnly date) => Digits(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>An instant as Tehran's clock showed it: Solar Hijri date and time of day.</summary>
    public static string Instant(DateTimeOffset instant)
    {
        var local = instant.ToOffset(Tehran.Offset);
        return $"{SolarHijri(DateOnly.FromDateTime(local.DateTime))} {Digits(local.ToString("HH:mm", CultureInfo.InvariantCulture))}";
    }

    /// <summary>The instant in UTC, ISO 8601, for a <c>datetime</c> attribute.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The national code, in the page's digits, left to right.</summary>
    public static string Code(string? nationalCode) => Digits(nationalCode);

    /// <summary>Whole years of age on a day.</summary>
    public static int Age(DateOnly birth, DateOnly on) => RegistryLaw.AgeOn(birth, on);

    /// <summary>The office's name in the page's language, with its code.</summary>
    public static string Office(string? code)
    {
        if (Offices.Find(code) is not { } office) return Digits(code);
        var name = Language.IsPersian ? office.County : office.CountyEnglish ?? office.County;
        return $"{name} ({Digits(office.Code)})";
    }
}
