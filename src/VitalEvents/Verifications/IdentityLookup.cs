using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Domain.Verifications;
using VitalEvents.Storage;

namespace VitalEvents.Verifications;

/// <summary>
/// Reads only what a verification compares from a person's identity snapshot (Marten's <c>mt_doc_personsnapshot</c>), with one
/// prepared statement: the names, the father's name as recorded at birth, the birth date, and whether and when they died.
/// </summary>
public sealed class IdentityLookup([FromKeyedServices(VerificationsSetup.DataSourceKey)] NpgsqlDataSource dataSource, StoreSettings settings)
{
    private readonly string _sql = $"""
        select data->>'GivenName', data->>'FamilyName', data->'Father'->>'GivenName', (data->>'BirthDate')::date, (data->>'Alive')::boolean,
            (data->>'DateOfDeath')::date
        from {settings.Schema}.mt_doc_personsnapshot where id = $1
        """;

    public async Task<StoredIdentity?> FindAsync(string nationalCode, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(_sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = nationalCode });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new StoredIdentity(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetFieldValue<DateOnly>(3), reader.GetBoolean(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5));
    }
}
