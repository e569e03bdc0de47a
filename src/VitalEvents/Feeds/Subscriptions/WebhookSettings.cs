using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace VitalEvents.Feeds.Subscriptions;

/// <summary>How webhook delivery paces itself (configuration section <c>VitalEvents:Webhooks</c>).</summary>
public sealed class WebhookSettings
{
    public const string Section = "VitalEvents:Webhooks";

    /// <summary>Whether this instance delivers at all (the admin endpoints work either way).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>How often due subscriptions are looked for; a subscription that is caught up waits this long for new events.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>The wait after the first failed attempt; it doubles with each further failure.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>After this many failed attempts an event is parked and delivery moves on.</summary>
    public int ParkAfterAttempts { get; set; } = 8;
    /// <summary>How long a receiver may take to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How many events are read from the feed at a time.</summary>
    public int BatchSize { get; set; } = 100;
    /// <summary>How many subscriptions this instance delivers to at once (each holds two database connections meanwhile).</summary>
    public int MaxConcurrentDeliveries { get; set; } = 8;
    /// <summary>How many events one delivery run takes before it lets other subscriptions have their turn.</summary>
    public int EventsPerRun { get; set; } = 1000;

    /// <summary>base × 2^(failures − 1), at most the maximum.</summary>
    public TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromTicks((long)Math.Min(RetryMaxDelay.Ticks, RetryBaseDelay.Ticks * Math.Pow(2, Math.Max(0, failures - 1))));

    internal bool IsValid => PollInterval > TimeSpan.Zero && RetryBaseDelay > TimeSpan.Zero && RetryMaxDelay >= RetryBaseDelay
        && ParkAfterAttempts >= 1 && Timeout > TimeSpan.Zero && BatchSize >= 1 && MaxConcurrentDeliveries >= 1 && EventsPerRun >= 1;
}

public static class WebhookSetup
{
    /// <summary>Durable webhook subscriptions: settings, the signed sender, and the delivery worker.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookSettings>().BindConfiguration(WebhookSettings.Section)
            .Validate(s => s.IsValid, $"{WebhookSettings.Section}: the delays, attempts, timeout, batch size and concurrency must be positive, the maximum delay at least the base.")
            .ValidateOnStart();
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<WebhookSettings>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookWorker>();
        return services;
    }
}
