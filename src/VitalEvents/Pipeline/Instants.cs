using System.Globalization;
using VitalEvents.Domain;

namespace VitalEvents.Pipeline;

/// <summary>
/// Reads an instant from a query string: ISO 8601 date-time, or a date (ISO or Solar Hijri) meaning the end of that day
/// in Tehran. Always in UTC, as PostgreSQL's timestamptz parameters must be.
/// </summary>
public static class Instants
{
    public static string? TryParse(string text, out DateTimeOffset instant)
    {
        var trimmed = PersianText.AsciiDigits(text.Trim());
        if (trimmed.Contains('T') && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
        {
            instant = instant.ToUniversalTime();
            return null;
        }
        if (SolarHijri.TryParse(trimmed, out var date) is null)
        {
            instant = Tehran.EndOfDay(date).ToUniversalTime();
            return null;
        }
        instant = default;
        return $"'{text}' is not an instant (expected ISO 8601 such as 2025-03-21T10:00:00Z, or a date such as 1404/01/01).";
    }
}
