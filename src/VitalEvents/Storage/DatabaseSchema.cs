using JasperFx;
using Marten;
using Microsoft.Extensions.Hosting;
using Npgsql;
using VitalEvents.Integrity;

namespace VitalEvents.Storage;

/// <summary>
/// Applies the registry's schema as the owner role: Marten's tables and functions, the event hash chain and its trigger,
/// checkpoints, the access log, and the application role's grants — appending events, never updating or deleting them.
/// </summary>
public static class DatabaseSchema
{
    /// <summary>Schema objects of the registry's own, in the order they must be created (after Marten's).</summary>
    public static readonly List<Func<string, string>> Extensions = [IntegritySchema.Sql, Audit.AccessLog.Sql];

    /// <summary>A document store on the owner's connection, able to change the schema.</summary>
    public static DocumentStore OwnerStore(StoreSettings settings) =>
        DocumentStore.For(opts => StoreSetup.Configure(opts, settings.Owner, settings.Schema, AutoCreate.CreateOrUpdate));

    public static async Task ApplyAsync(StoreSettings settings, CancellationToken ct)
    {
        using (var owner = OwnerStore(settings))
            await owner.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        await using var connection = new NpgsqlConnection(settings.Owner);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var serialise = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('vitalevents.schema.' || @schema))", connection, transaction))
        {
            serialise.Parameters.AddWithValue("schema", settings.Schema);
            await serialise.ExecuteNonQueryAsync(ct);
        }
        foreach (var sql in Extensions.Select(e => e(settings.Schema)).Append(Grants(settings)))
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>The application role may read and write projections, and append to the logs, but never change them.</summary>
    private static string Grants(StoreSettings settings)
    {
        var app = new NpgsqlConnectionStringBuilder(settings.ConnectionString).Username;
        var owner = new NpgsqlConnectionStringBuilder(settings.Owner).Username;
        if (string.IsNullOrEmpty(app) || app == owner) return "select 1";
        var s = settings.Schema;
        return $"""
            grant usage on schema {s} to "{app}";
            grant select, insert, update, delete, truncate on all tables in schema {s} to "{app}";
            grant usage, select, update on all sequences in schema {s} to "{app}";
            grant execute on all functions in schema {s} to "{app}";
            revoke update, delete, truncate on {s}.mt_events from "{app}";
            revoke insert, update, delete, truncate on {s}.{IntegritySchema.ChainTable} from "{app}";
            revoke update, delete, truncate on {s}.{IntegritySchema.CheckpointTable} from "{app}";
            {string.Join("\n", AppendOnlyTables.Select(t => $"revoke update, delete, truncate on {s}.{t} from \"{app}\";"))}
            """;
    }

    /// <summary>Further tables the application may only append to and read.</summary>
    public static readonly List<string> AppendOnlyTables = [Audit.AccessLog.TableName];
}

/// <summary>Applies the schema when the service starts (development), before anything reads or writes.</summary>
public sealed class SchemaOnStartup(StoreSettings settings) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => DatabaseSchema.ApplyAsync(settings, cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
