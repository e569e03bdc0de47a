using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Audit;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.History;

/// <summary>One page of a person's audit history, oldest first, after the period and event-type filters.</summary>
public sealed record HistoryPage(string NationalCode, IReadOnlyList<HistoryEntry> Entries, int Page, int PageSize, int Total);

/// <summary>A person's audit history, filtered and paged; every read is in the access log.</summary>
public sealed record GetHistoryQuery(string NationalCode, Period Period, IReadOnlySet<string>? Types, Paging Paging) : IQuery<HistoryPage?>, IRecordedRead
{
    public GetHistoryQuery(string nationalCode) : this(nationalCode, new Period(null, null), null, new Paging(1, Paging.MaxPageSize))
    {
    }

    public string Resource => AccessedResource.History;

    public string? Detail => string.Join('&', new[]
    {
        Period.From is { } from ? $"from={from:O}" : null, Period.To is { } to ? $"to={to:O}" : null,
        Types is null ? null : $"types={string.Join(',', Types.Order(StringComparer.Ordinal))}", $"page={Paging.Page}&pageSize={Paging.PageSize}",
    }.OfType<string>());
}

public sealed class GetHistoryHandler(IQuerySession session) : IQueryHandler<GetHistoryQuery, HistoryPage?>
{
    public async ValueTask<HistoryPage?> Handle(GetHistoryQuery query, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<PersonHistory>(query.NationalCode, cancellationToken) is not { } history) return null;
        var matching = history.Entries.Where(e => query.Period.Contains(e.RecordedAt) && (query.Types is null || query.Types.Contains(e.EventType))).ToList();
        return new HistoryPage(history.NationalCode, matching.Skip(query.Paging.Skip).Take(query.Paging.PageSize).ToList(), query.Paging.Page,
            query.Paging.PageSize, matching.Count);
    }
}

public static class GetHistoryEndpoint
{
    private static readonly HashSet<string> StoredEventNames = [.. EventNames.All.Values, DeathRegisteredV1.StoredName];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/persons/{nationalCode}/history", async Task<Results<Ok<HistoryPage>, ProblemHttpResult>> (string nationalCode, string? from,
                string? to, string? types, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
            {
                if (NationalCode.Validate(nationalCode, out var code) is { } error)
                    return Problems.Invalid(error, $"The path does not name a valid national code ({error}).");
                if (Period.TryParse(from, to, out var period) is { } periodError) return InvalidFilter(periodError);
                if (Paging.TryParse(page, pageSize, out var paging) is { } pagingError) return InvalidFilter(pagingError);
                var wanted = types?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                if (wanted?.FirstOrDefault(t => !StoredEventNames.Contains(t)) is { } unknown)
                    return InvalidFilter($"types: '{(unknown.Length > 60 ? unknown[..60] : unknown)}' is not a stored event name (such as {EventNames.All[typeof(DeathRegistered)]}).");
                return await mediator.Send(new GetHistoryQuery(code, period, wanted, paging), ct) is { } history
                    ? TypedResults.Ok(history)
                    : Problems.PersonNotFound(code);
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .RecordsReads()
            .ConditionalRead()
            .WithName("GetHistory")
            .WithSummary("A person's audit history, oldest first: one entry per event, with who, when, office, why, and old → new values of corrections; " +
                "filtered by period (from, to) and stored event names (types, comma-separated), paged (page, pageSize ≤ 200, default 50).");

    private static ProblemHttpResult InvalidFilter(string detail) => Problems.Invalid("history.invalidFilter", detail);
}
