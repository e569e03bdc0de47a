using JasperFx.Events;
using Marten.Events.Aggregation;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Storage;

namespace VitalEvents.Identity;

/// <summary>A person's current identity as the booklet shows it, projected inline from their stream.</summary>
public sealed class PersonSnapshot : IVersioned
{
    public string NationalCode { get; set; } = string.Empty;

    /// <summary>Where the national code was issued, as its first three digits (the county code) say.</summary>
    public PlaceOfIssue? PlaceOfIssue => Identity.PlaceOfIssue.Of(NationalCode);
    public long Version { get; set; }
    public string GivenName { get; set; } = string.Empty;
    public string FamilyName { get; set; } = string.Empty;
    [OneOf(nameof(Vocabulary.Sexes))] public string Sex { get; set; } = string.Empty;
    public DateOnly BirthDate { get; set; }
    public string BirthDateSolarHijri => SolarHijri.Format(BirthDate);
    public string? BirthTime { get; set; }
    public int? MultipleBirthOrder { get; set; }
    public PlaceRecord? BirthPlace { get; set; }
    public EvidenceRecord? BirthEvidence { get; set; }
    public bool LateRegistration { get; set; }
    public PersonLink? Mother { get; set; }
    public PersonLink? Father { get; set; }
    public string? MotherNationalCode => Mother?.NationalCode;
    public string? FatherNationalCode => Father?.NationalCode;
    public string RegisteredAtOffice { get; set; } = string.Empty;
    [OneOf(nameof(Vocabulary.MaritalStatuses))] public string MaritalStatus { get; set; } = Vocabulary.Single;
    public List<SpouseLink> Spouses { get; set; } = [];
    public List<ChildLink> Children { get; set; } = [];
    public List<FoetalDeathRecord> FoetalDeaths { get; set; } = [];
    public GuardianLink? Guardian { get; set; }
    public bool Alive { get; set; } = true;
    public DateOnly? DateOfDeath { get; set; }
    public string? DateOfDeathSolarHijri => SolarHijri.Format(DateOfDeath);
    public PlaceRecord? PlaceOfDeath { get; set; }
    public bool DeathRegisteredLate { get; set; }
    [OneOf(typeof(PersonSnapshot), nameof(DocumentStatuses))] public string DocumentStatus { get; set; } = Valid;
    public const string Valid = "valid";
    public const string ClosedOnDeath = "closedOnDeath";
    public static readonly string[] DocumentStatuses = [Valid, ClosedOnDeath];
    public List<PendingCorrectionView> PendingCorrections { get; set; } = [];
    public DateTimeOffset LastChangedAt { get; set; }

    // Folded keys for registrars' search (Persian letter variants and ZWNJ folded away).
    public string SearchGivenName { get; set; } = string.Empty;
    public string SearchFamilyName { get; set; } = string.Empty;
    public string SearchFatherName { get; set; } = string.Empty;
    public int BirthYearSolarHijri { get; set; }
}

/// <summary>The county (and its province) whose code begins a national code: where the code was issued.</summary>
public sealed record PlaceOfIssue(string CountyCode, string Province, string County, string ProvinceEnglish, string? CountyEnglish)
{
    public static PlaceOfIssue? Of(string nationalCode) =>
        nationalCode.Length >= 3 && Offices.Find(nationalCode[..3]) is { } office
            ? new PlaceOfIssue(office.Code, office.Province, office.County, office.ProvinceEnglish, office.CountyEnglish)
            : null;
}

/// <summary>A parent as the record names them: the national code when registered, and the name (resolved on read).</summary>
public sealed record PersonLink(string? NationalCode, string? GivenName, string? FamilyName = null, bool? Alive = null);

public sealed record SpouseLink(
    Guid MarriageId, string NationalCode, [property: OneOf(nameof(Vocabulary.MarriageKinds))] string Kind, DateOnly Date, DateOnly? TermEnds,
    DateOnly? EndedOn, [property: OneOf(nameof(Vocabulary.MarriageEndings))] string? EndedBy, string? GivenName = null, string? FamilyName = null)
{
    public string DateSolarHijri => SolarHijri.Format(Date);
    public string? TermEndsSolarHijri => SolarHijri.Format(TermEnds);
    public string? EndedOnSolarHijri => SolarHijri.Format(EndedOn);
    public bool Current => EndedOn is null;
}

public sealed record ChildLink(string NationalCode, string GivenName, string FamilyName, [property: OneOf(nameof(Vocabulary.Sexes))] string Sex,
    DateOnly BirthDate, bool? Alive = null)
{
    public string BirthDateSolarHijri => SolarHijri.Format(BirthDate);
}

public sealed record FoetalDeathRecord(DateOnly Date, int GestationWeeks, string? Sex, PlaceRecord Place)
{
    public string DateSolarHijri => SolarHijri.Format(Date);
}

public sealed record GuardianLink(string NationalCode, string Name, DateOnly Date, string Authority, string DecisionReference)
{
    public string DateSolarHijri => SolarHijri.Format(Date);
}

public sealed record PendingCorrectionView(Guid CorrectionId, string Field, string? OldValue, string NewValue, string Authority, string DecisionReference, string RequestedBy);

/// <summary>Builds <see cref="PersonSnapshot"/> from a person's events.</summary>
public sealed class PersonSnapshotProjection : SingleStreamProjection<PersonSnapshot, string>
{
    public override PersonSnapshot? Evolve(PersonSnapshot? snapshot, string id, IEvent e)
    {
        if (snapshot is null && e.Data is not BirthRegistered) return null;
        var s = snapshot ?? new PersonSnapshot { NationalCode = id };
        switch (e.Data)
        {
            case BirthRegistered b:
                (s.GivenName, s.FamilyName, s.Sex, s.BirthDate, s.BirthPlace) = (b.GivenName, b.FamilyName, b.Sex, b.BirthDate, b.BirthPlace);
                (s.BirthTime, s.MultipleBirthOrder, s.BirthEvidence, s.LateRegistration) = (b.BirthTime, b.MultipleBirthOrder, b.Evidence, b.LateRegistration);
                s.Mother = b.MotherNationalCode is null && b.MotherName is null ? null : new PersonLink(b.MotherNationalCode, b.MotherName);
                s.Father = b.FatherNationalCode is null && b.FatherName is null ? null : new PersonLink(b.FatherNationalCode, b.FatherName);
                s.RegisteredAtOffice = b.OfficeCode;
                Rekey(s);
                break;
            case ChildBirthRecorded c:
                s.Children.Add(new ChildLink(c.ChildNationalCode, c.GivenName, c.FamilyName, c.Sex, c.BirthDate));
                break;
            case MarriageRegistered m:
                s.Spouses.Add(new SpouseLink(m.MarriageId, id == m.HusbandNationalCode ? m.WifeNationalCode : m.HusbandNationalCode,
                    m.Kind, m.Date, m.TermEnds, null, null));
                break;
            case DivorceRegistered d:
                EndMarriage(s, d.MarriageId, d.Date, Vocabulary.EndedByDivorce(d.Kind));
                break;
            case MarriageTermWaived w:
                EndMarriage(s, w.MarriageId, w.Date, Vocabulary.EndedByTermWaiver);
                break;
            case MarriageAnnulled a:
                EndMarriage(s, a.MarriageId, a.Date, Vocabulary.EndedByAnnulment);
                break;
            case MarriageResumed r:
                EndMarriage(s, r.MarriageId, null, null);
                break;
            case MarriageEndedByDeath d:
                EndMarriage(s, d.MarriageId, d.Date, Vocabulary.EndedByDeath);
                break;
            case DeathRegistered d:
                (s.Alive, s.DateOfDeath, s.PlaceOfDeath, s.DeathRegisteredLate, s.DocumentStatus) = (false, d.Date, d.Place, d.LateRegistration, PersonSnapshot.ClosedOnDeath);
                foreach (var spouse in s.Spouses.Where(x => x.Current).ToList()) EndMarriage(s, spouse.MarriageId, d.Date, Vocabulary.EndedByDeath);
                break;
            case FoetalDeathRegistered f:
                s.FoetalDeaths.Add(new FoetalDeathRecord(f.Date, f.GestationWeeks, f.Sex, f.Place));
                break;
            case GuardianAppointed g:
                s.Guardian = new GuardianLink(g.GuardianNationalCode, g.GuardianName, g.Date, g.Authority, g.DecisionReference);
                break;
            case CorrectionRequested r:
                s.PendingCorrections.Add(new PendingCorrectionView(r.CorrectionId, r.Field, r.OldValue, r.NewValue, r.Authority, r.DecisionReference, r.RequestedBy));
                break;
            case CorrectionApproved a:
                s.PendingCorrections.RemoveAll(p => p.CorrectionId == a.CorrectionId);
                Correct(s, a.Field, a.NewValue);
                Rekey(s);
                break;
            case CorrectionRejected r:
                s.PendingCorrections.RemoveAll(p => p.CorrectionId == r.CorrectionId);
                break;
        }
        s.MaritalStatus = MaritalStatusOf(s);
        s.Version = e.Version;
        s.LastChangedAt = StoredTime.Of(e.Timestamp);
        return s;
    }

    /// <summary>The search keys and birth year follow the names and the birth date, which only a birth or an approved correction sets.</summary>
    private static void Rekey(PersonSnapshot s)
    {
        (s.SearchGivenName, s.SearchFamilyName, s.SearchFatherName) =
            (PersianText.SearchKey(s.GivenName), PersianText.SearchKey(s.FamilyName), PersianText.SearchKey(s.Father?.GivenName));
        s.BirthYearSolarHijri = SolarHijri.Year(s.BirthDate);
    }

    private static void EndMarriage(PersonSnapshot s, Guid marriageId, DateOnly? date, string? reason)
    {
        var index = s.Spouses.FindIndex(x => x.MarriageId == marriageId);
        if (index >= 0) s.Spouses[index] = s.Spouses[index] with { EndedOn = date, EndedBy = reason };
    }

    /// <summary>A marriage ended by death left a widow or widower, unless it was this person who died then.</summary>
    private static string MaritalStatusOf(PersonSnapshot s)
    {
        if (s.Spouses.Any(x => x.Current)) return Vocabulary.Married;
        var last = s.Spouses.LastOrDefault();
        if (last is null) return Vocabulary.Single;
        return last.EndedBy switch
        {
            Vocabulary.EndedByDeath => s.DateOfDeath is { } died && died == last.EndedOn ? Vocabulary.MarriedAtDeath : Vocabulary.Widowed,
            Vocabulary.EndedByAnnulment => Vocabulary.Annulled,
            Vocabulary.EndedByTermWaiver => Vocabulary.TemporaryMarriageEnded,
            _ => Vocabulary.Divorced,
        };
    }

    private static void Correct(PersonSnapshot s, string field, string value)
    {
        switch (field)
        {
            case Vocabulary.GivenName: s.GivenName = value; break;
            case Vocabulary.FamilyName: s.FamilyName = value; break;
            case Vocabulary.Sex: s.Sex = value; break;
            case Vocabulary.BirthDate: s.BirthDate = DateOnly.ParseExact(value, "yyyy-MM-dd"); break;
        }
    }
}
