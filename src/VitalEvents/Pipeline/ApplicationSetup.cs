using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Audit;
using VitalEvents.Domain;
using VitalEvents.Storage;

namespace VitalEvents.Pipeline;

public static class ApplicationSetup
{
    /// <summary>
    /// The registry's application services: the store, every capability's services, the mediator pipeline (observe → access
    /// log for reads of personal data → idempotency and commit for writes), the request context and the clock.
    /// </summary>
    public static IServiceCollection AddVitalEvents(this IServiceCollection services, IConfiguration configuration, StoreSettings settings,
        RegistryLaw? law = null)
    {
        services.AddVitalEventsStore(settings, Statistics.StatisticsSettings.DaemonMode(configuration));
        services.AddScoped<RequestContext>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(law ?? RegistryLaw.Default);
        services.AddIdempotency();
        foreach (var capability in Capabilities.All) capability.Services(services, configuration);
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(ObservingBehavior<,>), typeof(AccessLogBehavior<,>), typeof(CommitBehavior<,>)];
        });
        return services;
    }
}
