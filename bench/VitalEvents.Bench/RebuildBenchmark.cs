using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using VitalEvents.Storage;
using static VitalEvents.Bench.Report;

namespace VitalEvents.Bench;

/// <summary>
/// How fast `vitalevents rebuild` (Rebuild.AllAsync: every stored projection) replays the events, against a plain streamed read
/// of the same events and plain Marten's daemon rebuilding one trivial single-stream projection over them, in the same run.
/// </summary>
public static class RebuildBenchmark
{
    public sealed record Options(SyntheticEvents Data, int Rounds);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        if (o.Rounds < 1) throw new ArgumentException("need at least one round");
        var db = o.Data.Database;
        var s = db.Schema;
        Console.WriteLine($"rebuild benchmark: {o.Data.Events:N0} events over {o.Data.Streams:N0} streams in schema {s}; {o.Rounds} rounds");
        return await o.Data.WithStagedAsync(async () =>
        {
            await o.Data.LoadAsync(chained: false, ct);
            await db.ExecuteAsync($"vacuum (analyze) {s}.mt_events", ct);
            using var store = DocumentStore.For(opts => StoreSetup.Configure(opts, db.App, s, AutoCreate.None));
            using var trivial = DocumentStore.For(opts =>
            {
                StoreSetup.Configure(opts, db.Owner, s, AutoCreate.CreateOrUpdate);
                opts.Projections.Add(new EventCountProjection(), ProjectionLifecycle.Async);
            });
            await trivial.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var projections = Rebuild.Projections(store);
            Console.WriteLine($"  projections rebuilt: {string.Join(", ", projections.Select(p => p.Name))}");

            var read = new Measure("plain streamed read of the events, every field (baseline)");
            var plain = new Measure("plain Marten daemon, one trivial single-stream projection");
            var rebuild = new Measure($"Rebuild.AllAsync, all {projections.Count} projections");
            Console.WriteLine("  warm-up read (not timed)");
            await PlainReadAsync(o, ct);
            long reported = 0, total = 0;
            await Measure.AlternateAsync(o.Rounds,
            [
                () => read.TimeAsync(() => PlainReadAsync(o, ct)),
                () => plain.TimeAsync(() => TrivialAsync(trivial, o, ct)),
                () => rebuild.TimeAsync(async () =>
                {
                    await Rebuild.AllAsync(store, Rebuild.Reporter(p => (reported, total) = (p.Events, p.Total)), ct);
                    return await CheckAsync(db, o, reported, total, ct);
                }),
            ]);

            Rates("Rebuild against a plain read and plain Marten", read, [plain, rebuild], o.Data.Events);
            return 0;
        }, ct);
    }

    private static Task<long> PlainReadAsync(Options o, CancellationToken ct) => o.Data.Database.PlainReadAsync($"""
        select seq_id, id, stream_id, version, data::text, type, timestamp, tenant_id, mt_dotnet_type, correlation_id, causation_id,
            headers::text, is_archived, user_name
        from {o.Data.Database.Schema}.mt_events order by seq_id
        """, o.Data.Events, ct);

    private static async Task<long> TrivialAsync(IDocumentStore trivial, Options o, CancellationToken ct)
    {
        using var daemon = await trivial.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<EventCount>(TimeSpan.FromMinutes(30), ct);
        var counted = await o.Data.Database.ScalarAsync($"select count(*) from {o.Data.Database.Schema}.mt_doc_rebuildbenchmark_eventcount", ct);
        return Measure.Expect(long.Parse(counted), o.Data.Streams, "the trivial projection's documents", 1);
    }

    /// <summary>Every person has a snapshot and a history, every marriage its record, and the progress reached its total.</summary>
    private static async Task<long> CheckAsync(BenchDatabase db, Options o, long reported, long total, CancellationToken ct)
    {
        var s = db.Schema;
        var counts = await db.ScalarAsync($"""
            select (select count(*) from {s}.mt_doc_personsnapshot) || ' ' || (select count(*) from {s}.mt_doc_personhistory) || ' '
                || (select count(*) from {s}.mt_doc_marriagerecord) || ' ' || (select coalesce(sum(jsonb_array_length(data->'Entries')), 0) from {s}.mt_doc_personhistory)
            """, ct);
        var expected = $"{o.Data.Streams} {o.Data.Streams} {o.Data.Events - o.Data.Streams} {o.Data.Events}";
        if (counts != expected) throw new InvalidOperationException($"the rebuild gave snapshots, histories, marriages, history entries {counts}, not {expected}");
        if (total == 0 || reported != total) throw new InvalidOperationException($"the rebuild's progress ended at {reported:N0} of {total:N0}");
        return o.Data.Events;
    }

    /// <summary>The baseline's projection: a person's event count, nothing else computed.</summary>
    public sealed class EventCount
    {
        public string Id { get; set; } = "";
        public long Events { get; set; }
    }

    public sealed class EventCountProjection : SingleStreamProjection<EventCount, string>
    {

        public override EventCount Evolve(EventCount? snapshot, string id, IEvent e)
        {
            var count = snapshot ?? new EventCount { Id = id };
            count.Events++;
            return count;
        }
    }
}
