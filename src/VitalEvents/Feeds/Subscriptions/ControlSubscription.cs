using System.Text.Json.Serialization;
using System.Text.Json;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Feeds.Subscriptions;

/// <summary>Where to move a subscription's position: a cursor, or an instant (exactly one).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RewindRequest(JsonElement? Cursor = null, string? Time = null)
{
    public StartPoint Parse(Validator v)
    {
        var hasCursor = Cursor is { ValueKind: not JsonValueKind.Null };
        if (hasCursor == (Time is not null))
        {
            v.Fail("", "subscription.rewindTarget", "Give either a cursor or a time to rewind to.");
            return StartPoint.End;
        }
        if (hasCursor) return StartPoint.Parse("cursor", Cursor!.Value, v) is { Cursor: not null } cursor ? cursor : Invalid(v, "cursor");
        if (!TextRules.IsAcceptable(Time!) || Instants.TryParse(Time!, out var instant) is not null) return Invalid(v, "time");
        return new StartPoint(null, instant);
    }

    private static StartPoint Invalid(Validator v, string field)
    {
        if (v.Errors.All(e => e.Field != field))
            v.Fail(field, field == "cursor" ? "subscription.invalidCursor" : "subscription.invalidTime",
                field == "cursor" ? "cursor is a whole number from 0 to the end of the feed." : "time is an instant such as 2025-03-21T10:00:00Z or 1404/01/01.");
        return StartPoint.End;
    }
}

/// <summary>A change an admin makes to a subscription; it wins over a delivery in flight (retried on the newer version).</summary>
public sealed record ControlSubscriptionCommand(Guid Id, string Action, StartPoint? RewindTo = null) : ICommand<SubscriptionView>, IRetriedOnConflict
{
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Rewind = "rewind";
}

public sealed class ControlSubscriptionHandler(IDocumentSession session, FeedReader feed) : ICommandHandler<ControlSubscriptionCommand, SubscriptionView>
{
    public async ValueTask<SubscriptionView> Handle(ControlSubscriptionCommand command, CancellationToken cancellationToken)
    {
        var subscription = await SubscriptionLookup.LoadAsync(session, command.Id, cancellationToken);
        switch (command.Action)
        {
            case ControlSubscriptionCommand.Pause:
                subscription.Status = SubscriptionStatus.Paused;
                break;
            case ControlSubscriptionCommand.Resume:
                subscription.Status = SubscriptionStatus.Active;
                subscription.NextAttemptAt = null;
                break;
            default:
                subscription.Position = await command.RewindTo!.ResolveAsync(command.RewindTo.Cursor is null ? "time" : "cursor", feed, cancellationToken);
                subscription.Restart();
                break;
        }
        session.Update(subscription);
        return SubscriptionView.Of(subscription);
    }
}

public sealed record DeleteSubscriptionCommand(Guid Id) : ICommand<bool>, IRetriedOnConflict;

public sealed class DeleteSubscriptionHandler(IDocumentSession session) : ICommandHandler<DeleteSubscriptionCommand, bool>
{
    public async ValueTask<bool> Handle(DeleteSubscriptionCommand command, CancellationToken cancellationToken)
    {
        await SubscriptionLookup.LoadAsync(session, command.Id, cancellationToken);
        session.Delete<Subscription>(command.Id);
        session.DeleteWhere<ParkedDelivery>(p => p.SubscriptionId == command.Id);
        return true;
    }
}

/// <summary>Pause, resume, rewind and delete a subscription.</summary>
public static class ControlSubscriptionEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        MapStatus(api, ControlSubscriptionCommand.Pause, "PauseSubscription", "Stop delivering to a subscription; its position is kept.");
        MapStatus(api, ControlSubscriptionCommand.Resume, "ResumeSubscription", "Deliver again, at once, from where the subscription stopped.");

        api.MapPost("/subscriptions/{id:guid}/rewind", async Task<Ok<SubscriptionView>> (Guid id, RewindRequest? request, IMediator mediator,
                CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ControlSubscriptionCommand(id, ControlSubscriptionCommand.Rewind,
                    Validator.Parse(request, (r, v) => r.Parse(v))), ct)))
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes()
            .WithName("RewindSubscription")
            .WithSummary("Move a subscription's position to a cursor or to a time; what follows is delivered again (receivers de-duplicate by event id).");

        api.MapDelete("/subscriptions/{id:guid}", async Task<NoContent> (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new DeleteSubscriptionCommand(id), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes()
            .WithName("DeleteSubscription")
            .WithSummary("End a subscription and forget its parked events.");
    }

    private static void MapStatus(IEndpointRouteBuilder api, string action, string name, string summary) =>
        api.MapPost($"/subscriptions/{{id:guid}}/{action}", async Task<Ok<SubscriptionView>> (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ControlSubscriptionCommand(id, action), ct)))
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes()
            .WithName(name)
            .WithSummary(summary);
}
