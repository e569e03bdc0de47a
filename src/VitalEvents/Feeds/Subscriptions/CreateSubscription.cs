using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Pipeline;
using VitalEvents.Storage;
using static VitalEvents.Feeds.Subscriptions.SubscriptionApi;

namespace VitalEvents.Feeds.Subscriptions;

/// <summary>
/// A new webhook subscription. <c>From</c> is where delivery starts: a cursor (deliver what comes after it; 0 for the
/// beginning) or an instant (the first event recorded then or later); by default the current end of the feed.
/// </summary>
public sealed record CreateSubscriptionRequest(string? Name, string? Url, string? Secret, string? Scope, string[]? Types, string[]? Provinces,
    JsonElement? From);

public static class CreateSubscriptionEndpoint
{
    public const int MinSecretLength = 16;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/subscriptions", async (CreateSubscriptionRequest request, IDocumentStore store, FeedReader feed, StoreSettings settings,
                RequestContext context, TimeProvider clock, CancellationToken ct) =>
            {
                if (Validate(request) is { } problem) return problem;
                var end = await FeedEndAsync(settings, ct);
                long position;
                if (request.From is not { ValueKind: not JsonValueKind.Null } from) position = end;
                else if (TryCursor(from, end, out var cursor)) position = cursor;
                else if (from.ValueKind == JsonValueKind.String && await CursorAtAsync(feed, from.GetString(), ct) is { } atTime) position = atTime;
                else
                    return Invalid("subscription.invalidFrom",
                        $"from: '{from}' is neither a cursor from 0 to {end} nor an instant (such as 2025-03-21T10:00:00Z or 1404/01/01).");

                var subscription = new Subscription
                {
                    Id = Guid.NewGuid(), Name = request.Name!.Trim(), Url = request.Url!, Secret = request.Secret!, Scope = request.Scope!,
                    Types = [.. (request.Types ?? []).Distinct()], Provinces = [.. (request.Provinces ?? []).Distinct()], Position = position,
                    CreatedBy = context.UserId, CreatedAt = clock.GetUtcNow(),
                };
                await using var session = store.LightweightSession();
                session.Insert(subscription);
                await session.SaveChangesAsync(ct);
                return Results.Created($"/api/subscriptions/{subscription.Id}", SubscriptionView.Of(subscription));
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .WithName("CreateSubscription").WithTags(Tag)
            .WithSummary("Subscribe a downstream system's webhook to the feed, within a scope, filtered by types and provinces; admins only.")
            .Produces<SubscriptionView>(StatusCodes.Status201Created);

    private static IResult? Validate(CreateSubscriptionRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
            return Invalid("subscription.invalidName", "name: give the subscription a name.");
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            return Invalid("subscription.invalidUrl", $"url: '{request.Url}' is not an absolute http or https URL.");
        if (request.Secret is null || request.Secret.Length < MinSecretLength)
            return Invalid("subscription.weakSecret", $"secret: at least {MinSecretLength} characters.");
        if (FeedScopes.Find(request.Scope) is not { } scope)
            return Invalid("subscription.unknownScope", $"scope: '{request.Scope}' is not a scope ({string.Join(", ", FeedScopes.Names)}).");
        if (request.Types?.FirstOrDefault(t => !EventNames.All.Values.Contains(t)) is { } unknown)
            return Invalid("subscription.unknownType", $"types: '{unknown}' is not a stored event name.");
        if (request.Types?.FirstOrDefault(t => !scope.Allows(t)) is { } outside)
            return Invalid("subscription.typeOutsideScope", $"types: the scope '{scope.Name}' does not allow '{outside}'.");
        var provinces = Offices.List.Select(o => o.ProvinceSlug).ToHashSet();
        if (request.Provinces?.FirstOrDefault(p => !provinces.Contains(p)) is { } province)
            return Invalid("subscription.unknownProvince", $"provinces: '{province}' is not a province ({string.Join(", ", provinces)}).");
        return null;
    }
}
