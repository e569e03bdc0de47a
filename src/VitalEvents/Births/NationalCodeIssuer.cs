using Marten;
using VitalEvents.Domain;
using VitalEvents.Pipeline;
using VitalEvents.Storage;
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
    public static Table Table(string schema) => Serials.Table(schema, TableName, ("county", "char(3)"));

    public static async Task<string> IssueAsync(IDocumentSession session, string countyCode, CancellationToken ct)
    {
        await using var command = await Serials.NextAsync(session, ct, TableName, ("county", countyCode));
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
