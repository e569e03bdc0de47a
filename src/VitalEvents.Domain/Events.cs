namespace VitalEvents.Domain;

// Events are stored forever: only primitives and simple records, each with a stable stored name (EventNames).

/// <summary>A place as the booklet records it.</summary>
public sealed record PlaceRecord(string Province, string County, string City);

/// <summary>What a birth registration rests on: a medical certificate or witnesses, and its reference.</summary>
public sealed record EvidenceRecord(string Kind, string Reference);

/// <summary>A child was born and registered; starts the child's stream.</summary>
public sealed record BirthRegistered(
    string NationalCode, string GivenName, string FamilyName, string Sex, DateOnly BirthDate, PlaceRecord BirthPlace,
    string? MotherNationalCode, string? FatherNationalCode, string OfficeCode, EvidenceRecord Evidence);

/// <summary>A child's birth, recorded on a registered parent's stream.</summary>
public sealed record ChildBirthRecorded(
    string ChildNationalCode, string GivenName, string FamilyName, string Sex, DateOnly BirthDate, string ParentRole);

/// <summary>A marriage, recorded on both spouses' streams.</summary>
public sealed record MarriageRegistered(
    Guid MarriageId, string HusbandNationalCode, string WifeNationalCode, DateOnly Date, string Kind, DateOnly? TermEnds,
    string? CourtAuthorisationReference, string OfficeCode);

/// <summary>A divorce, recorded on both spouses' streams.</summary>
public sealed record DivorceRegistered(
    Guid MarriageId, string HusbandNationalCode, string WifeNationalCode, DateOnly Date, string Kind,
    DateOnly? WaitingPeriodEnds, string OfficeCode);

/// <summary>A death, recorded on the deceased's stream.</summary>
public sealed record DeathRegistered(
    string NationalCode, DateOnly Date, PlaceRecord Place, string? CauseIcd10, string? Certifier, string OfficeCode);

/// <summary>A marriage ended by the death of the other spouse, recorded on the survivor's stream.</summary>
public sealed record MarriageEndedByDeath(Guid MarriageId, string DeceasedNationalCode, DateOnly Date);

/// <summary>A registrar asked for a correction; it takes effect only when a different person approves it.</summary>
public sealed record CorrectionRequested(
    Guid CorrectionId, string Field, string? OldValue, string NewValue, string Authority, string DecisionReference,
    string Reason, string RequestedBy);

/// <summary>A correction approved by a supervisor: the field now holds the new value.</summary>
public sealed record CorrectionApproved(
    Guid CorrectionId, string Field, string? OldValue, string NewValue, string Authority, string DecisionReference,
    string Reason, string RequestedBy, string ApprovedBy);

/// <summary>A correction refused by a supervisor: nothing changes.</summary>
public sealed record CorrectionRejected(Guid CorrectionId, string Field, string RequestedBy, string RejectedBy, string Reason);

/// <summary>The stable stored name of every event type. Never rename a stored name; add a new version instead.</summary>
public static class EventNames
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(BirthRegistered)] = "birth_registered.v1",
        [typeof(ChildBirthRecorded)] = "child_birth_recorded.v1",
        [typeof(MarriageRegistered)] = "marriage_registered.v1",
        [typeof(DivorceRegistered)] = "divorce_registered.v1",
        [typeof(DeathRegistered)] = "death_registered.v1",
        [typeof(MarriageEndedByDeath)] = "marriage_ended_by_death.v1",
        [typeof(CorrectionRequested)] = "correction_requested.v1",
        [typeof(CorrectionApproved)] = "correction_approved.v1",
        [typeof(CorrectionRejected)] = "correction_rejected.v1",
    };

    /// <summary>The stored name of an event.</summary>
    public static string Of(object @event) => All[@event.GetType()];
}
