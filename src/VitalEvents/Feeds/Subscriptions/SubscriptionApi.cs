using System.Globalization;
using System.Text.Json;
using Marten;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Feeds.Subscriptions;

/// <summary>A subscription as admins see it: the secret masked, the position as a feed cursor.</summary>
public sealed record SubscriptionView(Guid Id, string Name, string Url, string Secret, [property: OneOf(typeof(FeedScopes), nameof(FeedScopes.Names))] string Scope,
    IReadOnlyList<string> Types, IReadOnlyList<string> Provinces, string Position,
    [property: OneOf(typeof(SubscriptionStatus), nameof(SubscriptionStatus.All))] string Status, int ConsecutiveFailures, DateTimeOffset? NextAttemptAt,
    string? LastError, DateTimeOffset? LastDeliveredAt, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static SubscriptionView Of(Subscription s) => new(s.Id, s.Name, s.Url, Mask(s.Secret), s.Scope, s.Types, s.Provinces,
        s.Position.ToString(CultureInfo.InvariantCulture), s.Status, s.ConsecutiveFailures, s.NextAttemptAt, s.LastError, s.LastDeliveredAt,
        s.CreatedBy, s.CreatedAt);

    /// <summary>Enough of the secret to tell which one it is: its last four characters.</summary>
    public static string Mask(string secret) => new string('*', 12) + secret[^Math.Min(4, secret.Length / 4)..];
}

/// <summary>A parked event as admins see it.</summary>
public sealed record ParkedView(long Sequence, Guid EventId, string Type, int Attempts, string? LastError, DateTimeOffset ParkedAt, bool ReplayRequested)
{
    public static ParkedView Of(ParkedDelivery p) => new(p.Sequence, p.EventId, p.Type, p.Attempts, p.LastError, p.ParkedAt, p.ReplayRequested);
}

/// <summary>
/// Where delivery starts or is moved to: a cursor (a whole number, as a JSON number or string: what comes after it), an instant
/// (the first event recorded then or later), or the end of the feed (neither).
/// </summary>
public sealed record StartPoint(long? Cursor, DateTimeOffset? Instant)
{
    public static StartPoint End { get; } = new(null, null);

    public static StartPoint? Parse(string field, JsonElement value, Validator v)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0) return new StartPoint(number, null);
        if (value.ValueKind == JsonValueKind.String)
        {
            if (v.JsonString(field, value) is not { } text) return null;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor)) return new StartPoint(cursor, null);
            if (Instants.TryParse(text, out var instant) is null) return new StartPoint(null, instant);
        }
        v.Fail(field, CodeFor(field), $"{field} is neither a feed cursor (a whole number) nor an instant (such as 2025-03-21T10:00:00Z or 1404/01/01).");
        return null;
    }

    /// <summary>subscription.invalidFrom, subscription.invalidCursor…: the code of a point given in a field.</summary>
    private static string CodeFor(string field) => $"subscription.invalid{char.ToUpperInvariant(field[0])}{field[1..]}";

    /// <summary>The feed position this point names now; a cursor beyond the end of the feed is refused.</summary>
    public async Task<long> ResolveAsync(string field, FeedReader feed, CancellationToken ct)
    {
        var end = await feed.EndAsync(ct);
        if (Cursor is { } cursor)
            return cursor <= end
                ? cursor
                : throw new RuleViolationException(new RuleViolation(CodeFor(field), $"{field}: the feed ends at {end}; {cursor} is beyond it.",
                    ViolationKind.Invalid));
        return Instant is { } instant ? await feed.CursorAtAsync(instant, ct) : end;
    }
}

/// <summary>What the subscription use cases share: loading one, or refusing because it does not exist.</summary>
internal static class SubscriptionLookup
{
    public static async Task<Subscription> LoadAsync(IDocumentSession session, Guid id, CancellationToken ct) =>
        await session.LoadAsync<Subscription>(id, ct)
        ?? throw new RuleViolationException(new RuleViolation("subscription.notFound", $"There is no subscription {id}.", ViolationKind.NotFound));
}
