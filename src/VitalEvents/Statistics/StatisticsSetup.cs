using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Domain.Statistics;

namespace VitalEvents.Statistics;

/// <summary>How the statistics are kept and published (VitalEvents:Statistics:*).</summary>
public sealed class StatisticsSettings
{
    public const string Section = "VitalEvents:Statistics";

    /// <summary>Published tables withhold every count from 1 to below this (and enough others to protect them); 1 withholds nothing.</summary>
    public int SuppressionThreshold { get; set; } = 5;

    /// <summary>Whether this instance takes part in running the async projections (Marten's daemon, HotCold); the command line does not.</summary>
    public bool Daemon { get; set; } = true;

    public static DaemonMode DaemonMode(IConfiguration configuration) =>
        configuration.GetValue($"{Section}:{nameof(Daemon)}", true) ? JasperFx.Events.Daemon.DaemonMode.HotCold : JasperFx.Events.Daemon.DaemonMode.Disabled;
}

/// <summary>
/// The population observatory: vital statistics kept from the events by Marten's async daemon, full tables for statisticians,
/// published tables with small counts withheld, indicators, the population pyramid, and how far the statistics trail the events.
/// </summary>
public static class StatisticsSetup
{
    public static Capability Capability { get; } = new("statistics")
    {
        Store = opts =>
        {
            opts.Schema.For<StatisticsPerson>().Identity(p => p.Id);
            var schema = opts.DatabaseSchemaName;
            opts.Projections.Add(new StatisticsProjection(), ProjectionLifecycle.Async, asyncConfiguration: o =>
            {
                o.BatchSize = 1000;
                o.DeleteViewTypeOnTeardown<StatisticsPerson>();
                o.DeleteDataInTableOnTeardown($"{schema}.{StatisticsSchema.Counts}");
                o.DeleteDataInTableOnTeardown($"{schema}.{StatisticsSchema.Population}");
            });
        },
        OwnerSql = StatisticsSchema.Sql,
        Services = (services, configuration) =>
        {
            services.AddOptions<StatisticsSettings>().BindConfiguration(StatisticsSettings.Section)
                .Validate(s => s.SuppressionThreshold >= 1, $"{StatisticsSettings.Section}:SuppressionThreshold is 1 or more.")
                .ValidateOnStart();
            services.AddSingleton<StatisticsReader>();
            services.AddSingleton<ProjectionStatusReader>();
            services.AddSingleton<ProjectionLag>();
            if (StatisticsSettings.DaemonMode(configuration) != DaemonMode.Disabled) services.AddHostedService<ProjectionLagSampler>();
        },
        Endpoints = app =>
        {
            var api = app.MapGroup("").WithTags("Statistics");
            GetStatisticsTableEndpoints.Map(api);
            GetPopulationEndpoints.Map(api);
            GetIndicatorsEndpoints.Map(api);
            GetProjectionStatusEndpoint.Map(api);
        },
    };
}
