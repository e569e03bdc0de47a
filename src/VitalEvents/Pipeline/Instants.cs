using System.Globalization;
using VitalEvents.Domain;

namespace VitalEvents.Pipeline;

/// <summary>
/// Reads an instant from a query string: ISO 8601 date-time, or a date (ISO or Solar Hijri) meaning the end of that day
/// in Tehran. Always in UTC, as PostgreSQL's timestamptz parameters must be, and within the dates the registry records.
/// </summary>
public static class Instants
{
    public static string? TryParse(string text, out DateTimeOffset instant)
    {
        instant = default;
        var trimmed = PersianText.AsciiDigits(text.Trim());
        if (trimmed.Contains('T'))
        {
            if (!DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                || parsed.UtcDateTime is var utc && (DateOnly.FromDateTime(utc) < SolarHijri.MinDate || DateOnly.FromDateTime(utc) > SolarHijri.MaxDate))
                return $"'{Shown(text)}' is not an instant from {SolarHijri.MinDate:yyyy-MM-dd} to {SolarHijri.MaxDate:yyyy-MM-dd} (expected ISO 8601 such as 2025-03-21T10:00:00Z, or a date such as 1404/01/01).";
            instant = new DateTimeOffset(parsed.UtcDateTime, TimeSpan.Zero);
            return null;
        }
        if (SolarHijri.TryParse(trimmed, out var date) is { } error) return error;
        instant = Tehran.EndOfDay(date).ToUniversalTime();
        return null;
    }

    private static string Shown(string text) => TextRules.IsAcceptable(text) && text.Length <= 40 ? text : "(the value)";
}
