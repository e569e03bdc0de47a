using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Audit;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.History;

/// <summary>One page of a person's audit history, oldest first, after the period and event-type filters.</summary>
public sealed record HistoryPage(string NationalCode, IReadOnlyList<HistoryEntry> Entries, int Page, int PageSize, int Total);

public static class GetHistoryEndpoint
{
    private static readonly HashSet<string> StoredEventNames = EventNames.All.Values.ToHashSet(StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/persons/{nationalCode}/history", async (string nationalCode, string? from, string? to, string? types, string? page,
                string? pageSize, IQuerySession session, CancellationToken ct) =>
            {
                if (NationalCode.Validate(nationalCode, out var code) is { } error)
                    return Problems.Of(StatusCodes.Status400BadRequest, error, $"'{nationalCode}' is not a valid national code.");
                if (Period.TryParse(from, to, out var period) is { } periodError) return InvalidFilter(periodError);
                if (Paging.TryParse(page, pageSize, out var paging) is { } pagingError) return InvalidFilter(pagingError);
                var wanted = types?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                if (wanted?.FirstOrDefault(t => !StoredEventNames.Contains(t)) is { } unknown)
                    return InvalidFilter($"types: '{unknown}' is not a stored event name (such as {EventNames.All[typeof(DeathRegistered)]}).");

                if (await session.LoadAsync<PersonHistory>(code, ct) is not { } history) return Problems.PersonNotFound(code);
                var matching = history.Entries
                    .Where(e => period.Contains(e.RecordedAt) && (wanted is null || wanted.Contains(e.EventType)))
                    .ToList();
                return Results.Ok(new HistoryPage(history.NationalCode, matching.Skip(paging.Skip).Take(paging.PageSize).ToList(),
                    paging.Page, paging.PageSize, matching.Count));
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .RecordsReadsOf(AccessedResource.History)
            .WithName("GetHistory").WithTags("History")
            .WithSummary("A person's audit history, oldest first: one entry per event, with who, when, office, why, and old → new values of corrections; " +
                "filtered by period (from, to) and stored event names (types, comma-separated), paged (page, pageSize ≤ 200, default 50).")
            .Produces<HistoryPage>();

    private static IResult InvalidFilter(string detail) => Problems.Of(StatusCodes.Status400BadRequest, "history.invalidFilter", detail);
}
