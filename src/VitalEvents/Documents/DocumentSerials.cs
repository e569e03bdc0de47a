using Marten;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace VitalEvents.Documents;

/// <summary>
/// Documents' serial numbers, one sequence per kind and Solar Hijri year, without gaps: the serial is taken inside the issuing
/// transaction under the row's lock, so concurrent issues queue for it and a refused or failed issue gives its number back.
/// </summary>
public static class DocumentSerials
{
    public const string TableName = "document_serials";

    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn("kind", "varchar(40)").AsPrimaryKey();
        table.AddColumn("year", "integer").AsPrimaryKey();
        table.AddColumn("last_serial", "integer").NotNull();
        return table;
    }

    public static async Task<int> NextAsync(IDocumentSession session, string kind, int year, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            insert into {session.DocumentStore.Options.DatabaseSchemaName}.{TableName} as s (kind, year, last_serial) values (@kind, @year, 1)
            on conflict (kind, year) do update set last_serial = s.last_serial + 1
            returning last_serial
            """, session.Connection);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("year", year);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }
}
