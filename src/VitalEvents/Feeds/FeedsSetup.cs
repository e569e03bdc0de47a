using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Feeds.Nats;
using VitalEvents.Feeds.Subscriptions;
using VitalEvents.Pipeline;

namespace VitalEvents.Feeds;

/// <summary>How the feed reads the global order (VitalEvents:Feed:*).</summary>
public sealed class FeedSettings
{
    public const string Section = "VitalEvents:Feed";

    /// <summary>A gap in the sequence older than this is taken as a rolled-back append and passed; a younger one is waited for.</summary>
    public TimeSpan GapSettle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the live stream sends a heartbeat when nothing happens.</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    internal bool IsValid => GapSettle >= TimeSpan.Zero && HeartbeatSeconds > 0;
}

/// <summary>The event feed for downstream systems: catch-up pages, Server-Sent Events, webhook subscriptions and the NATS relay.</summary>
public static class FeedsSetup
{
    public static Capability Capability { get; } = new("feeds")
    {
        Store = opts =>
        {
            opts.Schema.For<Subscription>().UseOptimisticConcurrency(true);
            opts.Schema.For<ParkedDelivery>().Index(x => x.SubscriptionId);
        },
        Services = (services, configuration) =>
        {
            services.AddOptions<FeedSettings>().BindConfiguration(FeedSettings.Section)
                .Validate(s => s.IsValid, $"{FeedSettings.Section}: GapSettle must not be negative, HeartbeatSeconds must be positive.")
                .ValidateOnStart();
            services.AddSingleton<FeedReader>();
            services.AddSingleton<FeedLag>();
            services.AddWebhooks();
            services.AddNatsRelay(configuration);
        },
        Endpoints = app =>
        {
            GetFeedEndpoints.Map(app.MapGroup("").WithTags("Feed"));
            var subscriptions = app.MapGroup("").WithTags("Subscriptions");
            CreateSubscriptionEndpoint.Map(subscriptions);
            GetSubscriptionsEndpoints.Map(subscriptions);
            ControlSubscriptionEndpoints.Map(subscriptions);
            ParkedDeliveriesEndpoints.Map(subscriptions);
        },
    };
}
