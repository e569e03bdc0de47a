using Marten;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace VitalEvents.Storage;

/// <summary>
/// Counters that give serials without gaps: the next serial of a key is taken inside the caller's transaction under the row's
/// lock, so concurrent takers queue for it and one whose transaction rolls back gives its serial back.
/// </summary>
public static class Serials
{
    /// <summary>The table of a counter: its key columns and the last serial taken.</summary>
    public static Table Table(string schema, string name, params (string Column, string Type)[] key)
    {
        var table = new Table(new PostgresqlObjectName(schema, name, SchemaUtils.IdentifierUsage.General));
        foreach (var (column, type) in key) table.AddColumn(column, type).AsPrimaryKey();
        table.AddColumn("last_serial", "integer").NotNull();
        return table;
    }

    /// <summary>A command that takes the next serial of the key each time it runs (in the session's transaction, begun here).</summary>
    public static async Task<NpgsqlCommand> NextAsync(IDocumentSession session, CancellationToken ct, string table, params (string Column, object Value)[] key)
    {
        await session.BeginTransactionAsync(ct);
        var columns = string.Join(", ", key.Select(k => k.Column));
        var command = new NpgsqlCommand(
            $"""
            insert into {session.DocumentStore.Options.DatabaseSchemaName}.{table} as s ({columns}, last_serial)
            values ({string.Join(", ", key.Select(k => "@" + k.Column))}, 1)
            on conflict ({columns}) do update set last_serial = s.last_serial + 1
            returning last_serial
            """, session.Connection);
        foreach (var (column, value) in key) command.Parameters.AddWithValue(column, value);
        return command;
    }
}
