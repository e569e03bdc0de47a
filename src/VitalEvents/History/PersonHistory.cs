using JasperFx.Events;
using Marten.Events.Aggregation;
using VitalEvents.Domain;
using VitalEvents.Storage;

namespace VitalEvents.History;

/// <summary>A person's audit history: one entry per event on their stream, with who, when, where and why.</summary>
public sealed class PersonHistory
{
    public string NationalCode { get; set; } = string.Empty;
    public List<HistoryEntry> Entries { get; set; } = [];
}

public sealed record FieldChange(string Field, string? OldValue, string NewValue);

public sealed record HistoryEntry(
    long Version, Guid EventId, string EventType, DateTimeOffset RecordedAt, string? RecordedBy, string? OfficeCode,
    string? CorrelationId, string? CausationId, string Summary, string? Reason, string? Authority, string? DecisionReference,
    string? ApprovedBy, IReadOnlyList<FieldChange> Changes);

/// <summary>Builds <see cref="PersonHistory"/> from a person's events.</summary>
public sealed class PersonHistoryProjection : SingleStreamProjection<PersonHistory, string>
{
    public override PersonHistory Evolve(PersonHistory? snapshot, string id, IEvent e)
    {
        var history = snapshot ?? new PersonHistory { NationalCode = id };
        var (summary, reason, authority, reference, approvedBy, changes) = Describe(e.Data);
        history.Entries.Add(new HistoryEntry(e.Version, e.Id, e.EventTypeName, StoredTime.Of(e.Timestamp), e.UserName,
            e.GetHeader("officeCode")?.ToString() ?? OfficeOf(e.Data), e.CorrelationId, e.CausationId, summary, reason, authority,
            reference, approvedBy, changes));
        return history;
    }

    private static string? OfficeOf(object data) => data switch
    {
        BirthRegistered b => b.OfficeCode,
        MarriageRegistered m => m.OfficeCode,
        DivorceRegistered d => d.OfficeCode,
        FoetalDeathRegistered f => f.OfficeCode,
        MarriageTermWaived w => w.OfficeCode,
        MarriageResumed r => r.OfficeCode,
        MarriageAnnulled a => a.OfficeCode,
        GuardianAppointed g => g.OfficeCode,
        DeathRegistered d => d.OfficeCode,
        _ => null,
    };

    private static (string Summary, string? Reason, string? Authority, string? Reference, string? ApprovedBy, IReadOnlyList<FieldChange> Changes)
        Describe(object data) => data switch
    {
        BirthRegistered b => ($"Birth registered{(b.LateRegistration ? " (late registration)" : "")}: {b.GivenName} {b.FamilyName}, {b.Sex}, born {SolarHijri.Format(b.BirthDate)}{(b.BirthTime is null ? "" : $" at {b.BirthTime}")} in {b.BirthPlace.City}, {b.BirthPlace.Province}{(b.MultipleBirthOrder is { } order ? $", multiple birth #{order}" : "")}; evidence {b.Evidence.Kind} {b.Evidence.Reference}",
            null, null, null, null, []),
        BirthHeldForReview h => ($"Birth of {h.Birth.GivenName} {h.Birth.FamilyName} ({SolarHijri.Format(h.Birth.BirthDate)}) held for review by {h.HeldBy}: suspected duplicate of {h.SuspectedDuplicateOf}",
            null, null, null, null, []),
        HeldBirthConfirmed c => ($"Held birth confirmed as a new person ({c.NationalCode}) by {c.ConfirmedBy}", null, null, null, c.ConfirmedBy, []),
        HeldBirthRejected r => ($"Held birth rejected as a duplicate of {r.SuspectedDuplicateOf} by {r.RejectedBy}", r.Reason, null, null, null, []),
        FoetalDeathRegistered f => ($"Foetal death registered on {SolarHijri.Format(f.Date)} at {f.GestationWeeks} weeks{(f.CauseIcd10 is null ? "" : $"; cause {f.CauseIcd10}")}",
            null, null, null, null, []),
        MarriageTermWaived w => ($"Remaining term of temporary marriage waived on {SolarHijri.Format(w.Date)}: husband {w.HusbandNationalCode}, wife {w.WifeNationalCode}",
            null, null, null, null, []),
        MarriageResumed r => ($"Return (رجوع) on {SolarHijri.Format(r.Date)}: the marriage of {r.HusbandNationalCode} and {r.WifeNationalCode} is restored",
            null, null, null, null, []),
        MarriageAnnulled a => ($"Marriage annulled on {SolarHijri.Format(a.Date)}: husband {a.HusbandNationalCode}, wife {a.WifeNationalCode}",
            a.Grounds, null, a.DecisionReference, null, []),
        GuardianAppointed g => ($"Guardian appointed on {SolarHijri.Format(g.Date)}: {g.GuardianName} ({g.GuardianNationalCode})",
            null, g.Authority, g.DecisionReference, null, []),
        ChildBirthRecorded c => ($"Child recorded ({c.ParentRole}): {c.GivenName} {c.FamilyName} ({c.ChildNationalCode}), born {SolarHijri.Format(c.BirthDate)}",
            null, null, null, null, []),
        MarriageRegistered m => ($"Marriage ({m.Kind}) registered on {SolarHijri.Format(m.Date)}: husband {m.HusbandNationalCode}, wife {m.WifeNationalCode}",
            null, m.CourtAuthorisationReference is null ? null : "court", m.CourtAuthorisationReference, null, []),
        DivorceRegistered d => ($"Divorce ({d.Kind}) registered on {SolarHijri.Format(d.Date)}: husband {d.HusbandNationalCode}, wife {d.WifeNationalCode}",
            null, null, null, null, []),
        DeathRegistered d => ($"Death registered{(d.LateRegistration ? " (late registration)" : "")}: died {SolarHijri.Format(d.Date)} in {d.Place.City}, {d.Place.Province}{(d.CausesIcd10.Count == 0 ? "" : $"; causes {string.Join(" ← ", d.CausesIcd10)}")}",
            null, null, null, null, []),
        MarriageEndedByDeath d => ($"Marriage ended by the death of {d.DeceasedNationalCode} on {SolarHijri.Format(d.Date)}", null, null, null, null, []),
        CorrectionRequested r => ($"Correction of {r.Field} requested by {r.RequestedBy}: '{r.OldValue}' → '{r.NewValue}'",
            r.Reason, r.Authority, r.DecisionReference, null, [new FieldChange(r.Field, r.OldValue, r.NewValue)]),
        CorrectionApproved a => ($"Correction of {a.Field} approved by {a.ApprovedBy}: '{a.OldValue}' → '{a.NewValue}'",
            a.Reason, a.Authority, a.DecisionReference, a.ApprovedBy, [new FieldChange(a.Field, a.OldValue, a.NewValue)]),
        CorrectionRejected r => ($"Correction of {r.Field} rejected by {r.RejectedBy}", r.Reason, null, null, null, []),
        CitizenRequestFiled f => ($"The person asked online for a correction of {f.Field}: '{f.CurrentValue}' → '{f.NewValue}'" +
            (f.Evidence.Count == 0 ? "" : $"; evidence {string.Join(", ", f.Evidence)}"), f.Reason, null, null, null, []),
        CitizenRequestDeclined d => ($"The person's request to correct {d.Field} declined by {d.DeclinedBy}", d.Reason, null, null, null, []),
        DocumentIssued d => ($"Document issued ({d.Kind}, {d.Channel}): {d.SerialNumber}, showing version {d.ShowsVersion}, signed with key {d.KeyId}", null, null, null, null, []),
        DocumentSuperseded d => ($"Document {d.DocumentId} ({d.Kind}) superseded: {d.Cause}{(d.SupersededBy is { } by ? $", by {by}" : "")}", null, null, null, null, []),
        DocumentRevoked d => ($"Document {d.DocumentId} ({d.Kind}) revoked by {d.RevokedBy}: {d.Category}", d.Reason, null, null, null, []),
        _ => (data.GetType().Name, null, null, null, null, []),
    };
}
