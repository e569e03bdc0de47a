using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using VitalEvents.Import;
using VitalEvents.Integrity;
using VitalEvents.Storage;

namespace VitalEvents.Bench;

/// <summary>
/// The legacy import (`vitalevents import`) of a generated export, from the file to queryable projections, against a plain
/// binary COPY of the same event rows (as the import stored them) into a bare copy of mt_events: no indexes, no chain, no
/// documents, no parsing. Both in the same run, on the same database.
/// </summary>
public static class ImportBenchmark
{
    public sealed record Options(BenchDatabase Database, int Persons, int Batch, double Bad, bool Verify);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var db = o.Database;
        var s = db.Schema;
        Console.WriteLine($"import benchmark: {o.Persons:N0} people, batches of {o.Batch:N0}, {o.Bad:P0} deliberately wrong lines, schema {s}");
        await db.DescribeMachineAsync(ct);
        var file = Path.Combine(Path.GetTempPath(), $"vitalevents-bench-import-{Guid.NewGuid():N}.jsonl");
        try
        {
            var generated = Stopwatch.GetTimestamp();
            await using (var writer = new StreamWriter(file, append: false, new System.Text.UTF8Encoding(false), 1 << 16))
                await LegacyGenerator.WriteAsync(writer, new GeneratorOptions(o.Persons, Seed: 1, o.Bad), ct);
            Console.WriteLine($"  generated {new FileInfo(file).Length / 1048576.0:N0} MiB in {Stopwatch.GetElapsedTime(generated).TotalSeconds:N1} s (not timed)");

            await db.DropSchemaAsync(ct);
            await DatabaseSchema.ApplyAsync(db.Settings, ct);
            using var owner = DatabaseSchema.OwnerStore(db.Settings);

            var import = new Measure("import: file → events, chain, projections, committed");
            var summary = await import.TimeAsync(() => new LegacyImporter(owner, db.Owner)
                .RunAsync(file, new ImportOptions(o.Batch, file + ".refused", "bench", "bench"), null, ct));
            var rss = Process.GetCurrentProcess().PeakWorkingSet64;
            Console.WriteLine($"  {summary.Persons:N0} people, {summary.Events:N0} events, {summary.Refused:N0} refused, {summary.Batches:N0} batches; peak RSS {rss / 1048576.0:N0} MiB");

            await db.ExecuteAsync($"vacuum (analyze) {s}.mt_events", ct);
            await db.ExecuteAsync($"create table {s}.bare_events (like {s}.mt_events including defaults)", ct);
            var copy = new Measure("binary COPY of the same event rows into a bare mt_events (baseline)");
            await copy.TimeAsync(() => CopyAsync(db, summary.Events, ct));

            Report.Rates("Legacy import against a plain COPY of its events", copy, [import], summary.Events);
            var p = summary.Phases;
            Console.WriteLine();
            Console.WriteLine("| phase (summed over batches) | s | share of the import |");
            Console.WriteLine("|---|---:|---:|");
            foreach (var (name, time) in new[]
            {
                ("read, parse, validate, decide; events and documents built and serialised (its own thread, beside the writes)", p.Decide), ("COPY streams and events", p.Events),
                ("hash chain (set-based)", p.Chain), ("projections: COPY, upsert; serials", p.Documents), ("commit", p.Commit),
            })
                Console.WriteLine(Report.F($"| {name} | {time.TotalSeconds:F1} | {time.TotalSeconds / import.Median:P0} |"));
            Console.WriteLine(Report.F($"\npeak RSS {rss / 1048576.0:N0} MiB; {summary.Events / (double)Math.Max(1, summary.Persons):F2} events per person"));
            Console.WriteLine($"stored: {await db.ScalarAsync(Sizes(s), ct)}");

            if (o.Verify)
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var started = Stopwatch.GetTimestamp();
                var report = await new DatabaseIntegrity(db.App, s).VerifyAsync(key, ct);
                Console.WriteLine($"verify after the import: {(report.Ok ? "OK" : "BROKEN")}, {report.EventsChecked:N0} events in {report.StreamsChecked:N0} streams, "
                    + $"{Stopwatch.GetElapsedTime(started).TotalSeconds:N1} s");
                if (!report.Ok) return 1;
            }
            return 0;
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + ".refused");
            await db.DropSchemaAsync(CancellationToken.None);
        }
    }

    /// <summary>The baseline: the stored event rows out of mt_events and into the bare table, binary COPY both ways, streamed.</summary>
    private static async Task<long> CopyAsync(BenchDatabase db, long expected, CancellationToken ct)
    {
        await using var source = new NpgsqlConnection(db.Owner);
        await using var target = new NpgsqlConnection(db.Owner);
        await source.OpenAsync(ct);
        await target.OpenAsync(ct);
        await using (var output = await source.BeginRawBinaryCopyAsync($"copy {db.Schema}.mt_events to stdout (format binary)", ct))
        await using (var input = await target.BeginRawBinaryCopyAsync($"copy {db.Schema}.bare_events from stdin (format binary)", ct))
            await output.CopyToAsync(input, ct);
        var rows = long.Parse(await db.ScalarAsync($"select count(*) from {db.Schema}.bare_events", ct));
        return rows == expected ? rows : throw new InvalidOperationException($"the baseline copied {rows} rows, not {expected}");
    }

    private static string Sizes(string s) => $"""
        select 'mt_events ' || pg_size_pretty(pg_total_relation_size('{s}.mt_events'))
            || ', event_chain ' || pg_size_pretty(pg_total_relation_size('{s}.{IntegritySchema.ChainTable}'))
            || ', snapshots ' || pg_size_pretty(pg_total_relation_size('{s}.mt_doc_personsnapshot'))
            || ', histories ' || pg_size_pretty(pg_total_relation_size('{s}.mt_doc_personhistory'))
            || ' (tables with their indexes)'
        """;
}
