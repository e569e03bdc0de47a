using System.Globalization;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Audit;

/// <summary>One page of a list read from the query string: page (1-based) and pageSize (1..200, default 50).</summary>
public sealed record Paging(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = int.MaxValue / MaxPageSize;

    public int Skip => (Page - 1) * PageSize;

    /// <summary>Reads page and pageSize; returns why they are not acceptable, or null.</summary>
    public static string? TryParse(string? page, string? pageSize, out Paging paging)
    {
        paging = new Paging(1, DefaultPageSize);
        if (!TryInt(page, 1, out var number) || number is < 1 or > MaxPage) return $"page must be a whole number from 1 to {MaxPage}; '{page}' is not.";
        if (!TryInt(pageSize, DefaultPageSize, out var size) || size is < 1 or > MaxPageSize)
            return $"pageSize must be a whole number from 1 to {MaxPageSize}; '{pageSize}' is not.";
        paging = new Paging(number, size);
        return null;
    }

    private static bool TryInt(string? text, int absent, out int value)
    {
        value = absent;
        return text is null || int.TryParse(PersianText.AsciiDigits(text.Trim()), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>
/// A period of recorded time read from the query string, both ends optional and inclusive. A date-time is taken as it is; a
/// date (ISO or Solar Hijri) covers that whole day in Tehran: from its first instant when it is the start, to its last when it is the end.
/// </summary>
public sealed record Period(DateTimeOffset? From, DateTimeOffset? To)
{
    public bool Contains(DateTimeOffset instant) => (From is null || instant >= From) && (To is null || instant <= To);

    /// <summary>Reads from and to; returns why they are not acceptable, or null.</summary>
    public static string? TryParse(string? from, string? to, out Period period)
    {
        period = new Period(null, null);
        DateTimeOffset? start = null, end = null;
        if (from is not null)
        {
            if (Instants.TryParse(from, out var endOfFrom) is { } error) return $"from: {error}";
            start = IsDate(from) ? endOfFrom.AddDays(-1).AddTicks(1) : endOfFrom;
        }
        if (to is not null)
        {
            if (Instants.TryParse(to, out var endOfTo) is { } error) return $"to: {error}";
            end = endOfTo;
        }
        if (start > end) return $"from ({from}) is after to ({to}).";
        period = new Period(start, end);
        return null;
    }

    // Instants reads a text without a time as a day and gives that day's last instant.
    private static bool IsDate(string text) => !text.Contains('T');
}
