using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Pipeline;
using VitalEvents.Storage;
using static VitalEvents.Feeds.Subscriptions.SubscriptionApi;

namespace VitalEvents.Feeds.Subscriptions;

/// <summary>Where to move a subscription's position: a cursor, or an instant (exactly one).</summary>
public sealed record RewindRequest(JsonElement? Cursor, string? Time);

/// <summary>Pause, resume, rewind and delete a subscription. A change wins over a delivery in flight.</summary>
public static class ControlSubscriptionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        MapStatus(app, "pause", "PauseSubscription", "Stop delivering to a subscription; its position is kept.",
            s => s.Status = SubscriptionStatus.Paused);
        MapStatus(app, "resume", "ResumeSubscription", "Deliver again, at once, from where the subscription stopped.", s =>
        {
            s.Status = SubscriptionStatus.Active;
            s.NextAttemptAt = null;
        });

        app.MapPost("/api/subscriptions/{id:guid}/rewind", async (Guid id, RewindRequest request, IDocumentStore store, FeedReader feed,
                StoreSettings settings, CancellationToken ct) =>
            {
                var hasCursor = request.Cursor is { ValueKind: not JsonValueKind.Null };
                if (hasCursor == (request.Time is not null))
                    return Invalid("subscription.rewindTarget", "Give either a cursor or a time to rewind to.");
                var end = await FeedEndAsync(settings, ct);
                long position;
                if (hasCursor)
                {
                    if (!TryCursor(request.Cursor!.Value, end, out position))
                        return Invalid("subscription.invalidCursor", $"cursor: '{request.Cursor}' is not a cursor from 0 to {end}.");
                }
                else if (await CursorAtAsync(feed, request.Time, ct) is { } atTime) position = atTime;
                else
                    return Invalid("subscription.invalidTime", $"time: '{request.Time}' is not an instant (such as 2025-03-21T10:00:00Z or 1404/01/01).");

                return await ChangeAsync(store, id, (s, _) =>
                {
                    s.Position = position;
                    s.Restart();
                    return Task.FromResult<IResult?>(null);
                }, Answer, ct);
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .WithName("RewindSubscription").WithTags(Tag)
            .WithSummary("Move a subscription's position to a cursor or to a time; what follows is delivered again (receivers de-duplicate by event id).")
            .Produces<SubscriptionView>();

        app.MapDelete("/api/subscriptions/{id:guid}", async (Guid id, IDocumentStore store, CancellationToken ct) =>
            {
                await using var session = store.LightweightSession();
                if (await session.LoadAsync<Subscription>(id, ct) is null) return NotFound(id);
                session.Delete<Subscription>(id);
                session.DeleteWhere<ParkedDelivery>(p => p.SubscriptionId == id);
                await session.SaveChangesAsync(ct);
                return Results.NoContent();
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .WithName("DeleteSubscription").WithTags(Tag)
            .WithSummary("End a subscription and forget its parked events.")
            .Produces(StatusCodes.Status204NoContent);
    }

    private static void MapStatus(IEndpointRouteBuilder app, string action, string name, string summary, Action<Subscription> change) =>
        app.MapPost($"/api/subscriptions/{{id:guid}}/{action}", (Guid id, IDocumentStore store, CancellationToken ct) =>
                ChangeAsync(store, id, (s, _) =>
                {
                    change(s);
                    return Task.FromResult<IResult?>(null);
                }, Answer, ct))
            .RequireAuthorization(Roles.AdminPolicy)
            .WithName(name).WithTags(Tag).WithSummary(summary)
            .Produces<SubscriptionView>();

    private static IResult Answer(Subscription s) => Results.Ok(SubscriptionView.Of(s));
}
