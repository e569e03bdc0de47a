using Mediator;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Domain;
using VitalEvents.Storage;

namespace VitalEvents.Pipeline;

public static class ApplicationSetup
{
    /// <summary>The registry's application services: store, mediator pipeline, request context, clock.</summary>
    public static IServiceCollection AddVitalEvents(this IServiceCollection services, StoreSettings settings, RegistryLaw? law = null)
    {
        services.AddVitalEventsStore(settings);
        services.AddScoped<RequestContext>();
        Audit.AccessLogSetup.AddAccessLog(services);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(law ?? RegistryLaw.Default);
        services.AddSingleton<Feeds.FeedReader>();
        Feeds.Subscriptions.WebhookSetup.AddWebhooks(services);
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>), typeof(CommitBehavior<,>)];
        });
        return services;
    }
}
