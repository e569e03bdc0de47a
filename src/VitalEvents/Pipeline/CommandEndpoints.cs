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

    /// <summary>
    /// Maps the checker's two answers to something a maker asked for: POST {pattern}/{accept} and POST {pattern}/reject
    /// (with a reason), for supervisors. The command is built from the id, accepted or not, the reason, and the checker.
    /// </summary>
    public static void MapChecker<TResponse>(this IEndpointRouteBuilder app, string pattern, string accept,
        Func<Guid, bool, string?, string, ICommand<TResponse>> command, string tag, (string Name, string Summary) accepted,
        (string Name, string Summary) rejected)
    {
        app.MapPost($"{pattern}/{accept}", (Guid id, IMediator mediator, RequestContext context, CancellationToken ct) =>
                mediator.Send(command(id, true, null, context.UserId), ct))
            .RequireAuthorization(Roles.SupervisePolicy)
            .WithName(accepted.Name).WithTags(tag).WithSummary(accepted.Summary);

        app.MapPost($"{pattern}/reject", (Guid id, RejectRequest request, IMediator mediator, RequestContext context, CancellationToken ct) =>
                mediator.Send(command(id, false, request.Reason, context.UserId), ct))
            .RequireAuthorization(Roles.SupervisePolicy)
            .WithName(rejected.Name).WithTags(tag).WithSummary(rejected.Summary);
    }
}

/// <summary>A checker's refusal, with its reason.</summary>
public sealed record RejectRequest(string? Reason);
