using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace VitalEvents.Feeds.Nats;

/// <summary>
/// Where and how the relay publishes (VitalEvents:Nats:*): the server, the JetStream stream and the first token of its
/// subjects, how often the feed is polled once caught up, and the stream's de-duplication window (used when the relay creates
/// the stream), and how many servers of a JetStream cluster keep the stream (Replicas, when the relay creates it).
/// </summary>
public sealed record NatsRelaySettings(string Url, string Stream, string SubjectPrefix, TimeSpan PollInterval, TimeSpan DuplicateWindow, int Replicas = 1)
{
    public const string DefaultUrl = "nats://127.0.0.1:54222";

    /// <summary>
    /// The relay's settings when VitalEvents:Nats:Enabled is true, else null. The URL is VitalEvents:Nats:Url, else
    /// VITALEVENTS_NATS_URL (the scripts set it), else the local server the scripts run.
    /// </summary>
    public static NatsRelaySettings? From(IConfiguration configuration)
    {
        var section = configuration.GetSection("VitalEvents:Nats");
        if (!section.GetValue("Enabled", false)) return null;
        return new NatsRelaySettings(
            section["Url"] is { Length: > 0 } url ? url
            : Environment.GetEnvironmentVariable("VITALEVENTS_NATS_URL") is { Length: > 0 } fromScripts ? fromScripts : DefaultUrl,
            section["Stream"] ?? "VITALEVENTS",
            section["SubjectPrefix"] ?? "vitalevents",
            TimeSpan.FromMilliseconds(section.GetValue("PollMilliseconds", 500)),
            TimeSpan.FromSeconds(section.GetValue("DuplicateWindowSeconds", 600)),
            section.GetValue("Replicas", 1));
    }
}

public static class NatsRelaySetup
{
    /// <summary>Runs the NATS JetStream relay when the configuration enables it (VitalEvents:Nats:Enabled=true).</summary>
    public static IServiceCollection AddNatsRelay(this IServiceCollection services, IConfiguration configuration)
    {
        if (NatsRelaySettings.From(configuration) is not { } settings) return services;
        services.AddSingleton(settings);
        services.AddHostedService<NatsRelay>();
        return services;
    }
}
