using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VitalEvents.Pipeline;

/// <summary>
/// The registry's own traces and metrics (OpenTelemetry names: the activity source and the meter are both
/// <see cref="Name"/>). Instruments are created once; their values come from the code that measures.
/// </summary>
public static class Telemetry
{
    public const string Name = "VitalEvents";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Commands handled, by command and outcome (committed, replayed, refused, failed).</summary>
    public static readonly Counter<long> Commands = Meter.CreateCounter<long>("vitalevents.commands", description: "Commands handled, by command and outcome");

    public static readonly Histogram<double> CommandDuration = Meter.CreateHistogram<double>("vitalevents.command.duration", "ms",
        "Time to decide and commit a command");

    /// <summary>Reads recorded in the access log, by resource.</summary>
    public static readonly Counter<long> RecordedReads = Meter.CreateCounter<long>("vitalevents.reads.recorded", description: "Reads of personal data written to the access log");

    /// <summary>Projection rebuilds and checks, by projection and outcome.</summary>
    public static readonly Counter<long> ProjectionRuns = Meter.CreateCounter<long>("vitalevents.projections.runs", description: "Projection rebuilds and checks, by projection and outcome");

    public static readonly Histogram<double> ProjectionDuration = Meter.CreateHistogram<double>("vitalevents.projection.duration", "ms",
        "Time to rebuild or check a projection");

    /// <summary>Webhook delivery attempts, by subscription and outcome (delivered, failed, parked).</summary>
    public static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>("vitalevents.webhook.deliveries", description: "Webhook delivery attempts, by outcome");

    /// <summary>Time from sending a delivery to the receiver's answer (any status), by subscription; no answer, no measurement.</summary>
    public static readonly Histogram<double> WebhookDeliveryDuration = Meter.CreateHistogram<double>("vitalevents.webhook.delivery.duration", "ms",
        "Time a receiver took to answer a delivery");

    /// <summary>Events published to NATS JetStream and acknowledged, by stream.</summary>
    public static readonly Counter<long> NatsPublished = Meter.CreateCounter<long>("vitalevents.nats.published", description: "Events published to NATS JetStream");

    /// <summary>Records a webhook delivery attempt's outcome.</summary>
    public static void WebhookAttempt(Guid subscription, string outcome) =>
        WebhookDeliveries.Add(1, new TagList { { "subscription", subscription.ToString() }, { "outcome", outcome } });
}

/// <summary>
/// How far each feed consumer is behind, as the gauge <c>vitalevents.feed.lag</c>: the feed's last known end minus the
/// consumer's position (feed sequence numbers), tagged <c>consumer</c> = <c>webhook:{subscription id}</c> or <c>nats:{stream}</c>.
/// </summary>
/// <remarks>
/// The webhook worker and the NATS relay report their positions as they deliver and publish, and the feed's end as they poll,
/// so a scrape reads memory only. One per service provider, with a meter of its own that goes when the provider does.
/// </remarks>
public sealed class FeedLag : IDisposable
{
    public const string InstrumentName = "vitalevents.feed.lag";
    private const string WebhookPrefix = "webhook:";

    private readonly Meter _meter = new(Telemetry.Name);
    private readonly ConcurrentDictionary<string, long> _positions = new();
    private long _end;

    public FeedLag() =>
        _meter.CreateObservableGauge(InstrumentName, Measure, "{event}", "Events between the end of the feed and each consumer's position");

    public static string Webhook(Guid subscription) => WebhookPrefix + subscription;
    public static string Nats(string stream) => $"nats:{stream}";

    /// <summary>The feed's end as just read.</summary>
    public void End(long end) => Interlocked.Exchange(ref _end, end);

    /// <summary>A consumer's position: the last sequence it has delivered, published or passed over.</summary>
    public void Position(string consumer, long position)
    {
        _positions[consumer] = position;
        for (var end = Interlocked.Read(ref _end); end < position; end = Interlocked.Read(ref _end))
            if (Interlocked.CompareExchange(ref _end, position, end) == end) break;
    }

    /// <summary>The webhook consumers are exactly these subscriptions (the active ones), at these positions.</summary>
    public void Webhooks(IReadOnlyDictionary<Guid, long> positions)
    {
        foreach (var consumer in _positions.Keys.Where(k => k.StartsWith(WebhookPrefix, StringComparison.Ordinal)))
            if (!Guid.TryParse(consumer.AsSpan(WebhookPrefix.Length), out var id) || !positions.ContainsKey(id)) _positions.TryRemove(consumer, out _);
        foreach (var (id, position) in positions) Position(Webhook(id), position);
    }

    private IEnumerable<Measurement<long>> Measure()
    {
        var end = Interlocked.Read(ref _end);
        return _positions.Select(p => new Measurement<long>(Math.Max(0, end - p.Value), new KeyValuePair<string, object?>("consumer", p.Key)));
    }

    public void Dispose() => _meter.Dispose();
}
