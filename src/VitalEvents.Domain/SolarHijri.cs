using System.Globalization;

namespace VitalEvents.Domain;

/// <summary>Dates as the registry reads and writes them: ISO 8601 (2025-03-21) or Solar Hijri (1404/01/01).</summary>
public static class SolarHijri
{
    private static readonly PersianCalendar Calendar = new();

    /// <summary>The first date the registry records (docs/domain.md, "Dates"): 1800-01-01, 1178/10/11 in Solar Hijri.</summary>
    public static readonly DateOnly MinDate = new(1800, 1, 1);

    /// <summary>The last date the registry records: 2200-12-31 (terms and waiting periods may lie ahead).</summary>
    public static readonly DateOnly MaxDate = new(2200, 12, 31);

    /// <summary>Parses ISO or Solar Hijri (the slash marks it; Persian digits allowed). Returns an error message, or null on success.</summary>
    public static string? TryParse(string? input, out DateOnly date)
    {
        date = default;
        var text = PersianText.AsciiDigits((input ?? string.Empty).Trim());
        if (text.Length == 0) return "A date is required.";
        if (text.Contains('/'))
        {
            var parts = text.Split('/');
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var d))
                return $"'{input}' is not a Solar Hijri date (expected yyyy/mm/dd, e.g. 1404/01/01).";
            if (y is < 1 or > 9377) return $"Solar Hijri year {y} is out of range.";
            if (m is < 1 or > 12) return $"Solar Hijri month {m} does not exist.";
            var daysInMonth = Calendar.GetDaysInMonth(y, m);
            if (d < 1 || d > daysInMonth)
                return $"Solar Hijri {y}/{m:D2} has {daysInMonth} days; day {d} does not exist.";
            date = DateOnly.FromDateTime(Calendar.ToDateTime(y, m, d, 0, 0, 0, 0));
            return InRange(input, date);
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            ? InRange(input, date)
            : $"'{input}' is not a date (expected ISO 2025-03-21 or Solar Hijri 1404/01/01).";
    }

    private static string? InRange(string? input, DateOnly date) => date < MinDate || date > MaxDate
        ? $"'{input}' is outside the dates the registry records ({MinDate:yyyy-MM-dd} to {MaxDate:yyyy-MM-dd})."
        : null;

    /// <summary>The Solar Hijri form of a date, yyyy/mm/dd.</summary>
    public static string Format(DateOnly date)
    {
        var (y, m, d) = Parts(date);
        return string.Create(10, (y, m, d), static (chars, p) =>
        {
            p.y.TryFormat(chars[..4], out _, "D4", CultureInfo.InvariantCulture);
            chars[4] = chars[7] = '/';
            p.m.TryFormat(chars.Slice(5, 2), out _, "D2", CultureInfo.InvariantCulture);
            p.d.TryFormat(chars.Slice(8, 2), out _, "D2", CultureInfo.InvariantCulture);
        });
    }

    /// <summary>The Solar Hijri year a date falls in.</summary>
    public static int Year(DateOnly date) => Parts(date).Year;

    /// <summary>The Solar Hijri year and month (1 Farvardin to 12 Esfand) a date falls in.</summary>
    public static (int Year, int Month) YearMonth(DateOnly date)
    {
        var (year, month, _) = Parts(date);
        return (year, month);
    }

    // PersianCalendar computes each date astronomically (tens of microseconds); projections and every response format dates by
    // the hundred thousand. Its own first day of each year (1 Farvardin) is taken once; within a year the months are fixed:
    // six of 31 days, five of 30, then Esfand.
    private const int FirstYear = 1100, LastYear = 1700;
    private static readonly Lazy<int[]> Nowruz = new(() =>
        [.. Enumerable.Range(FirstYear, LastYear - FirstYear + 2).Select(y => DateOnly.FromDateTime(Calendar.ToDateTime(y, 1, 1, 0, 0, 0, 0)).DayNumber)]);

    private static (int Year, int Month, int Day) Parts(DateOnly date)
    {
        var starts = Nowruz.Value;
        var day = date.DayNumber;
        if (day < starts[0] || day >= starts[^1])
        {
            var dt = date.ToDateTime(TimeOnly.MinValue);
            return (Calendar.GetYear(dt), Calendar.GetMonth(dt), Calendar.GetDayOfMonth(dt));
        }
        var index = Array.BinarySearch(starts, day);
        if (index < 0) index = ~index - 1;
        var ofYear = day - starts[index];
        return ofYear < 186 ? (FirstYear + index, ofYear / 31 + 1, ofYear % 31 + 1) : (FirstYear + index, (ofYear - 186) / 30 + 7, (ofYear - 186) % 30 + 1);
    }

    /// <summary>The Solar Hijri form of an optional date.</summary>
    public static string? Format(DateOnly? date) => date is { } d ? Format(d) : null;
}
