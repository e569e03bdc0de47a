using JasperFx.Events.Daemon;
using Marten;
using VitalEvents.Births;
using VitalEvents.Corrections;
using VitalEvents.History;
using VitalEvents.Identity;
using VitalEvents.Marriages;

namespace VitalEvents.Storage;

/// <summary>Rebuilds every stored projection from the events.</summary>
public static class Rebuild
{
    public static readonly Type[] Projections =
        [typeof(PersonSnapshotProjection), typeof(PersonHistoryProjection), typeof(MarriageRecordProjection), typeof(CorrectionCaseProjection),
         typeof(BirthHoldProjection)];

    /// <summary>Rebuilds each projection in turn, reporting each as it starts and finishes.</summary>
    public static async Task AllAsync(IDocumentStore store, Func<Type, bool, Task>? progress, CancellationToken ct)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        foreach (var projection in Projections)
        {
            if (progress is not null) await progress(projection, false);
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(30), ct);
            if (progress is not null) await progress(projection, true);
        }
    }
}
