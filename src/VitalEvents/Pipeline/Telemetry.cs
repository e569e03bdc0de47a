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

    /// <summary>Events appended, by stored event type.</summary>
    public static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>("vitalevents.events.appended", description: "Events appended, by stored type");

    /// <summary>Reads recorded in the access log, by resource.</summary>
    public static readonly Counter<long> RecordedReads = Meter.CreateCounter<long>("vitalevents.reads.recorded", description: "Reads of personal data written to the access log");

    /// <summary>Projection rebuilds and checks, by projection and outcome.</summary>
    public static readonly Counter<long> ProjectionRuns = Meter.CreateCounter<long>("vitalevents.projections.runs", description: "Projection rebuilds and checks, by projection and outcome");

    public static readonly Histogram<double> ProjectionDuration = Meter.CreateHistogram<double>("vitalevents.projection.duration", "ms",
        "Time to rebuild or check a projection");

    /// <summary>Webhook delivery attempts, by outcome (delivered, failed, parked).</summary>
    public static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>("vitalevents.webhook.deliveries", description: "Webhook delivery attempts, by outcome");

    public static readonly Histogram<double> WebhookDeliveryDuration = Meter.CreateHistogram<double>("vitalevents.webhook.delivery.duration", "ms",
        "Time a receiver took to answer a delivery");

    /// <summary>Events published to NATS JetStream.</summary>
    public static readonly Counter<long> NatsPublished = Meter.CreateCounter<long>("vitalevents.nats.published", description: "Events published to NATS JetStream");
}
