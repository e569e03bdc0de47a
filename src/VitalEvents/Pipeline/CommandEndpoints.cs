using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace VitalEvents.Pipeline;

public static class CommandEndpoints
{
    /// <summary>Maps a POST that records something new: the body becomes a command, the answer is 201 with its location.</summary>
    public static RouteHandlerBuilder MapRecord<TRequest, TResponse>(this IEndpointRouteBuilder app, string pattern,
        Func<TRequest, ICommand<TResponse>> command, Func<TResponse, string> location, string name, string tag, string summary) =>
        app.MapPost(pattern, async (TRequest request, IMediator mediator, CancellationToken ct) =>
            {
                var recorded = await mediator.Send(command(request), ct);
                return Results.Created(location(recorded), recorded);
            })
            .RequireAuthorization(Roles.RecordPolicy)
            .WithName(name).WithTags(tag).WithSummary(summary)
            .Produces<TResponse>(StatusCodes.Status201Created);
}
