using Marten;
using VitalEvents.Storage;
using Weasel.Postgresql.Tables;

namespace VitalEvents.Documents;

/// <summary>
/// Documents' serial numbers, one sequence per kind and Solar Hijri year, without gaps (<see cref="Serials"/>): concurrent issues
/// of a kind queue for its row, and a refused or failed issue gives its number back.
/// </summary>
public static class DocumentSerials
{
    public const string TableName = "document_serials";

    public static Table Table(string schema) => Serials.Table(schema, TableName, ("kind", "varchar(40)"), ("year", "integer"));

    public static async Task<int> NextAsync(IDocumentSession session, string kind, int year, CancellationToken ct)
    {
        await using var command = await Serials.NextAsync(session, ct, TableName, ("kind", kind), ("year", year));
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }
}
