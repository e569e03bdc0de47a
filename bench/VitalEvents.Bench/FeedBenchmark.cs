using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using VitalEvents.Feeds;
using VitalEvents.Storage;

namespace VitalEvents.Bench;

/// <summary>
/// How fast a downstream system catches up through the whole feed, as a ratio to a plain read of the same rows in the same
/// order: <see cref="FeedReader"/> pages of a thousand from cursor 0 to the end, each event mapped to CloudEvents JSON
/// with the full scope and each page written as <c>GET /api/feed</c> writes its response body (without HTTP).
/// </summary>
public static class FeedBenchmark
{
    /// <summary>With <paramref name="Existing"/>, the feed of that schema as it is (an imported registry) instead of the synthetic events.</summary>
    public sealed record Options(SyntheticEvents Data, int Rounds, int PageSize, BenchDatabase? Existing = null);

    /// <summary>The response body's JSON settings, as the service configures them (web defaults, nulls written).</summary>
    private static readonly JsonSerializerOptions ResponseJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        if (o.Rounds < 1 || o.PageSize is < 1 or > GetFeedEndpoints.MaxLimit)
            throw new ArgumentException($"need at least one round and a page size from 1 to {GetFeedEndpoints.MaxLimit}");
        if (o.Existing is { } existing)
        {
            await existing.DescribeMachineAsync(ct);
            var count = long.Parse(await existing.ScalarAsync($"select count(*) from {existing.Schema}.mt_events", ct));
            Console.WriteLine($"feed benchmark on the registry in schema {existing.Schema} as it is: {count:N0} events; {o.Rounds} rounds, pages of {o.PageSize}, no warm-up");
            return await MeasureAsync(existing, count, o, existing: true, ct);
        }
        var db = o.Data.Database;
        var s = db.Schema;
        Console.WriteLine($"feed benchmark: {o.Data.Events:N0} events over {o.Data.Streams:N0} streams in schema {s}; {o.Rounds} rounds, pages of {o.PageSize}");
        return await o.Data.WithStagedAsync(async () =>
        {
            Console.WriteLine("  loading the events (not timed; the chain trigger off, as the feed never reads the chain)");
            await o.Data.LoadAsync(chained: false, ct);
            await db.ExecuteAsync($"drop table {s}.bench_staged_events, {s}.bench_people", ct);
            await db.ExecuteAsync($"vacuum (analyze) {s}.mt_events", ct);
            return await MeasureAsync(db, o.Data.Events, o, existing: false, ct);
        }, ct);
    }

    private static async Task<int> MeasureAsync(BenchDatabase db, long events, Options o, bool existing, CancellationToken ct)
    {
        Console.WriteLine($"  stored: mt_events {await db.ScalarAsync($"select pg_size_pretty(pg_total_relation_size('{db.Schema}.mt_events'))", ct)} with its indexes");
        var reader = new FeedReader(db.Settings, new ReadConnections(db.Settings), Microsoft.Extensions.Options.Options.Create(new FeedSettings()));
        var read = new Measure("plain read of the rows in sequence order (baseline)");
        var pages = new Measure($"FeedReader pages of {o.PageSize} alone, no CloudEvents");
        var catchUp = new Measure($"catch-up: FeedReader pages of {o.PageSize} → CloudEvents JSON (full scope) → response body");
        if (!existing)
        {
            Console.WriteLine("  warm-up read and catch-up (not timed)");
            await PlainReadAsync(db, events, ct);
            await CatchUpAsync(reader, events, o.PageSize, gaps: existing, toCloudEvents: true, ct);
        }
        await Measure.AlternateAsync(o.Rounds,
        [
            () => read.TimeAsync(() => PlainReadAsync(db, events, ct)),
            () => pages.TimeAsync(() => CatchUpAsync(reader, events, o.PageSize, gaps: existing, toCloudEvents: false, ct)),
            () => catchUp.TimeAsync(() => CatchUpAsync(reader, events, o.PageSize, gaps: existing, toCloudEvents: true, ct)),
        ]);

        Report.Rates("Catching up through the feed against a plain read", read, [pages, catchUp], events);
        return 0;
    }

    /// <summary>The baseline: the rows the feed reads, in the feed's order, each field read, nothing computed.</summary>
    private static Task<long> PlainReadAsync(BenchDatabase db, long events, CancellationToken ct) => db.PlainReadAsync(
        $"select seq_id, id, type, stream_id, timestamp, headers, data::text from {db.Schema}.mt_events order by seq_id", events, ct);

    /// <summary>
    /// Reads the feed from cursor 0 until a page comes back empty, checking that it sees every event once in order; with
    /// <paramref name="toCloudEvents"/>, maps each page as <c>GET /api/feed</c> does and writes the response body to memory.
    /// </summary>
    private static async Task<long> CatchUpAsync(FeedReader reader, long expected, int pageSize, bool gaps, bool toCloudEvents, CancellationToken ct)
    {
        var full = FeedScopes.Find("full")!;
        var body = new ArrayBufferWriter<byte>(1 << 20);
        long cursor = 0, events = 0, bytes = 0, last = 0;
        while (true)
        {
            var page = await reader.ReadAsync(cursor, FeedFilter.All, pageSize, ct);
            if (page.Events.Count == 0) break;
            // The synthetic events are numbered without a gap; a registry's may have gaps (rolled-back appends), never a repeat.
            foreach (var e in page.Events)
                if (e.Sequence <= last || (++events != e.Sequence && !gaps))
                    throw new InvalidOperationException($"the feed gave sequence {e.Sequence} after {last}");
                else last = e.Sequence;
            if (toCloudEvents)
            {
                body.ResetWrittenCount();
                await using var writer = new Utf8JsonWriter(body);
                JsonSerializer.Serialize(writer, new FeedResponse([.. page.Events.Select(e => CloudEvents.ToJson(e, full))], page.Next.ToString()), ResponseJson);
                await writer.FlushAsync(ct);
                bytes += body.WrittenCount;
            }
            else bytes += page.Events.Sum(e => e.Data.Count);
            cursor = page.Next;
        }
        if (!gaps && cursor != expected) throw new InvalidOperationException($"the feed ended at cursor {cursor}, not {expected}");
        return Measure.Expect(events, expected, "the feed", bytes);
    }
}
