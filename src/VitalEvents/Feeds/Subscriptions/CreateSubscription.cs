using System.Text.Json.Serialization;
using System.Text.Json;
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

/// <summary>
/// A new webhook subscription. <c>From</c> is where delivery starts: a cursor (deliver what comes after it; 0 for the
/// beginning, as a number or a string) or an instant (the first event recorded then or later); by default the current end of the feed.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateSubscriptionRequest(string? Name, string? Url, string? Secret, [property: OneOf(typeof(FeedScopes), nameof(FeedScopes.Names))] string? Scope,
    string[]? Types = null, string[]? Provinces = null, JsonElement? From = null)
{
    public const int MinSecretLength = 16;

    public SubscriptionSpec Parse(Validator v)
    {
        var name = v.Text("name", Name, 200);
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || Url!.Length > 2000)
            v.Fail("url", "subscription.invalidUrl", "url is not an absolute http or https URL of at most 2000 characters.");
        if (Secret is null || Secret.Length < MinSecretLength || Secret.Length > 500)
            v.Fail("secret", "subscription.weakSecret", $"secret: from {MinSecretLength} to 500 characters.");
        var scope = FeedScopes.Find(Scope);
        if (scope is null) v.Fail("scope", "subscription.unknownScope", $"scope must be one of: {string.Join(", ", FeedScopes.Names)}.");
        var types = (Types ?? []).Distinct().ToList();
        foreach (var (type, i) in types.Select((t, i) => (t, i)))
        {
            if (!EventNames.All.Values.Contains(type)) v.Fail($"types[{i}]", "subscription.unknownType", "types names a stored event type such as death_registered.v2.");
            else if (scope is not null && !scope.Allows(type)) v.Fail($"types[{i}]", "subscription.typeOutsideScope", $"the scope '{scope.Name}' does not allow {type}.");
        }
        var provinces = (Provinces ?? []).Distinct().ToList();
        foreach (var (province, i) in provinces.Select((p, i) => (p, i)))
            if (!Offices.ProvinceSlugs.Contains(province)) v.Fail($"provinces[{i}]", "subscription.unknownProvince", "provinces names province slugs such as tehran.");
        var from = From is { ValueKind: not JsonValueKind.Null } given ? StartPoint.Parse("from", given, v) : null;
        return new SubscriptionSpec(name, Url?.Trim() ?? string.Empty, Secret ?? string.Empty, scope?.Name ?? string.Empty, types, provinces, from);
    }
}

/// <summary>A subscription as asked for, parsed.</summary>
public sealed record SubscriptionSpec(string Name, string Url, string Secret, string Scope, IReadOnlyList<string> Types, IReadOnlyList<string> Provinces,
    StartPoint? From);

public sealed record CreateSubscriptionCommand(SubscriptionSpec Subscription) : ICommand<SubscriptionView>;

public sealed class CreateSubscriptionHandler(IDocumentSession session, FeedReader feed, RequestContext context, TimeProvider clock)
    : ICommandHandler<CreateSubscriptionCommand, SubscriptionView>
{
    public async ValueTask<SubscriptionView> Handle(CreateSubscriptionCommand message, CancellationToken cancellationToken)
    {
        var spec = message.Subscription;
        var subscription = new Subscription
        {
            Id = Guid.CreateVersion7(), Name = spec.Name, Url = spec.Url, Secret = spec.Secret, Scope = spec.Scope, Types = [.. spec.Types],
            Provinces = [.. spec.Provinces], Position = await (spec.From ?? StartPoint.End).ResolveAsync("from", feed, cancellationToken),
            CreatedBy = context.UserId, CreatedAt = clock.GetUtcNow(),
        };
        session.Insert(subscription);
        return SubscriptionView.Of(subscription);
    }
}

public static class CreateSubscriptionEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/subscriptions", async Task<Created<SubscriptionView>> (CreateSubscriptionRequest? request, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(new CreateSubscriptionCommand(Validator.Parse(request, (r, v) => r.Parse(v))), ct);
                return TypedResults.Created($"/api/subscriptions/{created.Id}", created);
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes()
            .WithName("CreateSubscription")
            .WithSummary("Subscribe a downstream system's webhook to the feed, within a scope, filtered by types and provinces; admins only.");
}
