using System.Diagnostics;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using JasperFx.Events.Subscriptions;
using Marten;
using VitalEvents.Pipeline;

namespace VitalEvents.Storage;

/// <summary>Rebuilds every stored projection from the events: every projection the capabilities registered that is not live.</summary>
public static class Rebuild
{
    /// <summary>The stored projections, as Marten has them registered.</summary>
    public static IReadOnlyList<ISubscriptionSource> Projections(IDocumentStore store) =>
        store.Options.Events.Projections().Where(p => p.Lifecycle != ProjectionLifecycle.Live).ToList();

    /// <summary>Rebuilds each projection in turn, reporting each by name as it starts and finishes.</summary>
    public static async Task AllAsync(IDocumentStore store, Func<string, bool, Task>? progress, CancellationToken ct)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        foreach (var projection in Projections(store))
        {
            if (progress is not null) await progress(projection.Name, false);
            var started = Stopwatch.GetTimestamp();
            await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(30), ct);
            var tags = new TagList { { "projection", projection.Name }, { "outcome", "rebuilt" } };
            Telemetry.ProjectionRuns.Add(1, tags);
            Telemetry.ProjectionDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
            if (progress is not null) await progress(projection.Name, true);
        }
    }
}
