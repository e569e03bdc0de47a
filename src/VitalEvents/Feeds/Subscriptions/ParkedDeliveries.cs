using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Pipeline;
using static VitalEvents.Feeds.Subscriptions.SubscriptionApi;

namespace VitalEvents.Feeds.Subscriptions;

/// <summary>The events a subscription gave up on, and replaying them.</summary>
public static class ParkedDeliveriesEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/subscriptions/{id:guid}/parked", async (Guid id, IDocumentStore store, CancellationToken ct) =>
            {
                await using var session = store.QuerySession();
                if (await session.LoadAsync<Subscription>(id, ct) is null) return NotFound(id);
                var parked = await session.Query<ParkedDelivery>().Where(p => p.SubscriptionId == id).OrderBy(p => p.Sequence).ToListAsync(ct);
                return Results.Ok(parked.Select(ParkedView.Of).ToList());
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .WithName("ListParkedDeliveries").WithTags(Tag)
            .WithSummary("The events delivery gave up on, in order, with their attempts and last error.")
            .Produces<List<ParkedView>>();

        app.MapPost("/api/subscriptions/{id:guid}/parked/{sequence:long}/replay", (Guid id, long sequence, IDocumentStore store, CancellationToken ct) =>
                Replay(store, id, sequence, ct))
            .RequireAuthorization(Roles.AdminPolicy)
            .WithName("ReplayParkedDelivery").WithTags(Tag)
            .WithSummary("Deliver a parked event again, ahead of new events; it leaves the parked list once delivered.")
            .Produces<List<ParkedView>>(StatusCodes.Status202Accepted);

        app.MapPost("/api/subscriptions/{id:guid}/parked/replay", (Guid id, IDocumentStore store, CancellationToken ct) => Replay(store, id, null, ct))
            .RequireAuthorization(Roles.AdminPolicy)
            .WithName("ReplayParkedDeliveries").WithTags(Tag)
            .WithSummary("Deliver every parked event again, in order, ahead of new events; each leaves the parked list once delivered.")
            .Produces<List<ParkedView>>(StatusCodes.Status202Accepted);
    }

    /// <summary>Queues parked events for the worker (one, or all when <paramref name="sequence"/> is null): 202 with what is queued.</summary>
    private static Task<IResult> Replay(IDocumentStore store, Guid id, long? sequence, CancellationToken ct)
    {
        List<ParkedDelivery> queued = [];
        return ChangeAsync(store, id, async (subscription, session) =>
            {
                var parked = session.Query<ParkedDelivery>().Where(p => p.SubscriptionId == id);
                if (sequence is { } one) parked = parked.Where(p => p.Sequence == one);
                queued = [.. await parked.OrderBy(p => p.Sequence).ToListAsync(ct)];
                if (sequence is not null && queued.Count == 0)
                    return Problems.Of(StatusCodes.Status404NotFound, "subscription.parkedNotFound", $"Event {sequence} is not parked for subscription {id}.");
                foreach (var delivery in queued)
                {
                    delivery.ReplayRequested = true;
                    session.Store(delivery);
                }
                if (queued.Count > 0) subscription.Restart();
                return null;
            }, _ => Results.Accepted($"/api/subscriptions/{id}/parked", queued.Select(ParkedView.Of).ToList()), ct);
    }
}
