using Marten.Schema;

namespace VitalEvents.Feeds.Subscriptions;

/// <summary>The states of a subscription: delivering, or held by an admin.</summary>
public static class SubscriptionStatus
{
    public const string Active = "active";
    public const string Paused = "paused";
    public static readonly string[] All = [Active, Paused];
}

/// <summary>
/// A downstream system's durable webhook subscription: what it receives (scope and filter), where, signed with which
/// secret, and how far delivery has got. Every change is checked against <see cref="Version"/> (optimistic concurrency),
/// so an admin's pause or rewind is never overwritten by a delivery in flight.
/// </summary>
public sealed class Subscription
{
    public Guid Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public string Url { get; set; } = string.Empty;
    /// <summary>The HMAC-SHA256 key; never shown again after creation, except masked.</summary>
    public string Secret { get; set; } = string.Empty;
    public string Scope { get; set; } = string.Empty;
    public List<string> Types { get; set; } = [];
    public List<string> Provinces { get; set; } = [];
    /// <summary>The feed cursor: the last sequence delivered or parked.</summary>
    public long Position { get; set; }
    public string Status { get; set; } = SubscriptionStatus.Active;
    /// <summary>Failed attempts at the event now at the head of the queue.</summary>
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastDeliveredAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }

    [Version]
    public Guid Version { get; set; }

    /// <summary>
    /// What the feed reader is asked for: the subscription's types (or else its scope's) and provinces. The scope's types
    /// are checked on each event too, so that a filter wider than the scope never widens it.
    /// </summary>
    public FeedFilter Filter(FeedScope scope) => new(Types.Count > 0 ? new HashSet<string>(Types) : scope.Types, new HashSet<string>(Provinces));

    /// <summary>The head of the queue changed (rewind, replay): its failures no longer apply, and it is due at once.</summary>
    public void Restart()
    {
        ConsecutiveFailures = 0;
        NextAttemptAt = null;
        LastError = null;
    }
}

/// <summary>An event given up on after repeated failed deliveries; kept until it is replayed successfully.</summary>
public sealed class ParkedDelivery
{
    public string Id { get; set; } = string.Empty;
    public Guid SubscriptionId { get; set; }
    public long Sequence { get; set; }
    public Guid EventId { get; set; }
    public string Type { get; set; } = string.Empty;
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset ParkedAt { get; set; }
    /// <summary>An admin asked for it again: it is delivered ahead of new events.</summary>
    public bool ReplayRequested { get; set; }

    public static string IdOf(Guid subscriptionId, long sequence) => $"{subscriptionId:N}.{sequence}";
}
