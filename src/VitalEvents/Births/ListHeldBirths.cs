using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Births;

/// <summary>Births held as suspected duplicates, by status (and office), oldest first, one page.</summary>
public sealed record ListHeldBirthsQuery(string Status, string? OfficeCode, Paging Paging) : IQuery<Listing<BirthHold>>;

public sealed class ListHeldBirthsHandler(IQuerySession session) : IQueryHandler<ListHeldBirthsQuery, Listing<BirthHold>>
{
    public async ValueTask<Listing<BirthHold>> Handle(ListHeldBirthsQuery query, CancellationToken cancellationToken)
    {
        var matching = session.Query<BirthHold>().Where(h => h.Status == query.Status);
        if (query.OfficeCode is { } office) matching = matching.Where(h => h.OfficeCode == office);
        return await matching.PageAsync(q => q.OrderBy(h => h.HeldAt).ThenBy(h => h.Id), query.Paging, cancellationToken);
    }
}

public sealed record GetHeldBirthQuery(Guid HoldId) : IQuery<BirthHold?>;

public sealed class GetHeldBirthHandler(IQuerySession session) : IQueryHandler<GetHeldBirthQuery, BirthHold?>
{
    public async ValueTask<BirthHold?> Handle(GetHeldBirthQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<BirthHold>(query.HoldId, cancellationToken);
}

public static class ListHeldBirthsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/births/held", async Task<Results<Ok<Listing<BirthHold>>, ProblemHttpResult>> (
                [OneOf(typeof(BirthHold), nameof(BirthHold.Statuses))] string? status, string? office, int? page, int? pageSize,
                IMediator mediator, CancellationToken ct) =>
            {
                if (QueueFilter.TryParse(status, BirthHold.Statuses, BirthHold.Pending, office, null, page, pageSize, out var filter) is { } error)
                    return Problems.Invalid("birthHold.invalidFilter", error);
                return TypedResults.Ok(await mediator.Send(new ListHeldBirthsQuery(filter.Status, filter.OfficeCode, filter.Paging), ct));
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .ConditionalRead()
            .WithName("ListHeldBirths")
            .WithSummary("Births held as suspected duplicates, by status (pending by default) and office, oldest first, paged.");

        api.MapGet("/births/held/{holdId:guid}", async Task<Results<Ok<BirthHold>, ProblemHttpResult>> (Guid holdId, IMediator mediator, CancellationToken ct) =>
                Listings.Found(await mediator.Send(new GetHeldBirthQuery(holdId), ct), "birthHold.notFound", $"No held birth {holdId} exists."))
            .RequireAuthorization(Roles.ReadPolicy)
            .ConditionalRead()
            .WithName("GetHeldBirth")
            .WithSummary("One held birth and where it stands.");
    }
}
