using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Pipeline;

namespace VitalEvents.Marriages;

public static class GetMarriageEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/marriages/{marriageId:guid}", async (Guid marriageId, IQuerySession session, CancellationToken ct) =>
                await session.LoadAsync<MarriageRecord>(marriageId, ct) is { } marriage
                    ? Results.Ok(marriage)
                    : Problems.Of(StatusCodes.Status404NotFound, "marriage.notFound", $"No marriage {marriageId} is registered."))
            .RequireAuthorization(Roles.ReadPolicy)
            .WithName("GetMarriage").WithTags("Marriages")
            .WithSummary("A marriage: the spouses, kind, date, and how and when it ended.")
            .Produces<MarriageRecord>();
}
