using System.Security.Cryptography;
using Npgsql;

namespace VitalEvents.Integrity;

/// <summary>Reads the events, chain links and checkpoints of a schema for verification, export and new checkpoints.</summary>
public sealed class DatabaseIntegrity(string connectionString, string schema)
{
    private string EventsByStream => $"""
        select e.seq_id, e.stream_id, e.version, {IntegritySchema.CanonicalText}, c.hash, c.previous_hash
        from {schema}.mt_events e left join {schema}.{IntegritySchema.ChainTable} c on c.seq_id = e.seq_id
        order by e.stream_id, e.version, e.seq_id
        """;

    /// <summary>Verifies every stream's chain, every checkpoint and its signature.</summary>
    public async Task<IntegrityReport> VerifyAsync(ECDsa publicKey, CancellationToken ct)
    {
        var verification = new Verification(publicKey);
        verification.CheckChains(Stream(EventsByStream, ReadEvent, ct).ToBlockingEnumerable(ct));
        verification.CheckOrphans((await OrphansAsync(ct)).Select(o => (o.Seq, o.StreamId, o.Version)));
        var checkpoints = await CheckpointsAsync(ct);
        var links = Stream($"select seq_id, hash from {schema}.{IntegritySchema.ChainTable} order by seq_id", r => (r.GetInt64(0), (byte[])r[1]), ct)
            .ToBlockingEnumerable(ct);
        var count = verification.CheckCheckpoints(checkpoints, links, out var afterLast);
        return verification.Report(count, afterLast);
    }

    /// <summary>Every event with its chain link, by stream and version, streamed.</summary>
    public IAsyncEnumerable<ChainedEvent> EventsAsync(CancellationToken ct) => Stream(EventsByStream, ReadEvent, ct);

    /// <summary>Chain links whose event is gone (deleted, or moved to another stream or version).</summary>
    public Task<List<(long Seq, string StreamId, long Version, byte[] Hash)>> OrphansAsync(CancellationToken ct) => ReadAsync(
        $"select c.seq_id, c.stream_id, c.version, c.hash from {schema}.{IntegritySchema.ChainTable} c where not exists (select from {schema}.mt_events e where e.seq_id = c.seq_id and e.stream_id = c.stream_id and e.version = c.version) order by c.seq_id",
        r => (r.GetInt64(0), r.GetString(1), r.GetInt64(2), (byte[])r[3]), ct);

    public Task<List<Checkpoint>> CheckpointsAsync(CancellationToken ct) => ReadAsync(
        $"select id, up_to_seq, event_count, digest, previous_digest, signature, key_id, created_at from {schema}.{IntegritySchema.CheckpointTable} order by up_to_seq",
        r => new Checkpoint(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), (byte[])r[3], (byte[])r[4], (byte[])r[5], r.GetString(6), r.GetFieldValue<DateTimeOffset>(7)),
        ct);

    /// <summary>
    /// Signs a checkpoint over every event recorded since the last one, up to the newest event older than
    /// <paramref name="settle"/> (so a transaction still in flight cannot commit a lower sequence after it). Null when
    /// there is nothing new. Checkpointers on several servers take turns under an advisory lock.
    /// </summary>
    public async Task<Checkpoint?> CheckpointAsync(ECDsa key, TimeSpan settle, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Execute(connection, transaction, $"select pg_advisory_xact_lock(hashtext('vitalevents.checkpoint.{schema}'))", ct);

        byte[] previousDigest = [];
        long after = 0;
        await using (var last = new NpgsqlCommand($"select up_to_seq, digest from {schema}.{IntegritySchema.CheckpointTable} order by up_to_seq desc limit 1", connection, transaction))
        await using (var reader = await last.ExecuteReaderAsync(ct))
            if (await reader.ReadAsync(ct)) (after, previousDigest) = (reader.GetInt64(0), (byte[])reader[1]);

        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        digest.AppendData(previousDigest);
        long count = 0, upTo = 0;
        await using (var links = new NpgsqlCommand(
            $"""
            select c.seq_id, c.hash from {schema}.{IntegritySchema.ChainTable} c
            where c.seq_id > @after and c.seq_id <= (select max(e.seq_id) from {schema}.mt_events e where e.timestamp <= now() - @settle)
            order by c.seq_id
            """, connection, transaction))
        {
            links.Parameters.AddWithValue("after", after);
            links.Parameters.AddWithValue("settle", settle);
            await using var reader = await links.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                upTo = reader.GetInt64(0);
                Verification.AppendLeaf(digest, upTo, (byte[])reader[1]);
                count++;
            }
        }
        if (count == 0) return null;
        var hash = digest.GetHashAndReset();
        var signature = key.SignHash(hash);
        await using var insert = new NpgsqlCommand(
            $"""
            insert into {schema}.{IntegritySchema.CheckpointTable} (up_to_seq, event_count, digest, previous_digest, signature, key_id)
            values (@upTo, @count, @digest, @previous, @signature, @keyId) returning id, created_at
            """, connection, transaction);
        insert.Parameters.AddWithValue("upTo", upTo);
        insert.Parameters.AddWithValue("count", count);
        insert.Parameters.AddWithValue("digest", hash);
        insert.Parameters.AddWithValue("previous", previousDigest);
        insert.Parameters.AddWithValue("signature", signature);
        insert.Parameters.AddWithValue("keyId", RegistryKey.Id(key));
        long id;
        DateTimeOffset createdAt;
        await using (var reader = await insert.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (id, createdAt) = (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1));
        }
        await transaction.CommitAsync(ct);
        return new Checkpoint(id, upTo, count, hash, previousDigest, signature, RegistryKey.Id(key), createdAt);
    }

    private static ChainedEvent ReadEvent(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3),
        r.IsDBNull(4) ? null : (byte[])r[4], r.IsDBNull(5) ? null : (byte[])r[5]);

    private async Task<List<T>> ReadAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var rows = new List<T>();
        await foreach (var row in Stream(sql, read, ct)) rows.Add(row);
        return rows;
    }

    private async IAsyncEnumerable<T> Stream<T>(string sql, Func<NpgsqlDataReader, T> read, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        while (await reader.ReadAsync(ct)) yield return read(reader);
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
