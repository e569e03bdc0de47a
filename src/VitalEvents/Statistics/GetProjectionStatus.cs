using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Statistics;

/// <summary>
/// How far an async projection has come: the last event it has processed, the daemon's high-water mark (below it every event is
/// committed), the last event recorded, and how far it trails: in events, and in seconds since the oldest event it has yet to process.
/// </summary>
public sealed record ProjectionStatus(string Name, long Position, long HighWaterMark, long End, long LagEvents, double LagSeconds, DateTimeOffset? UpdatedAt);

public sealed record ProjectionStatusReport(IReadOnlyList<ProjectionStatus> Projections, DateTimeOffset At);

/// <summary>Reads every async projection's progress from Marten's progression table.</summary>
public sealed class ProjectionStatusReader(IDocumentStore store, StoreSettings settings, TimeProvider clock)
{
    public async Task<ProjectionStatusReport> ReadAsync(CancellationToken ct)
    {
        var shards = store.Options.Events.Projections().Where(p => p.Lifecycle == ProjectionLifecycle.Async)
            .SelectMany(p => p.ShardNames().Select(s => s.Identity)).ToArray();
        var s = settings.Schema;
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select shard,
                   coalesce(p.last_seq_id, 0),
                   coalesce((select last_seq_id from {s}.mt_event_progression where name = 'HighWaterMark'), 0),
                   e.last,
                   p.last_updated,
                   (select extract(epoch from now() - timestamp)::float8 from {s}.mt_events where seq_id > coalesce(p.last_seq_id, 0) order by seq_id limit 1)
            from unnest(@shards) as shard
            left join {s}.mt_event_progression p on p.name = shard
            cross join (select coalesce(max(seq_id), 0) as last from {s}.mt_events) e
            """, connection);
        command.Parameters.AddWithValue("shards", shards);
        var statuses = new List<ProjectionStatus>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (position, end) = (reader.GetInt64(1), reader.GetInt64(3));
            statuses.Add(new ProjectionStatus(reader.GetString(0), position, reader.GetInt64(2), end, Math.Max(0, end - position),
                reader.IsDBNull(5) ? 0 : Math.Max(0, Math.Round(reader.GetDouble(5), 3)), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return new ProjectionStatusReport(statuses, clock.GetUtcNow());
    }
}

/// <summary>
/// The async projections' lag as gauges, <c>vitalevents.projection.lag</c> (events) and <c>vitalevents.projection.lag.age</c>
/// (seconds since the oldest event not yet processed), tagged <c>projection</c>; sampled in the background, so a scrape reads memory.
/// </summary>
public sealed class ProjectionLag : IDisposable
{
    private readonly Meter _meter = new(Telemetry.Name);
    private readonly ConcurrentDictionary<string, ProjectionStatus> _latest = new();

    /// <summary>This provider's meter (each service provider has its own: a listener tells instances apart by it).</summary>
    public Meter Meter => _meter;

    public ProjectionLag()
    {
        _meter.CreateObservableGauge("vitalevents.projection.lag", () => _latest.Values.Select(s => new Measurement<long>(s.LagEvents, Tag(s))),
            "{event}", "Events recorded that each async projection has not processed yet");
        _meter.CreateObservableGauge("vitalevents.projection.lag.age", () => _latest.Values.Select(s => new Measurement<double>(s.LagSeconds, Tag(s))),
            "s", "Age of the oldest event each async projection has not processed yet");
    }

    public void Report(ProjectionStatusReport report)
    {
        foreach (var status in report.Projections) _latest[status.Name] = status;
    }

    private static KeyValuePair<string, object?> Tag(ProjectionStatus s) => new("projection", s.Name);

    public void Dispose() => _meter.Dispose();
}

/// <summary>Samples the projections' progress every few seconds for the gauges.</summary>
public sealed class ProjectionLagSampler(ProjectionStatusReader reader, ProjectionLag lag, ILogger<ProjectionLagSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        do
        {
            try
            {
                lag.Report(await reader.ReadAsync(stoppingToken));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Could not read the async projections' progress; the lag gauges keep their last values");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class GetProjectionStatusEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/statistics/status", async Task<Ok<ProjectionStatusReport>> (ProjectionStatusReader reader, CancellationToken ct) =>
                TypedResults.Ok(await reader.ReadAsync(ct)))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Statistician, Roles.Admin))
            .WithName("GetStatisticsStatus")
            .WithSummary("How far each async projection (the statistics) trails the events: its position, the daemon's high-water mark, the last event, and the lag in events and seconds; statisticians and administrators.");
}
