using System.Diagnostics;
using System.Threading.Channels;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Audit;

/// <summary>The request header that says why data is read; the access log keeps it.</summary>
public static class AccessLogHeaders
{
    public const string Purpose = "X-Purpose";
}

/// <summary>What was read about a person: the values of the access log's <c>resource</c> column.</summary>
public static class AccessedResource
{
    public const string Snapshot = "snapshot";
    public const string History = "history";
    public const string Diff = "diff";
    /// <summary>An agency's identity verification (Hoda): what was asked is kept as attribute names, never values.</summary>
    public const string Verification = "verification";
    /// <summary>A birth a facility notified, read in detail by office staff or the facility: recorded under the mother.</summary>
    public const string BirthNotification = "birthNotification";
    /// <summary>A document issued from the record (its list, or one document's printed fields).</summary>
    public const string Document = "document";
}

/// <summary>A query that reads a person's data: the access log records who ran it, why, and whether the person was found.</summary>
public interface IRecordedRead
{
    string NationalCode { get; }

    /// <summary>What was read (<see cref="AccessedResource"/>).</summary>
    string Resource { get; }

    /// <summary>How it was asked for (a point in time, filters), as kept in the log's <c>query</c> column.</summary>
    string? Detail { get; }
}

/// <summary>
/// Writes every run of a recorded read to the access log before its answer leaves: status 200 when the person's data was
/// found, 404 when not. If the log cannot be written, the read fails.
/// </summary>
public sealed class AccessLogBehavior<TMessage, TResponse>(AccessLog log, RequestContext context) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IRecordedRead, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var answer = await next(message, cancellationToken);
        await log.RecordAsync(context, message.Resource, message.NationalCode, context.Purpose, message.Detail, answer is null ? 404 : 200, cancellationToken);
        Telemetry.RecordedReads.Add(1, new TagList { { "resource", message.Resource } });
        return answer;
    }
}

/// <summary>One read of a person's data, as the access log keeps it.</summary>
public sealed record AccessEntry(
    long Id, DateTimeOffset At, string UserId, IReadOnlyList<string> Roles, string? OfficeCode, string? Agency, string? Purpose, string Resource,
    string NationalCode, string? Query, int Status, string CorrelationId, AccessSeal? Seal = null);

/// <summary>
/// An auditor's seal on an access-log entry that belongs to a security investigation: the person the entry is about does not see
/// it until <c>Until</c>. An entry's latest seal is the one in force (a later seal extends or ends it).
/// </summary>
public sealed record AccessSeal(long Id, long EntryId, DateTimeOffset SealedAt, string SealedBy, string Reason, DateTimeOffset Until, string CorrelationId);

/// <summary>A read of a person's record as that person sees it: which office or agency, in which role, why, when, what.</summary>
public sealed record AccessAboutMe(long Id, DateTimeOffset At, bool Self, IReadOnlyList<string> Roles, string? OfficeCode, string? Agency,
    string? Purpose, string Resource, string? Query, int Status);

/// <summary>Which part of the access log to read: by person or by user (or both), within a period, one page of it.</summary>
public sealed record AccessQuery(string? NationalCode, string? UserId, Period Period, Paging Paging, long? EntryId = null);

/// <summary>
/// The append-only record of who read whose data. Written through a data source of its own, outside Marten's session, so a
/// read is recorded even though it saves nothing; the application's role may only INSERT and SELECT here.
/// </summary>
public sealed class AccessLog([FromKeyedServices(AccessLog.DataSourceKey)] NpgsqlDataSource dataSource, StoreSettings settings)
{
    public const string TableName = "access_log";
    public const string SealsTableName = "access_log_seals";

    /// <summary>The service key of the <see cref="NpgsqlDataSource"/> the access log writes through.</summary>
    public const string DataSourceKey = "access-log";

    /// <summary>
    /// Idempotent DDL of the access log, to be run by the schema's owner. The id is an identity column rather than a serial
    /// because an identity needs no grant on its sequence: INSERT and SELECT on the table are all the application needs.
    /// </summary>
    public static string Sql(string schema) => $"""
        create table if not exists {schema}.{TableName} (
            id bigint generated always as identity primary key,
            at timestamptz not null default now(),
            user_id text not null,
            roles text[] not null,
            office_code text,
            purpose text,
            resource text not null,
            national_code text not null,
            query text,
            status smallint not null,
            correlation_id text not null
        );
        alter table {schema}.{TableName} add column if not exists agency text;
        create index if not exists {TableName}_national_code on {schema}.{TableName} (national_code, at desc);
        create index if not exists {TableName}_user_id on {schema}.{TableName} (user_id, at desc);
        create table if not exists {schema}.{SealsTableName} (
            id bigint generated always as identity primary key,
            entry_id bigint not null,
            sealed_at timestamptz not null default now(),
            sealed_by text not null,
            reason text not null,
            until timestamptz not null,
            correlation_id text not null
        );
        create index if not exists {SealsTableName}_entry on {schema}.{SealsTableName} (entry_id, id desc);
        """;

    /// <summary>The latest seal of the entry aliased <c>a</c>, as a lateral join.</summary>
    private string LatestSeal => $"""
        left join lateral (select s.id, s.sealed_at, s.sealed_by, s.reason, s.until, s.correlation_id from {settings.Schema}.{SealsTableName} s
                           where s.entry_id = a.id order by s.id desc limit 1) seal on true
        """;

    /// <summary>Longest purpose or query kept; anything longer is cut, so an overlong header never blocks a read.</summary>
    public const int MaxTextLength = 500;

    /// <summary>Most rows written in one round trip.</summary>
    public const int MaxBatch = 256;

    /// <summary>Batches written at the same time (each on a connection of its own).</summary>
    public const int Writers = 4;

    private sealed record Pending(RequestContext Reader, string Resource, string NationalCode, string? Purpose, string? Query, int Status)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private int _started;

    /// <summary>
    /// Records one read; the caller answers only after this has succeeded. Reads recorded at the same time are written together
    /// (a group commit: one round trip and one transaction for up to <see cref="MaxBatch"/> rows); each caller waits for the
    /// batch that holds its row, and if that batch fails, every read in it fails.
    /// </summary>
    public async Task RecordAsync(RequestContext reader, string resource, string nationalCode, string? purpose, string? query, int status,
        CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
            for (var i = 0; i < Writers; i++) _ = Task.Run(WriteBatchesAsync, CancellationToken.None);
        var pending = new Pending(reader, resource, nationalCode, purpose, query, status);
        _queue.Writer.TryWrite(pending);
        await pending.Written.Task.WaitAsync(ct);
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
            if (batch.Count == 0) continue;
            try
            {
                await WriteAsync(batch);
                foreach (var pending in batch) pending.Written.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var pending in batch) pending.Written.TrySetException(e);
            }
        }
    }

    /// <summary>The rows in one round trip; a batch of several statements runs in one implicit transaction, so all are kept or none.</summary>
    private async Task WriteAsync(List<Pending> rows)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        var sql = $"""
            insert into {settings.Schema}.{TableName} (user_id, roles, office_code, agency, purpose, resource, national_code, query, status, correlation_id)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """;
        foreach (var row in rows)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Reader.UserId });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = row.Reader.Roles.Order(StringComparer.Ordinal).ToArray() });
            command.Parameters.Add(Text(row.Reader.OfficeCode));
            command.Parameters.Add(Text(row.Reader.AgencyId));
            command.Parameters.Add(Text(Cut(row.Purpose)));
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Resource });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.NationalCode });
            command.Parameters.Add(Text(Cut(row.Query)));
            command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)row.Status });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Reader.CorrelationId });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The matching reads, newest first, and how many match in all.</summary>
    public async Task<(IReadOnlyList<AccessEntry> Entries, long Total)> FindAsync(AccessQuery query, CancellationToken ct)
    {
        var conditions = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        void Where(string column, string op, NpgsqlParameter value)
        {
            parameters.Add(value);
            conditions.Add($"a.{column} {op} ${parameters.Count}");
        }
        if (query.NationalCode is { } code) Where("national_code", "=", new NpgsqlParameter<string> { TypedValue = code });
        if (query.UserId is { } user) Where("user_id", "=", new NpgsqlParameter<string> { TypedValue = user });
        if (query.EntryId is { } entry) Where("id", "=", new NpgsqlParameter<long> { TypedValue = entry });
        if (query.Period.From is { } from) Where("at", ">=", new NpgsqlParameter<DateTimeOffset> { TypedValue = from });
        if (query.Period.To is { } to) Where("at", "<=", new NpgsqlParameter<DateTimeOffset> { TypedValue = to });
        var where = conditions.Count == 0 ? "" : "where " + string.Join(" and ", conditions);

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand($"select count(*) from {settings.Schema}.{TableName} a {where}", connection);
        count.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        var total = (long)(await count.ExecuteScalarAsync(ct))!;

        await using var select = new NpgsqlCommand($"""
            select a.id, a.at, a.user_id, a.roles, a.office_code, a.agency, a.purpose, a.resource, a.national_code, a.query, a.status, a.correlation_id,
                   seal.id, seal.sealed_at, seal.sealed_by, seal.reason, seal.until, seal.correlation_id
            from {settings.Schema}.{TableName} a {LatestSeal} {where}
            order by a.at desc, a.id desc
            limit {query.Paging.PageSize} offset {query.Paging.Skip}
            """, connection);
        select.Parameters.AddRange(parameters.ToArray());
        var entries = new List<AccessEntry>();
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            entries.Add(new AccessEntry(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                reader.GetFieldValue<string[]>(3), NullableText(reader, 4), NullableText(reader, 5), NullableText(reader, 6), reader.GetString(7),
                reader.GetString(8), NullableText(reader, 9), reader.GetInt16(10), reader.GetString(11),
                reader.IsDBNull(12) ? null : new AccessSeal(reader.GetInt64(12), reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(13),
                    reader.GetString(14), reader.GetString(15), reader.GetFieldValue<DateTimeOffset>(16), reader.GetString(17))));
        return (entries, total);
    }

    /// <summary>
    /// The reads of one person's record as they may see them, newest first: every entry about them but those under a seal in force.
    /// </summary>
    public async Task<(IReadOnlyList<AccessAboutMe> Entries, long Total)> AboutAsync(string nationalCode, Paging paging, CancellationToken ct)
    {
        var visible = $"""
            from {settings.Schema}.{TableName} a {LatestSeal}
            where a.national_code = $1 and (seal.until is null or seal.until <= now())
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand($"select count(*) {visible}", connection) { Parameters = { new NpgsqlParameter<string> { TypedValue = nationalCode } } };
        var total = (long)(await count.ExecuteScalarAsync(ct))!;
        await using var select = new NpgsqlCommand($"""
            select a.id, a.at, a.user_id = a.national_code, a.roles, a.office_code, a.agency, a.purpose, a.resource, a.query, a.status {visible}
            order by a.at desc, a.id desc limit {paging.PageSize} offset {paging.Skip}
            """, connection) { Parameters = { new NpgsqlParameter<string> { TypedValue = nationalCode } } };
        var entries = new List<AccessAboutMe>();
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            entries.Add(new AccessAboutMe(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetBoolean(2), reader.GetFieldValue<string[]>(3),
                NullableText(reader, 4), NullableText(reader, 5), NullableText(reader, 6), reader.GetString(7), NullableText(reader, 8), reader.GetInt16(9)));
        return (entries, total);
    }

    /// <summary>Whether an entry exists, and whose record it is about.</summary>
    public async Task<string?> NationalCodeOfAsync(long entryId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select national_code from {settings.Schema}.{TableName} where id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = entryId });
        return await command.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>The seals placed, newest first, and how many in all.</summary>
    public async Task<(IReadOnlyList<AccessSeal> Seals, long Total)> SealsAsync(Paging paging, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand($"select count(*) from {settings.Schema}.{SealsTableName}", connection);
        var total = (long)(await count.ExecuteScalarAsync(ct))!;
        await using var select = new NpgsqlCommand($"""
            select id, entry_id, sealed_at, sealed_by, reason, until, correlation_id from {settings.Schema}.{SealsTableName}
            order by id desc limit {paging.PageSize} offset {paging.Skip}
            """, connection);
        var seals = new List<AccessSeal>();
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            seals.Add(new AccessSeal(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6)));
        return (seals, total);
    }

    /// <summary>Queues a seal's insert in a Marten session, so it commits with the command that places it (and its idempotency record).</summary>
    public void QueueSeal(Marten.IDocumentSession session, long entryId, string sealedBy, string reason, DateTimeOffset until, string correlationId) =>
        session.QueueSqlCommand($"""
            insert into {settings.Schema}.{SealsTableName} (entry_id, sealed_by, reason, until, correlation_id) values (?, ?, ?, ?, ?)
            """, entryId, sealedBy, reason, until.ToUniversalTime(), correlationId);

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string? Cut(string? text) => text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text;
}

/// <summary>The access log: its table (applied by the owner, append-only for the application), the log and its reads.</summary>
public static class AuditSetup
{
    public static Capability Capability { get; } = new("audit")
    {
        OwnerSql = AccessLog.Sql,
        AppendOnlyTables = [AccessLog.TableName, AccessLog.SealsTableName],
        Services = (services, _) =>
        {
            services.AddKeyedSingleton(AccessLog.DataSourceKey,
                (provider, _) => StoreSetup.DataSource(provider.GetRequiredService<StoreSettings>().ConnectionString));
            services.AddSingleton<AccessLog>();
        },
        Endpoints = app =>
        {
            var api = app.MapGroup("").WithTags("Audit");
            GetAccessLogEndpoint.Map(api);
            SealAccessEntryEndpoints.Map(api);
        },
    };
}
