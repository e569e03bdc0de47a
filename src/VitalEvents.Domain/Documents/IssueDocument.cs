using System.Security.Cryptography;
using System.Text;

namespace VitalEvents.Domain.Documents;

/// <summary>The documents the registry issues, and what each needs.</summary>
public static class DocumentKinds
{
    public const string BirthCertificate = "birthCertificate";
    public const string MarriageCertificate = "marriageCertificate";
    public const string DivorceCertificate = "divorceCertificate";
    public const string DeathCertificate = "deathCertificate";
    public const string Shenasnameh = "shenasnameh";
    public static readonly string[] All = [BirthCertificate, MarriageCertificate, DivorceCertificate, DeathCertificate, Shenasnameh];

    /// <summary>The kinds that are about one marriage, named by the request.</summary>
    public static bool NeedsMarriage(string kind) => kind is MarriageCertificate or DivorceCertificate;

    /// <summary>The serial number's prefix, one per kind.</summary>
    public static string Prefix(string kind) => kind switch
    {
        BirthCertificate => "BIR",
        MarriageCertificate => "MAR",
        DivorceCertificate => "DIV",
        DeathCertificate => "DTH",
        Shenasnameh => "SHN",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a document kind."),
    };

    /// <summary>A serial number as printed: the kind's prefix, the Solar Hijri year and the serial, e.g. SHN-1405-0000042.</summary>
    public static string SerialNumber(string kind, int year, int serial) => $"{Prefix(kind)}-{year:D4}-{serial:D7}";
}

/// <summary>Whether a document still stands, why one was superseded, and the categories of a revocation's reason.</summary>
public static class DocumentStatuses
{
    public const string Valid = "valid", Superseded = "superseded", Revoked = "revoked";
    public static readonly string[] All = [Valid, Superseded, Revoked];

    public const string Reissued = "reissued", Correction = "correction", Death = "death", RecordChanged = "recordChanged";
    public static readonly string[] Causes = [Reissued, Correction, Death, RecordChanged];

    public const string IssuedInError = "issuedInError", Fraud = "fraud", CourtOrder = "courtOrder", HolderRequest = "holderRequest";
    public static readonly string[] RevocationCategories = [IssuedInError, Fraud, CourtOrder, HolderRequest];

    public static readonly string[] LanguageCodes = ["fa", "en", "both"];

    /// <summary>How a document reaches its holder: at an office, or online (Sahim).</summary>
    public const string Office = "office", Online = "online";
}

/// <summary>
/// What each kind of document prints, taken from the person's state: codes, ISO dates, and names as recorded. Relatives' names
/// the record does not hold (a spouse's) come from <c>nameOf</c>.
/// </summary>
public static class DocumentContent
{
    public static IReadOnlyList<DocumentField> Fields(Person person, string kind, Guid? marriageId, Func<string, string?> nameOf)
    {
        var fields = new List<DocumentField>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) fields.Add(new DocumentField(name, value));
        }
        void Identity()
        {
            Add("nationalCode", person.NationalCode);
            Add("givenName", person.GivenName);
            Add("familyName", person.FamilyName);
            Add("sex", person.Sex);
            Add("birthDate", Iso(person.BirthDate));
            Add("birthPlace", Place(person.BirthPlace));
            Add("fatherName", person.FatherName);
            Add("fatherNationalCode", person.FatherNationalCode);
            Add("motherName", person.MotherName);
            Add("motherNationalCode", person.MotherNationalCode);
        }
        void Death()
        {
            Add("deathDate", Iso(person.DateOfDeath));
            Add("deathPlace", Place(person.PlaceOfDeath));
        }
        void Couple(Bond bond, string prefix = "")
        {
            var (husband, wife) = person.Sex == Vocabulary.Male ? (person.NationalCode, bond.SpouseNationalCode) : (bond.SpouseNationalCode, person.NationalCode);
            Add(prefix + "husbandNationalCode", husband);
            Add(prefix + "husbandName", husband == person.NationalCode ? FullName(person) : nameOf(husband));
            Add(prefix + "wifeNationalCode", wife);
            Add(prefix + "wifeName", wife == person.NationalCode ? FullName(person) : nameOf(wife));
            Add(prefix + "marriageDate", Iso(bond.Date));
            Add(prefix + "marriageKind", bond.Kind);
            Add(prefix + "termEnds", Iso(bond.TermEnds));
        }

        switch (kind)
        {
            case DocumentKinds.BirthCertificate:
                Identity();
                Add("registeredAtOffice", person.RegisteredAtOffice);
                break;
            case DocumentKinds.DeathCertificate:
                Add("nationalCode", person.NationalCode);
                Add("givenName", person.GivenName);
                Add("familyName", person.FamilyName);
                Add("sex", person.Sex);
                Add("birthDate", Iso(person.BirthDate));
                Add("fatherName", person.FatherName);
                Death();
                break;
            case DocumentKinds.MarriageCertificate when Marriage(person, marriageId) is { } marriage:
                Couple(marriage.Bond);
                break;
            case DocumentKinds.DivorceCertificate when Marriage(person, marriageId) is { Ended: { } ended } marriage:
                Couple(marriage.Bond);
                Add("divorceDate", Iso(ended.EndedOn));
                Add("divorceKind", ended.EndedBy);
                break;
            case DocumentKinds.Shenasnameh:
                Identity();
                var n = 0;
                foreach (var (bond, ended) in AllMarriages(person))
                {
                    var prefix = $"marriage.{++n}.";
                    Add(prefix + "spouseNationalCode", bond.SpouseNationalCode);
                    Add(prefix + "spouseName", nameOf(bond.SpouseNationalCode));
                    Add(prefix + "date", Iso(bond.Date));
                    Add(prefix + "kind", bond.Kind);
                    Add(prefix + "termEnds", Iso(bond.TermEnds));
                    Add(prefix + "endedOn", Iso(ended?.EndedOn));
                    Add(prefix + "endedBy", ended?.EndedBy);
                }
                n = 0;
                foreach (var child in person.Children.OrderBy(c => c.BirthDate).ThenBy(c => c.NationalCode, StringComparer.Ordinal))
                {
                    var prefix = $"child.{++n}.";
                    Add(prefix + "nationalCode", child.NationalCode);
                    Add(prefix + "givenName", child.GivenName);
                    Add(prefix + "birthDate", Iso(child.BirthDate));
                }
                Death();
                break;
        }
        return fields;
    }

    /// <summary>
    /// The facts of the person's own record a document shows (what it prints, less the names taken from other records): a
    /// document stands while these stay the same.
    /// </summary>
    public static string Facts(Person person, string kind, Guid? marriageId) =>
        string.Join('\n', Fields(person, kind, marriageId, _ => null).Select(f => $"{f.Name}={f.Value}"));

    /// <summary>
    /// The SHA-256 (lowercase hex) of a document's canonical content: UTF-8 lines <c>name=value</c>, each ending in a line feed,
    /// first <c>documentId</c>, <c>kind</c> and <c>serialNumber</c>, then the printed fields in their order.
    /// </summary>
    public static string Sha256(Guid documentId, string kind, string serialNumber, IReadOnlyList<DocumentField> fields)
    {
        var text = new StringBuilder();
        text.Append("documentId=").Append(documentId.ToString("D")).Append('\n');
        text.Append("kind=").Append(kind).Append('\n');
        text.Append("serialNumber=").Append(serialNumber).Append('\n');
        foreach (var field in fields) text.Append(field.Name).Append('=').Append(field.Value).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>A marriage of the person's, in force or ended.</summary>
    public static (Bond Bond, EndedBond? Ended)? Marriage(Person person, Guid? marriageId) =>
        AllMarriages(person).FirstOrDefault(m => m.Bond.MarriageId == marriageId) is { Bond: not null } found ? found : null;

    private static IEnumerable<(Bond Bond, EndedBond? Ended)> AllMarriages(Person person) =>
        person.Marriages.Select(b => (b, (EndedBond?)null))
            .Concat(person.PastMarriages.Select(p => (p.Bond, (EndedBond?)p)))
            .OrderBy(m => m.Item1.Date).ThenBy(m => m.Item1.MarriageId);

    private static string FullName(Person person) => $"{person.GivenName} {person.FamilyName}";

    private static string? Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd");

    private static string? Place(PlaceRecord? place) => place is null ? null : string.Join("، ", new[] { place.City, place.County, place.Province }.Where(p => p.Length > 0));
}

/// <summary>Issuing a document from a person's record.</summary>
public sealed record IssueDocument(string NationalCode, string Kind, Guid? MarriageId, string Language, string IssuedBy, string Channel);

/// <summary>Issuing, revoking, and the documents a change to the record supersedes.</summary>
public static class DocumentDecision
{
    /// <summary>Whether the person's record can give a document of this kind (checked before a serial number is taken).</summary>
    public static RuleViolation? Check(IssueDocument command, Person? person)
    {
        if (person is null) return Rules.NotFound(command.NationalCode);
        if (DocumentKinds.NeedsMarriage(command.Kind))
        {
            if (command.MarriageId is not { } marriageId)
                return new("document.marriageRequired", $"A {command.Kind} names the marriage it is about.", ViolationKind.Invalid, "marriageId");
            if (DocumentContent.Marriage(person, marriageId) is not { } marriage)
                return new("document.marriageNotFound", $"{person.NationalCode} has no marriage {marriageId}.", ViolationKind.NotFound, "marriageId");
            if (command.Kind == DocumentKinds.DivorceCertificate
                && marriage.Ended?.EndedBy is not (Vocabulary.EndedByRevocableDivorce or Vocabulary.EndedByIrrevocableDivorce))
                return new("document.notDivorced", $"The marriage {marriageId} did not end in a divorce.", Field: "marriageId");
        }
        else if (command.MarriageId is not null)
            return new("document.marriageNotApplicable", $"A {command.Kind} is not about a marriage.", ViolationKind.Invalid, "marriageId");
        if (command.Kind == DocumentKinds.DeathCertificate && person.IsAlive)
            return new("document.notDeceased", $"No death is registered for {person.NationalCode}.", Field: "kind");
        return null;
    }

    /// <summary>
    /// Issues the document: its event, and the supersession of the documents of the same kind (and marriage) it replaces.
    /// </summary>
    public static Decision Issue(IssueDocument command, Person? person, DocumentIssued issued)
    {
        if (Check(command, person) is { } violation) return violation;
        var replaced = person!.Documents
            .Where(d => d.Kind == command.Kind && d.MarriageId == command.MarriageId)
            .Select(d => new StreamEvent(person.NationalCode, new DocumentSuperseded(d.DocumentId, d.Kind, DocumentStatuses.Reissued, issued.DocumentId)));
        return Decision.Accept([.. replaced, new StreamEvent(person.NationalCode, issued)]);
    }

    /// <summary>A supervisor revokes a document in force.</summary>
    public static Decision Revoke(Person person, Guid documentId, string category, string reason, string revokedBy)
    {
        if (person.Documents.FirstOrDefault(d => d.DocumentId == documentId) is not { } document)
            return new RuleViolation("document.notInForce", $"The document {documentId} is not in force: it was superseded or revoked already.");
        return Decision.Accept(new StreamEvent(person.NationalCode, new DocumentRevoked(documentId, document.Kind, category, reason, revokedBy)));
    }

    /// <summary>
    /// The documents in force that no longer show the record after these events: each superseded, the cause named by the
    /// change (a correction, a death, or another life event).
    /// </summary>
    public static IReadOnlyList<DocumentSuperseded> Outdated(Person after, IReadOnlyList<object> appended)
    {
        if (after.Documents.Count == 0) return [];
        var correction = appended.OfType<CorrectionApproved>().FirstOrDefault();
        var cause = correction is not null ? DocumentStatuses.Correction
            : appended.OfType<DeathRegistered>().Any() ? DocumentStatuses.Death
            : DocumentStatuses.RecordChanged;
        return
        [
            .. after.Documents
                .Where(d => DocumentContent.Facts(after, d.Kind, d.MarriageId) != d.Facts)
                .Select(d => new DocumentSuperseded(d.DocumentId, d.Kind, cause, CorrectionId: correction?.CorrectionId)),
        ];
    }
}
