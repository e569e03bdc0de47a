using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Marriages;

public sealed record GetMarriageQuery(Guid MarriageId) : IQuery<MarriageRecord?>;

public sealed class GetMarriageHandler(IQuerySession session) : IQueryHandler<GetMarriageQuery, MarriageRecord?>
{
    public async ValueTask<MarriageRecord?> Handle(GetMarriageQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<MarriageRecord>(query.MarriageId, cancellationToken);
}

public static class GetMarriageEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/marriages/{marriageId:guid}", async Task<Results<Ok<MarriageRecord>, ProblemHttpResult>> (Guid marriageId, IMediator mediator,
                CancellationToken ct) =>
                Listings.Found(await mediator.Send(new GetMarriageQuery(marriageId), ct), "marriage.notFound", $"No marriage {marriageId} is registered."))
            .RequireAuthorization(Roles.ReadPolicy)
            .ConditionalRead()
            .WithName("GetMarriage")
            .WithSummary("A marriage: the spouses, kind, date, and how and when it ended.");
}
