using System.Diagnostics;
using System.Threading.Channels;
using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.Events.Subscriptions;
using Marten;
using Marten.Events;
using Marten.Events.Aggregation;
using VitalEvents.Pipeline;
using Weasel.Core;

namespace VitalEvents.Storage;

/// <summary>How far a rebuild has come: events replayed of the events to replay (an event counts once in each of the two passes).</summary>
public sealed record RebuildProgress(long Events, long Total);

/// <summary>
/// Rebuilds every stored projection from the events: every projection the capabilities registered that is not live. Two passes
/// run side by side up to the same ceiling (the highest sequence when the rebuild starts). The projections of one person's
/// stream (snapshot, history) are folded with their own <c>Evolve</c> from one read in stream order and written with COPY into
/// their emptied tables. The projections across streams (marriages, corrections, held births…) are applied by Marten's own inline
/// projection code to the events read in sequence order, page by page. Then mt_event_progression is left as Marten's
/// own rebuild leaves it. The service should not be writing
/// meanwhile: as with Marten's rebuild, a write during it may be missed by the rebuilt documents.
/// </summary>
public static class Rebuild
{
    private const int WriteBatch = 10_000;
    private const int Page = 10_000;

    /// <summary>The stored projections, as Marten has them registered.</summary>
    public static IReadOnlyList<ISubscriptionSource> Projections(IDocumentStore store) =>
        store.Options.Events.Projections().Where(p => p.Lifecycle != ProjectionLifecycle.Live).ToList();

    /// <summary>A progress sink called on the rebuild's own threads, in order (<see cref="Progress{T}"/> posts to the thread pool, out of order).</summary>
    public static IProgress<RebuildProgress> Reporter(Action<RebuildProgress> report) => new SynchronousProgress(report);

    /// <summary>Rebuilds every stored projection, or only those named in <paramref name="only"/> (their <c>Name</c>s).</summary>
    public static async Task AllAsync(IDocumentStore store, IProgress<RebuildProgress>? progress, CancellationToken ct, IReadOnlyCollection<string>? only = null)
    {
        var started = Stopwatch.GetTimestamp();
        var projections = Projections(store).Where(p => only is null || only.Contains(p.Name)).ToList();
        var perStream = projections.Where(p => DocumentOf(p, typeof(SingleStreamProjection<,>)) is not null).ToList();
        var acrossStreams = projections.Except(perStream).ToList();
        var (ceiling, events) = await CountAsync(store, ct);

        var counter = new Counter(events * (perStream.Count > 0 ? 1 : 0) + events * (acrossStreams.Count > 0 ? 1 : 0), progress);
        counter.Add(0);
        await Task.WhenAll(
            Task.Run(() => PerStreamAsync(store, perStream, ceiling, counter, ct), ct),
            Task.Run(() => AcrossStreamsAsync(store, acrossStreams, ceiling, counter, ct), ct));
        await MarkProgressAsync(store, projections, ceiling, ct);

        var tags = new TagList { { "projection", "all" }, { "outcome", "rebuilt" } };
        Telemetry.ProjectionRuns.Add(1, tags);
        Telemetry.ProjectionDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
    }

    /// <summary>One read of every event in stream order; each stream folded by every per-stream projection, written in batches.</summary>
    private static async Task PerStreamAsync(IDocumentStore store, IReadOnlyList<ISubscriptionSource> projections, long ceiling, Counter counter,
        CancellationToken ct)
    {
        if (projections.Count == 0) return;
        var folds = projections.Select(p => (IStreamFold)Activator.CreateInstance(
            typeof(StreamFold<>).MakeGenericType(DocumentOf(p, typeof(SingleStreamProjection<,>))!), p, store)!).ToList();
        foreach (var fold in folds) await fold.ClearAsync(ct);
        try
        {
            // One query for every event: at millions of events its sort alone outlasts any command timeout.
            await using var session = store.QuerySession(new Marten.Services.SessionOptions { Timeout = 0 });
            string? stream = null;
            long read = 0;
            await foreach (var e in session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence <= ceiling && e.StreamKey != Tombstones.StreamKey)
                .OrderBy(e => e.StreamKey).ThenBy(e => e.Version).ToAsyncEnumerable(ct))
            {
                if (e.StreamKey != stream)
                {
                    foreach (var fold in folds) await fold.EndStreamAsync(ct);
                    stream = e.StreamKey;
                }
                foreach (var fold in folds) fold.Apply(stream!, e);
                if (++read % 1000 == 0) counter.Add(1000);
            }
            foreach (var fold in folds) await fold.EndStreamAsync(ct);
            foreach (var fold in folds) await fold.FlushAsync(ct);
            counter.Add(read % 1000);
        }
        finally
        {
            foreach (var fold in folds) await fold.CompleteAsync();
        }
    }

    /// <summary>Every event, page by page in sequence order, through Marten's inline code of each cross-stream projection (it slices them by document).</summary>
    private static async Task AcrossStreamsAsync(IDocumentStore store, IReadOnlyList<ISubscriptionSource> projections, long ceiling,
        Counter counter, CancellationToken ct)
    {
        if (projections.Count == 0) return;
        foreach (var projection in projections)
            await ClearAsync(store, projection, ct);
        var inline = projections.Select(p => ((IProjectionSource<IDocumentOperations, IQuerySession>)p).BuildForInline()).ToList();
        for (long from = 0; from < ceiling;)
        {
            IReadOnlyList<IEvent> page;
            await using (var query = store.QuerySession())
                page = await query.Events.QueryAllRawEvents().Where(e => e.Sequence > from && e.Sequence <= ceiling && e.StreamKey != Tombstones.StreamKey)
                    .OrderBy(e => e.Sequence).Take(Page).ToListAsync(ct);
            if (page.Count == 0) break;
            await using var session = store.LightweightSession();
            var streams = page.Select(e => StreamAction.Append(e.StreamKey!, [e])).ToList();
            foreach (var projection in inline) await projection.ApplyAsync(session, streams, ct);
            await session.SaveChangesAsync(ct);
            from = page[^1].Sequence;
            counter.Add(page.Count);
        }
    }

    /// <summary>
    /// Empties what a projection across streams writes: a multi-stream aggregation's documents, or what a projection of its own
    /// (the statistics) names for its teardown, as Marten's own rebuild would.
    /// </summary>
    private static async Task ClearAsync(IDocumentStore store, ISubscriptionSource projection, CancellationToken ct)
    {
        if (DocumentOf(projection, typeof(Marten.Events.Projections.MultiStreamProjection<,>)) is { } document)
        {
            await store.Advanced.Clean.DeleteDocumentsByTypeAsync(document, ct);
            return;
        }
        var cleanUps = (projection as ProjectionBase)?.Options.CleanUps ?? [];
        if (cleanUps.Count == 0) throw new InvalidOperationException($"The projection {projection.Name} names nothing to empty before a rebuild.");
        foreach (var cleanUp in cleanUps)
            switch (cleanUp)
            {
                case DeleteDocuments(var type):
                    await store.Advanced.Clean.DeleteDocumentsByTypeAsync(type, ct);
                    break;
                case DeleteTableData(var table):
                    await using (var session = store.LightweightSession())
                    {
                        session.QueueSqlCommand($"truncate {table}");
                        await session.SaveChangesAsync(ct);
                    }
                    break;
                default:
                    throw new InvalidOperationException($"The projection {projection.Name} asks for a clean-up the rebuild does not know: {cleanUp}.");
            }
    }

    /// <summary>The highest sequence to replay up to, and the events up to it.</summary>
    private static async Task<(long Ceiling, long Events)> CountAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var ceiling = await session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync(ct);
        var events = await session.Events.QueryAllRawEvents().Where(e => e.Sequence <= ceiling && e.StreamKey != Tombstones.StreamKey).CountAsync(ct);
        return (ceiling, events);
    }

    /// <summary>
    /// The progress rows as Marten's own rebuild leaves them: an async projection's shard has seen every event up to the ceiling; an
    /// inline projection keeps no row (it is current with every commit).
    /// </summary>
    private static async Task MarkProgressAsync(IDocumentStore store, IReadOnlyList<ISubscriptionSource> projections, long ceiling, CancellationToken ct)
    {
        var table = $"{store.Options.Events.DatabaseSchemaName}.mt_event_progression";
        await using var session = store.LightweightSession();
        foreach (var projection in projections)
            foreach (var shard in projection.ShardNames().Select(s => s.Identity))
                if (projection.Lifecycle == ProjectionLifecycle.Async)
                    session.QueueSqlCommand($"insert into {table} (name, last_seq_id, last_updated) values (?, ?, now()) " +
                        "on conflict (name) do update set last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated", shard, ceiling);
                else session.QueueSqlCommand($"delete from {table} where name = ?", shard);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The document type of a projection deriving from <paramref name="generic"/> (an aggregation over TDoc and a string or Guid id).</summary>
    private static Type? DocumentOf(ISubscriptionSource projection, Type generic)
    {
        for (var type = projection.ImplementationType; type is not null; type = type.BaseType)
            if (type.IsGenericType && type.GetGenericTypeDefinition() == generic) return type.GenericTypeArguments[0];
        return null;
    }

    private interface IStreamFold
    {
        Task ClearAsync(CancellationToken ct);
        void Apply(string stream, IEvent e);
        ValueTask EndStreamAsync(CancellationToken ct);
        ValueTask FlushAsync(CancellationToken ct);
        Task CompleteAsync();
    }

    /// <summary>
    /// One per-stream projection: the current stream folded with the projection's own Evolve, finished documents collected into
    /// batches that a writer of its own bulk-inserts (COPY) while the reading goes on.
    /// </summary>
    private sealed class StreamFold<T> : IStreamFold where T : class
    {
        private readonly SingleStreamProjection<T, string> _projection;
        private readonly IDocumentStore _store;
        private readonly Channel<List<T>> _batches = Channel.CreateBounded<List<T>>(2);
        private Task? _writer;
        private List<T> _batch = new(WriteBatch);
        private T? _current;

        public StreamFold(ISubscriptionSource projection, IDocumentStore store) =>
            (_projection, _store) = ((SingleStreamProjection<T, string>)projection, store);

        public async Task ClearAsync(CancellationToken ct)
        {
            await _store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(T), ct);
            _writer = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in _batches.Reader.ReadAllAsync(ct))
                        await _store.BulkInsertAsync(batch, BulkInsertMode.InsertsOnly, batch.Count, ct);
                }
                catch (Exception failed)
                {
                    _batches.Writer.TryComplete(failed);   // the reader's next write throws instead of waiting for ever
                    throw;
                }
            }, ct);
        }

        public void Apply(string stream, IEvent e) => _current = _projection.Evolve(_current, stream, e);

        public async ValueTask EndStreamAsync(CancellationToken ct)
        {
            if (_current is not null) _batch.Add(_current);
            _current = null;
            if (_batch.Count < WriteBatch) return;
            await _batches.Writer.WriteAsync(_batch, ct);
            _batch = new(WriteBatch);
        }

        public async ValueTask FlushAsync(CancellationToken ct)
        {
            if (_batch.Count > 0) await _batches.Writer.WriteAsync(_batch, ct);
            _batch = [];
        }

        public async Task CompleteAsync()
        {
            _batches.Writer.TryComplete();
            if (_writer is not null) await _writer;
        }
    }

    private sealed class Counter(long total, IProgress<RebuildProgress>? progress)
    {
        private readonly Lock _lock = new();
        private long _done;

        public void Add(long events)
        {
            lock (_lock)
            {
                _done += events;
                progress?.Report(new RebuildProgress(_done, total));
            }
        }
    }

    private sealed class SynchronousProgress(Action<RebuildProgress> report) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => report(value);
    }
}
