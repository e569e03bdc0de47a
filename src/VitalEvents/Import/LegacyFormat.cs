using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using VitalEvents.Births;
using VitalEvents.Pipeline;

namespace VitalEvents.Import;

// The legacy registry's export, one person a line (docs/legacy-import.md). Fields are the registry's own request fields, so the
// same validators read them; dates are as the legacy registry keeps them (Solar Hijri yyyy/mm/dd, ISO also read).

/// <summary>Another person a line refers to: their national code and legacy id, and what the line's rules need of them.</summary>
public sealed record LegacyPersonRef(
    string? NationalCode, string? LegacyId, string? GivenName = null, string? FamilyName = null, string? BirthDate = null,
    string? MotherNationalCode = null, string? FatherNationalCode = null);

/// <summary>The person's own birth, as a registrar entered it, and when the legacy registry recorded it.</summary>
public sealed record LegacyBirth(
    string? GivenName, string? FamilyName, string? Sex, string? BirthDate, PlaceInput? BirthPlace, string? OfficeCode, EvidenceInput? Evidence,
    string? BirthTime = null, int? MultipleBirthOrder = null, string? MotherName = null, string? FatherName = null, string? RegisteredOn = null);

/// <summary>One life event on the person's line after the birth, oldest first.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(LegacyMarriage), "marriage")]
[JsonDerivedType(typeof(LegacyDivorce), "divorce")]
[JsonDerivedType(typeof(LegacyChild), "child")]
[JsonDerivedType(typeof(LegacyDeath), "death")]
[JsonDerivedType(typeof(LegacySpouseDeath), "spouseDeath")]
[JsonDerivedType(typeof(LegacyCorrection), "correction")]
public abstract record LegacyFact
{
    public string? Date { get; init; }
    public string? RegisteredOn { get; init; }
    public string? OfficeCode { get; init; }
}

/// <summary>A marriage, on both spouses' lines with the same legacy id; the spouse is the other party.</summary>
public sealed record LegacyMarriage : LegacyFact
{
    public string? LegacyId { get; init; }
    public string? HusbandNationalCode { get; init; }
    public string? WifeNationalCode { get; init; }
    public string? Kind { get; init; }
    public string? TermEnds { get; init; }
    public string? CourtAuthorisationReference { get; init; }
    public string? CourtPermissionReference { get; init; }
    public LegacyPersonRef? Spouse { get; init; }
}

/// <summary>The divorce that ended a marriage of this line (by its legacy id), on both spouses' lines.</summary>
public sealed record LegacyDivorce : LegacyFact
{
    public string? MarriageLegacyId { get; init; }
    public string? Kind { get; init; }
    public string? WaitingPeriodEnds { get; init; }
}

/// <summary>A child's birth, on each registered parent's line; the other parent, if registered, is referred to.</summary>
public sealed record LegacyChild : LegacyFact
{
    public string? NationalCode { get; init; }
    public string? LegacyId { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public string? Sex { get; init; }
    public int? MultipleBirthOrder { get; init; }
    public LegacyPersonRef? OtherParent { get; init; }
}

/// <summary>The person's own death.</summary>
public sealed record LegacyDeath : LegacyFact
{
    public PlaceInput? Place { get; init; }
    public IReadOnlyList<string>? CausesIcd10 { get; init; }
    public string? Certifier { get; init; }
}

/// <summary>The death of the spouse of a marriage of this line (by its legacy id), which ended it.</summary>
public sealed record LegacySpouseDeath : LegacyFact
{
    public string? MarriageLegacyId { get; init; }
}

/// <summary>A correction of the person's record: requested by one registrar, then approved, rejected, or still pending.</summary>
public sealed record LegacyCorrection : LegacyFact
{
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Pending = "pending";
    public static readonly string[] Outcomes = [Approved, Rejected, Pending];

    public string? LegacyId { get; init; }
    public string? Field { get; init; }
    public string? NewValue { get; init; }
    public string? Authority { get; init; }
    public string? DecisionReference { get; init; }
    public string? Reason { get; init; }
    public string? RequestedBy { get; init; }
    public string? Outcome { get; init; }
    public string? DecidedBy { get; init; }
    public string? RejectionReason { get; init; }
}

/// <summary>One line of the export: a person and their life events.</summary>
public sealed record LegacyPerson(
    string? LegacyId, string? NationalCode, LegacyBirth? Birth, LegacyPersonRef? Mother = null, LegacyPersonRef? Father = null,
    IReadOnlyList<LegacyFact>? Events = null, bool CodeStoredWithoutLeadingZeros = false);

/// <summary>Why a line was refused: a stable code, the field (as the line names it) and a message.</summary>
public sealed record RefusalReason(string Code, string? Field, string Message);

/// <summary>A refused line, as the report lists it.</summary>
public sealed record RefusedLine(long Line, string? LegacyId, string? NationalCode, IReadOnlyList<RefusalReason> Reasons);

public static class LegacyFormat
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowOutOfOrderMetadataProperties = true,
    };

    /// <summary>Reads one line; null with the reason when it is not a person's JSON object.</summary>
    public static LegacyPerson? Read(string line, out RefusalReason? problem)
    {
        problem = null;
        try
        {
            var person = JsonSerializer.Deserialize<LegacyPerson>(line, Json);
            if (person is null) problem = new RefusalReason("line.notAnObject", null, "The line is not a JSON object.");
            return person;
        }
        catch (JsonException e)
        {
            problem = new RefusalReason("line.invalidJson", e.Path, $"The line is not a person's record: {e.Message}");
            return null;
        }
    }

    public static string Write(LegacyPerson person) => JsonSerializer.Serialize(person, Json);

    /// <summary>
    /// A national code as the line gives it: a code the legacy registry stored as a number (8 or 9 digits) gets its leading
    /// zeros back only on a line that says so; any other short code is left as it is, for the validator to refuse.
    /// </summary>
    public static string? Code(string? code, bool storedWithoutLeadingZeros) =>
        storedWithoutLeadingZeros && code is { Length: 8 or 9 } && code.All(char.IsAsciiDigit) ? code.PadLeft(10, '0') : code;

    /// <summary>The registry id of a legacy marriage or correction: the same on every line and every run.</summary>
    public static Guid IdOf(string kind, string legacyId) => Deterministic($"vitalevents.import/{kind}/{legacyId}");

    /// <summary>A name-based (SHA-256) UUID of version 8.</summary>
    public static Guid Deterministic(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
