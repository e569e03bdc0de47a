using JasperFx;
using Marten;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace VitalEvents.Storage;

/// <summary>
/// Applies the registry's schema as the owner role: Marten's tables and functions, then each capability's own objects (the
/// event hash chain and its trigger, checkpoints, the access log…), then the application role's grants — appending events and
/// logs, never updating or deleting them.
/// </summary>
public static class DatabaseSchema
{
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
        var sql = Capabilities.All.Select(c => c.OwnerSql).OfType<Func<string, string>>().Prepend(ReadStreamsCheck.Sql)
            .Select(objects => objects(settings.Schema)).Append(Grants(settings));
        foreach (var statement in sql)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>The application role may read and write projections, append to the event store and the logs, never change them.</summary>
    private static string Grants(StoreSettings settings)
    {
        var app = new NpgsqlConnectionStringBuilder(settings.ConnectionString).Username;
        var owner = new NpgsqlConnectionStringBuilder(settings.Owner).Username;
        if (string.IsNullOrEmpty(app) || app == owner) return "select 1";
        var s = settings.Schema;
        var appendOnly = Capabilities.All.SelectMany(c => c.AppendOnlyTables).Prepend("mt_events");
        var readOnly = Capabilities.All.SelectMany(c => c.ReadOnlyTables);
        return $"""
            grant usage on schema {s} to "{app}";
            grant select, insert, update, delete, truncate on all tables in schema {s} to "{app}";
            grant usage, select, update on all sequences in schema {s} to "{app}";
            grant execute on all functions in schema {s} to "{app}";
            {string.Join("\n", appendOnly.Select(t => $"revoke update, delete, truncate on {s}.{t} from \"{app}\";"))}
            {string.Join("\n", readOnly.Select(t => $"revoke insert, update, delete, truncate on {s}.{t} from \"{app}\";"))}
            """;
    }
}

/// <summary>Applies the schema when the service starts (development), before anything reads or writes.</summary>
public sealed class SchemaOnStartup(StoreSettings settings) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => DatabaseSchema.ApplyAsync(settings, cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
