using Marten;
using Npgsql;
using NpgsqlTypes;

namespace VitalEvents.Storage;

/// <summary>
/// The connections of reads that may trail the latest write (search, statistics, the feeds): a hot standby's when
/// <see cref="StoreSettings.ReadConnectionString"/> names one, else the primary's. A read carrying a consistency token (the
/// position in the write-ahead log a write of the client's reached, <see cref="ConsistencyToken"/>) is answered from a
/// standby only once it has replayed that far, waiting up to <see cref="StoreSettings.ReadWait"/>; else from the primary.
/// </summary>
public sealed class ReadConnections(StoreSettings settings)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);
    private readonly string? _reads = settings.ReadConnectionString is { } reads ? StoreSetup.Pooled(reads) : null;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        if (_reads is null) return await OpenAsync(settings.ConnectionString, ct);
        NpgsqlConnection standby;
        try
        {
            standby = await OpenAsync(_reads, ct);
        }
        catch (Exception e) when (Commit.IsConnectionFailure(e) && !ct.IsCancellationRequested)
        {
            return await OpenAsync(settings.ConnectionString, ct);
        }
        if (ConsistencyToken.Current is not { } token || await ReplayedAsync(standby, token, ct)) return standby;
        await standby.DisposeAsync();
        return await OpenAsync(settings.ConnectionString, ct);
    }

    /// <summary>A Marten query session on the connection (which the caller disposes after it).</summary>
    public static IQuerySession QuerySession(IDocumentStore store, NpgsqlConnection connection) =>
        store.QuerySession(Marten.Services.SessionOptions.ForConnection(connection));

    /// <summary>Whether the server has replayed the log up to the token, waiting for it a little; a primary always has.</summary>
    private async Task<bool> ReplayedAsync(NpgsqlConnection connection, NpgsqlLogSequenceNumber token, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var command = new NpgsqlCommand("select coalesce(pg_last_wal_replay_lsn() >= @token::pg_lsn, not pg_is_in_recovery())", connection);
        command.Parameters.AddWithValue("token", token.ToString());
        while (true)
        {
            if ((bool)(await command.ExecuteScalarAsync(ct))!) return true;
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) >= settings.ReadWait) return false;
            await Task.Delay(Poll, ct);
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
