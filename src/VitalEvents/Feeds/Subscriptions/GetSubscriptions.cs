using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Feeds.Subscriptions;

public sealed record ListSubscriptionsQuery : IQuery<IReadOnlyList<SubscriptionView>>;

public sealed class ListSubscriptionsHandler(IQuerySession session) : IQueryHandler<ListSubscriptionsQuery, IReadOnlyList<SubscriptionView>>
{
    public async ValueTask<IReadOnlyList<SubscriptionView>> Handle(ListSubscriptionsQuery query, CancellationToken cancellationToken) =>
        (await session.Query<Subscription>().OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken)).Select(SubscriptionView.Of).ToList();
}

public sealed record GetSubscriptionQuery(Guid Id) : IQuery<SubscriptionView?>;

public sealed class GetSubscriptionHandler(IQuerySession session) : IQueryHandler<GetSubscriptionQuery, SubscriptionView?>
{
    public async ValueTask<SubscriptionView?> Handle(GetSubscriptionQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<Subscription>(query.Id, cancellationToken) is { } subscription ? SubscriptionView.Of(subscription) : null;
}

public static class GetSubscriptionsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/subscriptions", async Task<Ok<IReadOnlyList<SubscriptionView>>> (IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListSubscriptionsQuery(), ct)))
            .RequireAuthorization(Roles.AdminPolicy)
            .ConditionalRead()
            .WithName("ListSubscriptions")
            .WithSummary("Every webhook subscription, oldest first, with its position and delivery state; secrets masked.");

        api.MapGet("/subscriptions/{id:guid}", async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> (Guid id, IMediator mediator, CancellationToken ct) =>
                Listings.Found(await mediator.Send(new GetSubscriptionQuery(id), ct), "subscription.notFound", $"There is no subscription {id}."))
            .RequireAuthorization(Roles.AdminPolicy)
            .ConditionalRead()
            .WithName("GetSubscription")
            .WithSummary("One webhook subscription with its position and delivery state; secret masked.");
    }
}
