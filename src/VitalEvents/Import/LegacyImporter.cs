using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using VitalEvents.Births;
using VitalEvents.Corrections;
using VitalEvents.Domain;
using VitalEvents.History;
using VitalEvents.Identity;
using VitalEvents.Marriages;
using VitalEvents.Storage;

namespace VitalEvents.Import;

public sealed record ImportOptions(int BatchSize = 2000, string? ReportPath = null, string Source = "legacy-registry", string UserName = "legacy-import");

public sealed record ImportProgress(long BytesRead, long BytesTotal, long Lines, long Persons, long Events, long Refused, long Skipped, long Batches);

/// <summary>Where a run's time went, summed over its batches (reading, deciding and serialising run beside the writing, on its own thread).</summary>
public sealed record ImportPhases(TimeSpan Decide, TimeSpan Events, TimeSpan Chain, TimeSpan Documents, TimeSpan Commit);

public sealed record ImportSummary(long Lines, long Persons, long Events, long Refused, long Skipped, long Batches, TimeSpan Elapsed, long PeakRssBytes,
    ImportPhases Phases, bool Cancelled)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Imports a legacy export (docs/legacy-import.md) as the schema owner. Lines are read and decided on one thread
/// (<see cref="PersonImport"/>) while the batch before is written on another; each batch is one transaction: its streams and
/// events by binary COPY, their hash chain set-based (<see cref="ImportChain"/>), the inline projections' documents built by
/// the projections' own Evolve and written by COPY, and the national-code serials advanced past the imported codes. A committed
/// batch is queryable at once; a person whose stream exists is skipped, so a re-run after a crash or a cancel never duplicates.
/// </summary>
/// <remarks>
/// Marten's <c>BulkInsertEventsAsync</c>/<c>BulkInsertEventStreamAsync</c> open and commit a transaction of their own, so the
/// events, their chain and their documents could not commit together; the COPY here writes the same columns Marten's bulk
/// appender writes (seq_id from mt_events_sequence, the stored type names and every metadata column the store enables).
/// </remarks>
public sealed class LegacyImporter(IDocumentStore store, string ownerConnectionString)
{
    private const string Tenant = "*DEFAULT*";
    private readonly string _schema = store.Options.Events.DatabaseSchemaName;
    private readonly ISerializer _json = store.Options.Serializer();
    private readonly Marten.Events.EventGraph _events = (Marten.Events.EventGraph)((DocumentStore)store).Options.Events;
    private readonly PersonSnapshotProjection _snapshots = new();
    private readonly PersonHistoryProjection _histories = new();
    private readonly MarriageRecordProjection _marriages = new();
    private readonly CorrectionCaseProjection _corrections = new();

    private sealed record Batch(List<Prepared> Persons, long BytesRead, long Lines, long Refused);

    /// <summary>An accepted person made ready on the reading thread: their events and documents serialised, only their sequence numbers to come.</summary>
    private sealed record Prepared(ImportedPerson Person, List<IEvent> Events, List<string> EventJson, List<string> HeaderJson,
        string Snapshot, (string Given, string Family, string Father) Search, string History, List<(int Kind, string Id, string Json, long Version)> Shared)
    {
        public string Code => Person.NationalCode;
        public long Version => Events[^1].Version;
    }

    private sealed class Clock
    {
        public long Decide, Events, Chain, Documents, Commit;
    }

    public async Task<ImportSummary> RunAsync(string path, ImportOptions options, Action<ImportProgress>? progress, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var clock = new Clock();
        var total = new FileInfo(path).Length;
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ReadAsync(path, options, channel.Writer, clock, ct), CancellationToken.None);
        long persons = 0, events = 0, skipped = 0, batches = 0, lines = 0, refused = 0;
        var cancelled = false;
        await using (var connection = new NpgsqlConnection(ownerConnectionString))
        {
            await connection.OpenAsync(ct);
            await using (var temp = new NpgsqlCommand(
                "create temp table if not exists import_documents (kind int not null, id text not null, data jsonb not null, version bigint not null) on commit delete rows",
                connection))
                await temp.ExecuteNonQueryAsync(ct);
            await foreach (var batch in channel.Reader.ReadAllAsync(CancellationToken.None))
            {
                // A batch begun is written to the end; one not begun when the run is cancelled is abandoned whole.
                if (ct.IsCancellationRequested) break;
                var (written, writtenEvents) = await WriteAsync(connection, batch.Persons, options, clock);
                (persons, events, skipped, batches) = (persons + written, events + writtenEvents, skipped + batch.Persons.Count - written, batches + 1);
                (lines, refused) = (batch.Lines, batch.Refused);
                progress?.Invoke(new ImportProgress(batch.BytesRead, total, lines, persons, events, refused, skipped, batches));
            }
        }
        try
        {
            (lines, refused) = await producer;
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
        }
        cancelled |= ct.IsCancellationRequested;
        static TimeSpan T(long ticks) => Stopwatch.GetElapsedTime(0, ticks);
        return new ImportSummary(lines, persons, events, refused, skipped, batches, Stopwatch.GetElapsedTime(started), Process.GetCurrentProcess().PeakWorkingSet64,
            new ImportPhases(T(clock.Decide), T(clock.Events), T(clock.Chain), T(clock.Documents), T(clock.Commit)), cancelled);
    }

    /// <summary>Reads and decides the lines, hands on full batches, and writes each refused line to the report.</summary>
    private async Task<(long Lines, long Refused)> ReadAsync(string path, ImportOptions options, ChannelWriter<Batch> batches, Clock clock, CancellationToken ct)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var reader = new StreamReader(file);
            await using var report = options.ReportPath is null ? null : new StreamWriter(options.ReportPath, append: false);
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var batch = new List<Prepared>(options.BatchSize);
            long lines = 0, refused = 0;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                lines++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                var begun = Stopwatch.GetTimestamp();
                var person = PersonImport.Decide(lines, line, today, out var refusal);
                if (person is not null) batch.Add(Prepare(person, options));
                clock.Decide += Stopwatch.GetTimestamp() - begun;
                if (person is null)
                {
                    refused++;
                    if (report is not null) await report.WriteLineAsync(JsonSerializer.Serialize(refusal, LegacyFormat.Json));
                }
                if (batch.Count < options.BatchSize) continue;
                await batches.WriteAsync(new Batch(batch, file.Position, lines, refused), ct);
                batch = new List<Prepared>(options.BatchSize);
            }
            if (batch.Count > 0) await batches.WriteAsync(new Batch(batch, file.Position, lines, refused), ct);
            return (lines, refused);
        }
        finally
        {
            batches.Complete();
        }
    }

    /// <summary>One batch in one transaction; returns the persons and events written (persons already imported are skipped).</summary>
    private async Task<(int Persons, int Events)> WriteAsync(NpgsqlConnection connection, List<Prepared> batch, ImportOptions options, Clock clock)
    {
        var ct = CancellationToken.None;
        var begun = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ImportChain.SkipTriggerAsync(connection, transaction, ct);

        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var find = new NpgsqlCommand($"select id from {_schema}.mt_streams where id = any(@ids)", connection, transaction))
        {
            find.Parameters.AddWithValue("ids", batch.Select(p => p.Code).ToArray());
            await using var rows = await find.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct)) existing.Add(rows.GetString(0));
        }
        var persons = batch.Where(p => existing.Add(p.Code)).ToList();
        if (persons.Count == 0)
        {
            await transaction.CommitAsync(ct);
            return (0, 0);
        }

        var count = persons.Sum(p => p.Events.Count);
        var sequence = new Queue<long>(count);
        await using (var next = new NpgsqlCommand($"select nextval('{_schema}.mt_events_sequence') from generate_series(1, @n)", connection, transaction))
        {
            next.Parameters.AddWithValue("n", count);
            await using var rows = await next.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct)) sequence.Enqueue(rows.GetInt64(0));
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"copy {_schema}.mt_streams (id, version, tenant_id) from stdin (format binary)", ct))
        {
            foreach (var person in persons)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(person.Code, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(person.Version, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(Tenant, NpgsqlDbType.Varchar, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync($"""
            copy {_schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived,
                correlation_id, causation_id, headers, user_name) from stdin (format binary)
            """, ct))
        {
            foreach (var person in persons)
                for (var i = 0; i < person.Events.Count; i++)
                {
                    var e = person.Events[i];
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(sequence.Dequeue(), NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(person.Code, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(e.Version, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(person.EventJson[i], NpgsqlDbType.Jsonb, ct);
                    await copy.WriteAsync(e.EventTypeName, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(Tenant, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(e.DotNetTypeName, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                    await copy.WriteAsync(e.CorrelationId!, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(e.CausationId!, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(person.HeaderJson[i], NpgsqlDbType.Jsonb, ct);
                    await copy.WriteAsync(e.UserName!, NpgsqlDbType.Varchar, ct);
                }
            await copy.CompleteAsync(ct);
        }
        var copied = Stopwatch.GetTimestamp();
        clock.Events += copied - begun;

        await ImportChain.LinkAsync(connection, transaction, _schema, persons.Select(p => p.Code).ToArray(), ct);
        var chained = Stopwatch.GetTimestamp();
        clock.Chain += chained - copied;

        await WriteDocumentsAsync(connection, transaction, persons);
        await AdvanceSerialsAsync(connection, transaction, persons);
        var documented = Stopwatch.GetTimestamp();
        clock.Documents += documented - chained;

        await transaction.CommitAsync(ct);
        clock.Commit += Stopwatch.GetTimestamp() - documented;
        return (persons.Count, count);
    }

    /// <summary>
    /// The person's own events as Marten would have stored them: versions from 1, the stored type names, the moment they are
    /// made ready as the timestamp (a batch waits for at most the one before it), and headers saying where they came from and
    /// the legacy registry's day of recording. Ids are derived from the stream and version, so every run gives the same events. Then the inline projections' documents, by their own
    /// Evolve: the snapshot and history from the person's events; each marriage and correction from every event the line's
    /// decisions produced for it (a marriage's events on both spouses' streams, as the inline projection sees them in the
    /// command's session). Both spouses' lines give the same marriage record, so the one written later replaces the other
    /// with the same content.
    /// </summary>
    private Prepared Prepare(ImportedPerson person, ImportOptions options)
    {
        var events = new List<IEvent>();
        // Recorded now, as every event of the registry is: the feed takes an event's timestamp for when it was appended, to tell
        // a settled gap in the sequence from an append still in flight. The legacy registry's day is kept in a header.
        var timestamp = StoredTime.Of(DateTimeOffset.UtcNow);
        foreach (var decided in person.Own)
        {
            var e = _events.BuildEvent(decided.Data);
            (e.StreamKey, e.Version, e.Timestamp, e.TenantId) = (person.NationalCode, events.Count + 1, timestamp, Tenant);
            e.Id = LegacyFormat.Deterministic($"vitalevents.import/event/{person.NationalCode}/{e.Version}");
            (e.UserName, e.CorrelationId, e.CausationId) = (options.UserName, $"import:{person.LegacyId}", $"import:{person.LegacyId}");
            e.SetHeader("officeCode", decided.OfficeCode);
            e.SetHeader("importedFrom", options.Source);
            e.SetHeader("legacyId", person.LegacyId);
            e.SetHeader("legacyRecordedOn", decided.RecordedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            events.Add(e);
        }

        PersonSnapshot? snapshot = null;
        PersonHistory? history = null;
        var shared = new List<(int Kind, string Id, string Json, long Version)>();
        var corrections = new Dictionary<Guid, (CorrectionCase? Case, int Events)>();
        foreach (var e in events)
        {
            snapshot = _snapshots.Evolve(snapshot, person.NationalCode, e);
            history = _histories.Evolve(history, person.NationalCode, e);
            if (CorrectionOf(e.Data) is { } correction)
            {
                var (current, n) = corrections.GetValueOrDefault(correction);
                corrections[correction] = (_corrections.Evolve(current, correction, e), n + 1);
            }
        }
        var marriages = new Dictionary<Guid, (MarriageRecord? Record, int Events)>();
        foreach (var decided in person.Decided)
        {
            if (MarriageOf(decided.Data) is not { } marriage) continue;
            var e = _events.BuildEvent(decided.Data);
            e.StreamKey = decided.NationalCode;
            var (current, n) = marriages.GetValueOrDefault(marriage);
            marriages[marriage] = (_marriages.Evolve(current, marriage, e), n + 1);
        }
        foreach (var (id, (document, n)) in corrections)
            if (document is not null) shared.Add((CorrectionKind, id.ToString(), _json.ToJson(document), n));
        foreach (var (id, (document, n)) in marriages)
            if (document is not null) shared.Add((MarriageKind, id.ToString(), _json.ToJson(document), n));
        return new Prepared(person, events, events.Select(e => _json.ToJson(e.Data)).ToList(), events.Select(e => _json.ToJson(e.Headers)).ToList(),
            _json.ToJson(snapshot!), (snapshot!.SearchGivenName, snapshot.SearchFamilyName, snapshot.SearchFatherName), _json.ToJson(history!), shared);
    }

    private const int MarriageKind = 2, CorrectionKind = 3;

    private async Task WriteDocumentsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Prepared> persons)
    {
        var ct = CancellationToken.None;
        // A person's snapshot and history are new with their stream: straight into their tables. Marriages and corrections
        // may already be there from the other spouse's line: staged, then upserted (the batch's last line for each wins).
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"copy {TableOf<PersonSnapshot>()} (id, data, mt_dotnet_type, mt_version, search_given_name, search_family_name, search_father_name) from stdin (format binary)", ct))
        {
            foreach (var p in persons)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(p.Code, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Snapshot, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(typeof(PersonSnapshot).FullName!, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Version, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(p.Search.Given, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Search.Family, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Search.Father, NpgsqlDbType.Varchar, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"copy {TableOf<PersonHistory>()} (id, data, mt_dotnet_type, mt_version) from stdin (format binary)", ct))
        {
            foreach (var p in persons)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(p.Code, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.History, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(typeof(PersonHistory).FullName!, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Version, NpgsqlDbType.Bigint, ct);
            }
            await copy.CompleteAsync(ct);
        }
        var shared = new Dictionary<(int Kind, string Id), (string Json, long Version)>();
        foreach (var (kind, id, json, version) in persons.SelectMany(p => p.Shared)) shared[(kind, id)] = (json, version);
        if (shared.Count == 0) return;
        await using (var copy = await connection.BeginBinaryImportAsync("copy import_documents (kind, id, data, version) from stdin (format binary)", ct))
        {
            foreach (var ((kind, id), (json, version)) in shared)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(kind, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(id, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(json, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(version, NpgsqlDbType.Bigint, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using var command = new NpgsqlCommand(string.Join(";\n", Upsert<MarriageRecord>(MarriageKind, "id::uuid"), Upsert<CorrectionCase>(CorrectionKind, "id::uuid")),
            connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    private string TableOf<T>() => store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;

    private string Upsert<T>(int kind, string id) => $"""
        insert into {TableOf<T>()} (id, data, mt_last_modified, mt_dotnet_type, mt_version)
        select {id}, data, transaction_timestamp(), '{typeof(T).FullName}', version from import_documents where kind = {kind}
        on conflict (id) do update set data = excluded.data, mt_last_modified = excluded.mt_last_modified, mt_version = excluded.mt_version
        """;

    private static Guid? MarriageOf(object data) => data switch
    {
        MarriageRegistered e => e.MarriageId,
        DivorceRegistered e => e.MarriageId,
        MarriageEndedByDeath e => e.MarriageId,
        MarriageTermWaived e => e.MarriageId,
        MarriageAnnulled e => e.MarriageId,
        MarriageResumed e => e.MarriageId,
        _ => null,
    };

    private static Guid? CorrectionOf(object data) => data switch
    {
        CorrectionRequested e => e.CorrectionId,
        CorrectionApproved e => e.CorrectionId,
        CorrectionRejected e => e.CorrectionId,
        _ => null,
    };

    /// <summary>A newborn is never issued an imported code: each county's serial counter is moved past the largest imported serial.</summary>
    private async Task AdvanceSerialsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Prepared> persons)
    {
        var top = persons.GroupBy(p => p.Code[..3]).Select(g => (County: g.Key, Serial: g.Max(p => int.Parse(p.Code.AsSpan(3, 6))))).ToList();
        await using var command = new NpgsqlCommand($"""
            insert into {_schema}.{NationalCodeIssuer.TableName} as s (county, last_serial)
            select county, serial from unnest(@counties, @serials) as t(county, serial)
            on conflict (county) do update set last_serial = greatest(s.last_serial, excluded.last_serial)
            """, connection, transaction);
        command.Parameters.AddWithValue("counties", top.Select(t => t.County).ToArray());
        command.Parameters.AddWithValue("serials", top.Select(t => t.Serial).ToArray());
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
