using Marten;
using Npgsql;
using VitalEvents.Domain;
using VitalEvents.Pipeline;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace VitalEvents.Births;

/// <summary>
/// Issues newborns' national codes: county code + the county's next serial + check digit. The serial is taken inside the
/// registration's own transaction under a row lock, so concurrent registrations never share a code and a refused or failed
/// registration gives its serial back. Serials whose code must never be issued (all digits the same) are passed over.
/// </summary>
public static class NationalCodeIssuer
{
    public const string TableName = "national_code_serials";

    /// <summary>The table holding each county's last issued serial.</summary>
    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn("county", "char(3)").AsPrimaryKey();
        table.AddColumn("last_serial", "integer").NotNull();
        return table;
    }

    public static async Task<string> IssueAsync(IDocumentSession session, string countyCode, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        await using var command = new NpgsqlCommand(
            $"""
            insert into {schema}.{TableName} as s (county, last_serial) values (@county, 1)
            on conflict (county) do update set last_serial = s.last_serial + 1
            returning last_serial
            """, session.Connection);
        command.Parameters.AddWithValue("county", countyCode);
        while (true)
        {
            var serial = (int)(await command.ExecuteScalarAsync(ct))!;
            if (serial > NationalCode.MaxSerial)
                throw new RuleViolationException(new RuleViolation("nationalCode.countyExhausted",
                    $"County {countyCode} has issued all {NationalCode.MaxSerial} serials."));
            if (NationalCode.Issue(countyCode, serial) is { } code) return code;
        }
    }
}
