using System.Text.Json.Serialization;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Pipeline;

namespace VitalEvents.Http;

/// <summary>A checker's answer to what a maker asked for: accepted (no reason), or refused with a reason.</summary>
public sealed record CheckerDecision(Guid Id, string? Reason);

/// <summary>A checker's refusal, with its reason.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RejectRequest(string? Reason);

public static class Checker
{
    /// <summary>
    /// Maps the checker's two answers to something a maker asked for: POST {pattern}/{accept} and POST {pattern}/reject
    /// (with a reason), for supervisors.
    /// </summary>
    public static void MapChecker<TResponse>(this IEndpointRouteBuilder api, string pattern, string accept,
        Func<CheckerDecision, ICommand<TResponse>> command, (string Name, string Summary) accepted, (string Name, string Summary) rejected)
    {
        api.MapPost($"{pattern}/{accept}", async Task<Ok<TResponse>> (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command(new CheckerDecision(id, null)), ct)))
            .RequireAuthorization(Roles.SupervisePolicy)
            .Writes()
            .WithName(accepted.Name).WithSummary(accepted.Summary);

        api.MapPost($"{pattern}/reject", async Task<Ok<TResponse>> (Guid id, RejectRequest? request, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command(Validator.Parse(request, (r, v) => new CheckerDecision(id, v.Text("reason", r.Reason, 1000)))), ct)))
            .RequireAuthorization(Roles.SupervisePolicy)
            .Writes()
            .WithName(rejected.Name).WithSummary(rejected.Summary);
    }
}
