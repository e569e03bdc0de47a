using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.BirthNotifications;

public sealed record ListFacilitiesQuery : IQuery<IReadOnlyList<FacilityView>>;

public sealed class ListFacilitiesHandler(IQuerySession session) : IQueryHandler<ListFacilitiesQuery, IReadOnlyList<FacilityView>>
{
    public async ValueTask<IReadOnlyList<FacilityView>> Handle(ListFacilitiesQuery query, CancellationToken cancellationToken) =>
        (await session.Query<Facility>().OrderBy(f => f.Id).ToListAsync(cancellationToken)).Select(FacilityView.Of).ToList();
}

public sealed record GetFacilityQuery(string Id) : IQuery<FacilityView?>;

public sealed class GetFacilityHandler(IQuerySession session) : IQueryHandler<GetFacilityQuery, FacilityView?>
{
    public async ValueTask<FacilityView?> Handle(GetFacilityQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<Facility>(query.Id, cancellationToken) is { } facility ? FacilityView.Of(facility) : null;
}

public static class GetFacilitiesEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/facilities", async Task<Ok<IReadOnlyList<FacilityView>>> (IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListFacilitiesQuery(), ct)))
            .RequireAuthorization(Roles.AdminPolicy)
            .ConditionalRead()
            .WithName("ListFacilities")
            .WithSummary("Every facility registered to notify births, by id; admins only.");

        api.MapGet("/facilities/{id}", async Task<Results<Ok<FacilityView>, ProblemHttpResult>> (string id, IMediator mediator, CancellationToken ct) =>
                Listings.Found(await mediator.Send(new GetFacilityQuery(id), ct), "facility.notFound", $"There is no facility {id}."))
            .RequireAuthorization(Roles.AdminPolicy)
            .ConditionalRead()
            .WithName("GetFacility")
            .WithSummary("One facility; the ETag starts with its version, for If-Match on a change. Admins only.");
    }
}
