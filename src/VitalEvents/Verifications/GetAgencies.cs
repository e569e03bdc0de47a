using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Verifications;

public sealed record ListAgenciesQuery : IQuery<IReadOnlyList<AgencyView>>;

public sealed class ListAgenciesHandler(IQuerySession session) : IQueryHandler<ListAgenciesQuery, IReadOnlyList<AgencyView>>
{
    public async ValueTask<IReadOnlyList<AgencyView>> Handle(ListAgenciesQuery query, CancellationToken cancellationToken) =>
        (await session.Query<Agency>().OrderBy(a => a.Id).ToListAsync(cancellationToken)).Select(AgencyView.Of).ToList();
}

public sealed record GetAgencyQuery(string Id) : IQuery<AgencyView?>;

public sealed class GetAgencyHandler(IQuerySession session) : IQueryHandler<GetAgencyQuery, AgencyView?>
{
    public async ValueTask<AgencyView?> Handle(GetAgencyQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<Agency>(query.Id, cancellationToken) is { } agency ? AgencyView.Of(agency) : null;
}

public static class GetAgenciesEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/agencies", async Task<Ok<IReadOnlyList<AgencyView>>> (IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListAgenciesQuery(), ct)))
            .RequireAuthorization(Roles.AdminPolicy)
            .ConditionalRead()
            .WithName("ListAgencies")
            .WithSummary("Every agency registered to verify identities, by id, with its terms and status; admins only.");

        api.MapGet("/agencies/{id}", async Task<Results<Ok<AgencyView>, ProblemHttpResult>> (string id, IMediator mediator, CancellationToken ct) =>
                Listings.Found(await mediator.Send(new GetAgencyQuery(id), ct), "agency.notFound", $"There is no agency {id}."))
            .RequireAuthorization(Roles.AdminPolicy)
            .ConditionalRead()
            .WithName("GetAgency")
            .WithSummary("One agency with its terms and status; the ETag starts with its version, for If-Match on a change. Admins only.");
    }
}
