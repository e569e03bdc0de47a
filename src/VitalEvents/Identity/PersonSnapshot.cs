using JasperFx.Events;
using Marten.Events.Aggregation;
using VitalEvents.Domain;
using VitalEvents.Storage;

namespace VitalEvents.Identity;

/// <summary>A person's current identity as the booklet shows it, projected inline from their stream.</summary>
public sealed class PersonSnapshot
{
    public string NationalCode { get; set; } = string.Empty;
    public long Version { get; set; }
    public string GivenName { get; set; } = string.Empty;
    public string FamilyName { get; set; } = string.Empty;
    public string Sex { get; set; } = string.Empty;
    public DateOnly BirthDate { get; set; }
    public string BirthDateSolarHijri => SolarHijri.Format(BirthDate);
    public PlaceRecord? BirthPlace { get; set; }
    public string? MotherNationalCode { get; set; }
    public string? FatherNationalCode { get; set; }
    public string RegisteredAtOffice { get; set; } = string.Empty;
    public string MaritalStatus { get; set; } = "single";
    public List<SpouseLink> Spouses { get; set; } = [];
    public List<ChildLink> Children { get; set; } = [];
    public bool Alive { get; set; } = true;
    public DateOnly? DateOfDeath { get; set; }
    public string? DateOfDeathSolarHijri => SolarHijri.Format(DateOfDeath);
    public PlaceRecord? PlaceOfDeath { get; set; }
    public string DocumentStatus { get; set; } = "valid";
    public List<PendingCorrectionView> PendingCorrections { get; set; } = [];
    public DateTimeOffset LastChangedAt { get; set; }
}

public sealed record SpouseLink(Guid MarriageId, string NationalCode, string Kind, DateOnly Date, DateOnly? TermEnds, DateOnly? EndedOn, string? EndedBy)
{
    public string DateSolarHijri => SolarHijri.Format(Date);
    public string? EndedOnSolarHijri => SolarHijri.Format(EndedOn);
    public bool Current => EndedOn is null;
}

public sealed record ChildLink(string NationalCode, string GivenName, string FamilyName, string Sex, DateOnly BirthDate)
{
    public string BirthDateSolarHijri => SolarHijri.Format(BirthDate);
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
                (s.MotherNationalCode, s.FatherNationalCode, s.RegisteredAtOffice) = (b.MotherNationalCode, b.FatherNationalCode, b.OfficeCode);
                break;
            case ChildBirthRecorded c:
                s.Children.Add(new ChildLink(c.ChildNationalCode, c.GivenName, c.FamilyName, c.Sex, c.BirthDate));
                break;
            case MarriageRegistered m:
                s.Spouses.Add(new SpouseLink(m.MarriageId, id == m.HusbandNationalCode ? m.WifeNationalCode : m.HusbandNationalCode,
                    m.Kind, m.Date, m.TermEnds, null, null));
                break;
            case DivorceRegistered d:
                EndMarriage(s, d.MarriageId, d.Date, $"divorce ({d.Kind})");
                break;
            case MarriageEndedByDeath d:
                EndMarriage(s, d.MarriageId, d.Date, "death of spouse");
                break;
            case DeathRegistered d:
                (s.Alive, s.DateOfDeath, s.PlaceOfDeath, s.DocumentStatus) = (false, d.Date, d.Place, "closed on death");
                foreach (var spouse in s.Spouses.Where(x => x.Current).ToList()) EndMarriage(s, spouse.MarriageId, d.Date, "death");
                break;
            case CorrectionRequested r:
                s.PendingCorrections.Add(new PendingCorrectionView(r.CorrectionId, r.Field, r.OldValue, r.NewValue, r.Authority, r.DecisionReference, r.RequestedBy));
                break;
            case CorrectionApproved a:
                s.PendingCorrections.RemoveAll(p => p.CorrectionId == a.CorrectionId);
                Correct(s, a.Field, a.NewValue);
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

    private static void EndMarriage(PersonSnapshot s, Guid marriageId, DateOnly date, string reason)
    {
        var index = s.Spouses.FindIndex(x => x.MarriageId == marriageId);
        if (index >= 0) s.Spouses[index] = s.Spouses[index] with { EndedOn = date, EndedBy = reason };
    }

    private static string MaritalStatusOf(PersonSnapshot s)
    {
        if (s.Spouses.Any(x => x.Current)) return "married";
        var last = s.Spouses.LastOrDefault();
        if (last is null) return "single";
        return last.EndedBy == "death of spouse" ? "widowed" : last.EndedBy == "death" ? "married at death" : "divorced";
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
