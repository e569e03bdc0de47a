using JasperFx.Events.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VitalEvents.Domain.Births;

namespace VitalEvents.BirthNotifications;

/// <summary>
/// Newborns registered without an office visit: facilities (admins manage them) notify births, in JSON or as HL7 FHIR R4 Bundles;
/// the parents confirm online or a registrar completes them at the office; unconfirmed ones are followed up.
/// </summary>
public static class BirthNotificationsSetup
{
    public static Capability Capability { get; } = new("birthNotifications")
    {
        Store = opts =>
        {
            opts.Schema.For<Facility>().Identity(f => f.Id).UseOptimisticConcurrency(true);
            opts.Projections.Add(new BirthNotificationProjection(), ProjectionLifecycle.Inline);
            opts.Schema.For<BirthNotification>().Index(n => n.Status).Index(n => n.MotherNationalCode).Index(n => n.NotifiedAt);
        },
        OwnerSql = NotificationKeys.Sql,
        AppendOnlyTables = [NotificationKeys.TableName],
        Services = (services, _) =>
        {
            services.AddOptions<BirthNotificationSettings>()
                .Configure<IConfiguration>((settings, configuration) =>
                {
                    var section = configuration.GetSection(BirthNotificationSettings.Section);
                    if (section.GetValue<TimeSpan?>(nameof(BirthNotificationSettings.FollowUpAfter)) is { } followUp) settings.FollowUpAfter = followUp;
                    // A configured list replaces the default one (the binder would append to it).
                    var refused = section.GetSection(nameof(BirthNotificationSettings.RefusedGivenNames)).Get<string[]>();
                    if (refused is { Length: > 0 }) settings.RefusedGivenNames = refused;
                })
                .Validate(s => s.IsValid, $"{BirthNotificationSettings.Section}: FollowUpAfter must be positive and RefusedGivenNames holds no empty name.")
                .ValidateOnStart();
            services.AddSingleton(provider => new GivenNamePolicy(provider.GetRequiredService<IOptions<BirthNotificationSettings>>().Value.RefusedGivenNames));
        },
        Endpoints = app =>
        {
            var facilities = app.MapGroup("").WithTags("Facilities");
            RegisterFacilityEndpoint.Map(facilities);
            GetFacilitiesEndpoints.Map(facilities);
            ChangeFacilityEndpoint.Map(facilities);
            var notifications = app.MapGroup("").WithTags("Birth notifications");
            NotifyBirthEndpoint.Map(notifications);
            ListBirthNotificationsEndpoints.Map(notifications);
            CompleteNotifiedBirthEndpoints.Map(notifications);
        },
        RootEndpoints = app => NotifyBirthFhirEndpoint.Map(app),
    };
}
