using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Feeds.Subscriptions;

public sealed record ListParkedQuery(Guid SubscriptionId) : IQuery<IReadOnlyList<ParkedView>?>;

public sealed class ListParkedHandler(IQuerySession session) : IQueryHandler<ListParkedQuery, IReadOnlyList<ParkedView>?>
{
    public async ValueTask<IReadOnlyList<ParkedView>?> Handle(ListParkedQuery query, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Subscription>(query.SubscriptionId, cancellationToken) is null) return null;
        var parked = await session.Query<ParkedDelivery>().Where(p => p.SubscriptionId == query.SubscriptionId).OrderBy(p => p.Sequence)
            .ToListAsync(cancellationToken);
        return parked.Select(ParkedView.Of).ToList();
    }
}

/// <summary>Queue parked events for delivery again, ahead of new events: one, or all when <see cref="Sequence"/> is null.</summary>
public sealed record ReplayParkedCommand(Guid SubscriptionId, long? Sequence) : ICommand<IReadOnlyList<ParkedView>>, IRetriedOnConflict;

public sealed class ReplayParkedHandler(IDocumentSession session) : ICommandHandler<ReplayParkedCommand, IReadOnlyList<ParkedView>>
{
    public async ValueTask<IReadOnlyList<ParkedView>> Handle(ReplayParkedCommand command, CancellationToken cancellationToken)
    {
        var subscription = await SubscriptionLookup.LoadAsync(session, command.SubscriptionId, cancellationToken);
        var parked = session.Query<ParkedDelivery>().Where(p => p.SubscriptionId == command.SubscriptionId);
        if (command.Sequence is { } one) parked = parked.Where(p => p.Sequence == one);
        var queued = await parked.OrderBy(p => p.Sequence).ToListAsync(cancellationToken);
        if (command.Sequence is not null && queued.Count == 0)
            throw new RuleViolationException(new RuleViolation("subscription.parkedNotFound",
                $"Event {command.Sequence} is not parked for subscription {command.SubscriptionId}.", ViolationKind.NotFound));
        foreach (var delivery in queued)
        {
            delivery.ReplayRequested = true;
            session.Store(delivery);
        }
        if (queued.Count > 0)
        {
            subscription.Restart();
            session.Update(subscription);
        }
        return queued.Select(ParkedView.Of).ToList();
    }
}

/// <summary>The events a subscription gave up on, and replaying them.</summary>
public static class ParkedDeliveriesEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/subscriptions/{id:guid}/parked", async Task<Results<Ok<IReadOnlyList<ParkedView>>, ProblemHttpResult>> (Guid id, IMediator mediator,
                CancellationToken ct) =>
                Listings.Found(await mediator.Send(new ListParkedQuery(id), ct), "subscription.notFound", $"There is no subscription {id}."))
            .RequireAuthorization(Roles.AdminPolicy)
            .ConditionalRead()
            .WithName("ListParkedDeliveries")
            .WithSummary("The events delivery gave up on, in order, with their attempts and last error.");

        api.MapPost("/subscriptions/{id:guid}/parked/{sequence:long}/replay", (Guid id, long sequence, IMediator mediator, CancellationToken ct) =>
                Replay(mediator, id, sequence, ct))
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes()
            .WithName("ReplayParkedDelivery")
            .WithSummary("Deliver a parked event again, ahead of new events; it leaves the parked list once delivered.");

        api.MapPost("/subscriptions/{id:guid}/parked/replay", (Guid id, IMediator mediator, CancellationToken ct) => Replay(mediator, id, null, ct))
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes()
            .WithName("ReplayParkedDeliveries")
            .WithSummary("Deliver every parked event again, in order, ahead of new events; each leaves the parked list once delivered.");
    }

    private static async Task<Accepted<IReadOnlyList<ParkedView>>> Replay(IMediator mediator, Guid id, long? sequence, CancellationToken ct) =>
        TypedResults.Accepted($"/api/subscriptions/{id}/parked", await mediator.Send(new ReplayParkedCommand(id, sequence), ct));
}
