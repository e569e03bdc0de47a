using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Pipeline;
using static VitalEvents.Feeds.Subscriptions.SubscriptionApi;

namespace VitalEvents.Feeds.Subscriptions;

public static class GetSubscriptionsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/subscriptions", async (IDocumentStore store, CancellationToken ct) =>
            {
                await using var session = store.QuerySession();
                var all = await session.Query<Subscription>().OrderBy(s => s.CreatedAt).ToListAsync(ct);
                return Results.Ok(all.Select(SubscriptionView.Of).ToList());
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .WithName("ListSubscriptions").WithTags(Tag)
            .WithSummary("Every webhook subscription, oldest first, with its position and delivery state; secrets masked.")
            .Produces<List<SubscriptionView>>();

        app.MapGet("/api/subscriptions/{id:guid}", async (Guid id, IDocumentStore store, CancellationToken ct) =>
            {
                await using var session = store.QuerySession();
                return await session.LoadAsync<Subscription>(id, ct) is { } subscription ? Results.Ok(SubscriptionView.Of(subscription)) : NotFound(id);
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .WithName("GetSubscription").WithTags(Tag)
            .WithSummary("One webhook subscription with its position and delivery state; secret masked.")
            .Produces<SubscriptionView>();
    }
}
