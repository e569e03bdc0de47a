using Npgsql;
using VitalEvents.Http;
using VitalEvents.Storage;

namespace VitalEvents.Api;

/// <summary>
/// Read-your-writes where reads go to standbys (<see cref="ConsistencyToken"/>): a successful write's answer carries the
/// primary's log position after its commit; a request carrying one has its trailing reads wait for it. Without standbys
/// there is nothing to wait for, and no token is given.
/// </summary>
public sealed class ConsistencyMiddleware(RequestDelegate next, StoreSettings settings, ILogger<ConsistencyMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (settings.ReadConnectionString is null)
        {
            await next(http);
            return;
        }
        if (http.Request.Headers[ConsistencyToken.Header] is { Count: > 0 } sent)
        {
            if (sent.Count > 1 || !ConsistencyToken.TryParse(sent[0], out var token))
            {
                await Problems.Invalid(ConsistencyToken.InvalidCode,
                    $"{ConsistencyToken.Header} is the value a write answered with (a log position such as 0/3000110).").ExecuteAsync(http);
                return;
            }
            ConsistencyToken.Current = token;
        }
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method))
            http.Response.OnStarting(() => StampAsync(http));
        await next(http);
    }

    /// <summary>The write has committed by the time its answer starts: the primary's current position is at or past its commit.</summary>
    private async Task StampAsync(HttpContext http)
    {
        if (http.Response.StatusCode is < 200 or >= 300) return;
        try
        {
            await using var connection = new NpgsqlConnection(settings.ConnectionString);
            await connection.OpenAsync(http.RequestAborted);
            await using var command = new NpgsqlCommand("select pg_current_wal_lsn()::text", connection);
            http.Response.Headers[ConsistencyToken.Header] = (string)(await command.ExecuteScalarAsync(http.RequestAborted))!;
        }
        catch (Exception e) when (Commit.IsConnectionFailure(e) || e is OperationCanceledException)
        {
            // The write stands; the client's next read may then trail it.
            logger.LogWarning(e, "No consistency token for a write: the primary could not be asked for its position");
        }
    }
}
