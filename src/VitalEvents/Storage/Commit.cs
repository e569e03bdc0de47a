using Marten;
using Marten.Exceptions;
using Npgsql;
using VitalEvents.Pipeline;

namespace VitalEvents.Storage;

/// <summary>
/// Commits a session's unit of work and knows its outcome even when the connection fails during the commit: the
/// transaction's id is taken first, and after a connection failure a fresh connection asks PostgreSQL whether that
/// transaction committed (<c>pg_xact_status</c>). So a write is never reported failed once it has committed, and never
/// reported done unless it has. The answer is trusted only on the timeline the transaction began on: after a failover the
/// promoted standby hands out again the transaction ids the lost primary gave to commits that never reached it, so there
/// the outcome is unknown, and the caller's retry with its Idempotency-Key settles it.
/// </summary>
public static class Commit
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);

    public static async Task SaveAsync(IDocumentSession session, string connectionString, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        string xid, timeline;
        await using (var command = new NpgsqlCommand($"select pg_current_xact_id()::text, {Timeline}", session.Connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (xid, timeline) = (reader.GetString(0), reader.GetString(1));
        }
        try
        {
            // Once decided, the commit runs to the end even when the caller has gone: its outcome must be known.
            await session.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            switch (await StatusAsync(connectionString, xid, timeline))
            {
                case "committed":
                    return;
                case "aborted":
                    throw new DatabaseUnavailableException("The database connection failed before the write committed; nothing was recorded.", e);
                default:
                    throw new CommitOutcomeUnknownException(e);
            }
        }
    }

    /// <summary>
    /// A failure of the connection rather than a refusal by the server: the server may or may not have committed. A
    /// PostgreSQL error is a refusal unless it says the connection or the server itself failed (classes 08, 57, 58).
    /// </summary>
    public static bool IsConnectionFailure(Exception e) => Unwrap(e) switch
    {
        PostgresException p => p.SqlState[..2] is "08" or "57" or "58",
        NpgsqlException or IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        _ => false,
    };

    public static Exception Unwrap(Exception e) => e switch
    {
        MartenCommandException { InnerException: { } inner } => Unwrap(inner),
        AggregateException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };

    /// <summary>The primary's timeline (the first 8 hex digits of its current WAL file's name): a promoted standby starts a new one.</summary>
    private const string Timeline = "substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)";

    /// <summary>
    /// committed, aborted, or null when it could not be learnt (the database stayed unreachable, the transaction stayed in progress,
    /// or the server answering is on another timeline than the one the transaction began on).
    /// </summary>
    private static async Task<string?> StatusAsync(string connectionString, string xid, string timeline)
    {
        var quick = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 2, CommandTimeout = 2 }.ConnectionString;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < GiveUpAfter)
        {
            try
            {
                await using var connection = new NpgsqlConnection(quick);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"select {Timeline}, pg_xact_status(@xid::xid8)", connection);
                command.Parameters.AddWithValue("xid", xid);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                if (reader.GetString(0) != timeline) return null;
                if (!reader.IsDBNull(1) && reader.GetString(1) is var status and not "in progress") return status;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
            {
                // "transaction ID is in the future": the id was given out by a primary this server never heard from.
                return null;
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
            }
            await Task.Delay(Poll);
        }
        return null;
    }
}
