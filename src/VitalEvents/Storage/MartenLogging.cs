using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace VitalEvents.Storage;

/// <summary>
/// What Marten reports about the SQL it runs, without the parameters: they are national codes and names. A failed command
/// is written at Debug (the failure itself reaches the caller and is answered, and logged, there); schema changes at
/// Information.
/// </summary>
public sealed class MartenLogging(ILogger<MartenLogging> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Schema change: {Sql}", sql);

    public void LogFailure(NpgsqlCommand command, Exception ex) =>
        logger.LogDebug("Marten command failed ({Error}): {Sql}", ex.GetType().Name, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) =>
        logger.LogDebug("Marten batch of {Count} commands failed ({Error}): {Sql}", batch.BatchCommands.Count, ex.GetType().Name,
            string.Join("; ", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));

    public void LogFailure(Exception ex, string message) => logger.LogDebug("Marten: {Message} ({Error})", message, ex.GetType().Name);

    public void LogSuccess(NpgsqlCommand command)
    {
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
    }

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }
}
