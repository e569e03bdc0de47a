using VitalEvents.Pipeline;

namespace VitalEvents.Http;

/// <summary>One page of a list read from the query string: page (1-based) and pageSize (1..200, default 50).</summary>
public sealed record Paging(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 1_000_000;

    public int Skip => (Page - 1) * PageSize;

    /// <summary>Reads page and pageSize; returns why they are not acceptable, or null.</summary>
    public static string? TryParse(int? page, int? pageSize, out Paging paging, int defaultPageSize = DefaultPageSize, int maxPageSize = MaxPageSize)
    {
        paging = new Paging(page ?? 1, pageSize ?? defaultPageSize);
        if (paging.Page is < 1 or > MaxPage) return $"page must be a whole number from 1 to {MaxPage}; {page} is not.";
        if (paging.PageSize < 1 || paging.PageSize > maxPageSize) return $"pageSize must be a whole number from 1 to {maxPageSize}; {pageSize} is not.";
        return null;
    }
}

/// <summary>One page of a list, with how many items match in all.</summary>
public sealed record Listing<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

public static class Listings
{
    /// <summary>One page of an ordered query and the number of items the query matches.</summary>
    public static async Task<Listing<T>> PageAsync<T>(this IQueryable<T> matching, Func<IQueryable<T>, IOrderedQueryable<T>> order, Paging paging,
        CancellationToken ct) where T : notnull
    {
        var total = await Marten.QueryableExtensions.CountAsync(matching, ct);
        var items = await Marten.QueryableExtensions.ToListAsync(order(matching).Skip(paging.Skip).Take(paging.PageSize), ct);
        return new Listing<T>(items, paging.Page, paging.PageSize, total);
    }

    /// <summary>200 with what was found, or a 404 problem.</summary>
    public static Results<Ok<T>, ProblemHttpResult> Found<T>(T? found, string code, string detail) =>
        found is not null ? TypedResults.Ok(found) : Problems.NotFound(code, detail);
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

/// <summary>A queue's filter read from the query string: a status (its default when absent), an office, a person, one page.</summary>
public sealed record QueueFilter(string Status, string? OfficeCode, string? NationalCode, Paging Paging)
{
    /// <summary>Reads the filter; returns why it is not acceptable, or null.</summary>
    public static string? TryParse(string? status, string[] statuses, string defaultStatus, string? office, string? nationalCode, int? page,
        int? pageSize, out QueueFilter filter)
    {
        filter = new QueueFilter(status ?? defaultStatus, Domain.Offices.Find(office)?.Code, null, new Paging(1, Paging.DefaultPageSize));
        if (!statuses.Contains(filter.Status)) return $"status must be one of: {string.Join(", ", statuses)}.";
        if (office is not null && filter.OfficeCode is null) return "office is not a registry office.";
        if (nationalCode is not null)
        {
            if (Domain.NationalCode.Validate(nationalCode, out var code) is { } codeError) return $"nationalCode is not a valid national code ({codeError}).";
            filter = filter with { NationalCode = code };
        }
        if (Paging.TryParse(page, pageSize, out var paging) is { } pagingError) return pagingError;
        filter = filter with { Paging = paging };
        return null;
    }
}
