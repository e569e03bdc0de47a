namespace VitalEvents.Domain;

// Events are stored forever: only primitives and simple records, each with a stable stored name (EventNames).

/// <summary>A place as the booklet records it: province, county, and the city or village.</summary>
public sealed record PlaceRecord(string Province, string County, string City);

/// <summary>A witness to a birth registered without a medical certificate.</summary>
public sealed record WitnessRecord(string NationalCode, string Name);

/// <summary>What a registration rests on: a medical certificate (its reference), or two witnesses (and the statement's reference).</summary>
public sealed record EvidenceRecord(string Kind, string Reference, IReadOnlyList<WitnessRecord>? Witnesses = null);

/// <summary>
/// A child was born and registered; starts the child's stream. Parents' names are as the booklet records them (taken
/// from their records when they are registered). A registration more than the legal deadline after the birth is late.
/// </summary>
public sealed record BirthRegistered(
    string NationalCode, string GivenName, string FamilyName, string Sex, DateOnly BirthDate, PlaceRecord BirthPlace,
    string? MotherNationalCode, string? FatherNationalCode, string OfficeCode, EvidenceRecord Evidence,
    string? BirthTime = null, int? MultipleBirthOrder = null, string? MotherName = null, string? FatherName = null,
    bool LateRegistration = false, Guid? NotificationId = null);

/// <summary>A birth that looks like a child already registered to the same mother, held on her stream for a supervisor.</summary>
public sealed record BirthHeldForReview(Guid HoldId, BirthRegistered Birth, string SuspectedDuplicateOf, string HeldBy);

/// <summary>A supervisor confirmed a held birth as a new person; the child's stream starts with it.</summary>
public sealed record HeldBirthConfirmed(Guid HoldId, string NationalCode, string ConfirmedBy);

/// <summary>A supervisor rejected a held birth as a duplicate; nobody is registered.</summary>
public sealed record HeldBirthRejected(Guid HoldId, string SuspectedDuplicateOf, string RejectedBy, string Reason);

/// <summary>Who certified a birth: the practitioner's name and their professional identifier (system and value).</summary>
public sealed record CertifierRecord(string Name, string IdentifierSystem, string Identifier);

/// <summary>
/// A facility (a hospital, a maternity unit) notified a live birth, recorded on the mother's stream until the parents or a
/// registrar complete it. The child's particulars are the medical certificate's; the child has no name or code yet.
/// </summary>
public sealed record BirthNotified(
    Guid NotificationId, string FacilityId, string OfficeCode, PlaceRecord BirthPlace, string CertificateNumber, CertifierRecord Certifier,
    string Sex, DateOnly BirthDate, string? BirthTime, int Plurality, int? MultipleBirthOrder, int? BirthWeightGrams, int? GestationWeeks,
    string MotherNationalCode, string? FatherNationalCode, string Format, string NotifiedBy);

/// <summary>
/// A notified birth completed, on the mother's stream: registered under the child's national code, or held as a suspected
/// duplicate (then the hold decides). By the parent online or by a registrar at the office (<c>Channel</c>).
/// </summary>
public sealed record BirthNotificationCompleted(Guid NotificationId, string? ChildNationalCode, Guid? HoldId, string CompletedBy, string Channel);

/// <summary>A foetal death after the sixth month of pregnancy, recorded on the mother's stream.</summary>
public sealed record FoetalDeathRegistered(
    string MotherNationalCode, DateOnly Date, int GestationWeeks, string? Sex, PlaceRecord Place, string? CauseIcd10,
    string? Certifier, string? FatherNationalCode, string OfficeCode);

/// <summary>A child's birth, recorded on a registered parent's stream.</summary>
public sealed record ChildBirthRecorded(
    string ChildNationalCode, string GivenName, string FamilyName, string Sex, DateOnly BirthDate, string ParentRole,
    int? MultipleBirthOrder = null);

/// <summary>A marriage, recorded on both spouses' streams.</summary>
public sealed record MarriageRegistered(
    Guid MarriageId, string HusbandNationalCode, string WifeNationalCode, DateOnly Date, string Kind, DateOnly? TermEnds,
    string? CourtAuthorisationReference, string OfficeCode, string? CourtPermissionReference = null);

/// <summary>The husband waived the remaining term of a temporary marriage (بذل مدت); it ends on both streams.</summary>
public sealed record MarriageTermWaived(
    Guid MarriageId, string HusbandNationalCode, string WifeNationalCode, DateOnly Date, DateOnly? WaitingPeriodEnds, string OfficeCode);

/// <summary>A return (رجوع) within the waiting period of a revocable divorce: the marriage is restored on both streams.</summary>
public sealed record MarriageResumed(Guid MarriageId, string HusbandNationalCode, string WifeNationalCode, DateOnly Date, string OfficeCode);

/// <summary>A marriage annulled (فسخ), recorded on both streams.</summary>
public sealed record MarriageAnnulled(
    Guid MarriageId, string HusbandNationalCode, string WifeNationalCode, DateOnly Date, string Grounds, string DecisionReference,
    DateOnly? WaitingPeriodEnds, string OfficeCode);

/// <summary>A divorce, recorded on both spouses' streams.</summary>
public sealed record DivorceRegistered(
    Guid MarriageId, string HusbandNationalCode, string WifeNationalCode, DateOnly Date, string Kind,
    DateOnly? WaitingPeriodEnds, string OfficeCode);

/// <summary>A death, recorded on the deceased's stream.</summary>
/// <remarks>
/// Version 2: the causes of death as a list of ICD-10 codes, the underlying cause first (a death certificate records a
/// chain of causes). Version 1 events (one optional cause) are upcast on read by <see cref="DeathRegisteredV1.Upcast"/>.
/// </remarks>
public sealed record DeathRegistered(
    string NationalCode, DateOnly Date, PlaceRecord Place, IReadOnlyList<string> CausesIcd10, string? Certifier, string OfficeCode,
    bool LateRegistration = false);

/// <summary>A death as version 1 recorded it (stored as death_registered.v1): at most one cause.</summary>
public sealed record DeathRegisteredV1(
    string NationalCode, DateOnly Date, PlaceRecord Place, string? CauseIcd10, string? Certifier, string OfficeCode,
    bool LateRegistration = false)
{
    public const string StoredName = "death_registered.v1";

    public DeathRegistered Upcast() =>
        new(NationalCode, Date, Place, CauseIcd10 is null ? [] : [CauseIcd10], Certifier, OfficeCode, LateRegistration);
}

/// <summary>A guardian (سرپرست) appointed for a child without living parents, recorded on the child's stream.</summary>
public sealed record GuardianAppointed(
    string ChildNationalCode, string GuardianNationalCode, string GuardianName, DateOnly Date, string Authority,
    string DecisionReference, string OfficeCode);

/// <summary>A marriage ended by the death of the other spouse, recorded on the survivor's stream.</summary>
public sealed record MarriageEndedByDeath(Guid MarriageId, string DeceasedNationalCode, DateOnly Date);

/// <summary>A registrar asked for a correction; it takes effect only when a different person of the same office approves it.</summary>
/// <remarks>OfficeCode was added later: corrections requested before carry none (their office is the person's registering office).
/// CitizenRequestId names the citizen's request the registrar took up, if any.</remarks>
public sealed record CorrectionRequested(
    Guid CorrectionId, string Field, string? OldValue, string NewValue, string Authority, string DecisionReference,
    string Reason, string RequestedBy, string? OfficeCode = null, Guid? CitizenRequestId = null);

/// <summary>A correction approved by a supervisor: the field now holds the new value.</summary>
public sealed record CorrectionApproved(
    Guid CorrectionId, string Field, string? OldValue, string NewValue, string Authority, string DecisionReference,
    string Reason, string RequestedBy, string ApprovedBy, Guid? CitizenRequestId = null);

/// <summary>A correction refused by a supervisor: nothing changes.</summary>
public sealed record CorrectionRejected(Guid CorrectionId, string Field, string RequestedBy, string RejectedBy, string Reason, Guid? CitizenRequestId = null);

/// <summary>
/// A citizen asked online (Sahim) for a correction of their own record, with a reason and references to their evidence; a registrar
/// of the office reviews it and either takes it up as a correction request (a supervisor still decides) or declines it.
/// </summary>
public sealed record CitizenRequestFiled(
    Guid RequestId, string Field, string? CurrentValue, string NewValue, string Reason, IReadOnlyList<string> Evidence, string OfficeCode);

/// <summary>A registrar declined a citizen's request without taking it up; nothing changes.</summary>
public sealed record CitizenRequestDeclined(Guid RequestId, string Field, string DeclinedBy, string Reason);

/// <summary>One field a document prints, as its signed claims carry it (codes, ISO dates and names as recorded).</summary>
public sealed record DocumentField(string Name, string Value);

/// <summary>
/// A document issued from the person's record: a certificate or the electronic shenasnameh, with its serial number (per kind and
/// Solar Hijri year, without gaps), the stream version it shows, the fields it prints, the SHA-256 of its canonical content, who
/// issued it and through which channel, and the key id and QR payload of its signature.
/// </summary>
public sealed record DocumentIssued(
    Guid DocumentId, string Kind, Guid? MarriageId, string Language, string SerialNumber, int SerialYear, int Serial, long ShowsVersion,
    IReadOnlyList<DocumentField> Fields, string ContentSha256, DateTimeOffset IssuedAt, string IssuedBy, string Channel, string KeyId, string Seal);

/// <summary>
/// A document stopped showing the record: re-issued (by the named document), or the record changed under it (a correction, a
/// death, another life event), in the same transaction as that change.
/// </summary>
public sealed record DocumentSuperseded(Guid DocumentId, string Kind, string Cause, Guid? SupersededBy = null, Guid? CorrectionId = null);

/// <summary>A supervisor revoked a document, with the category of the reason and the reason.</summary>
public sealed record DocumentRevoked(Guid DocumentId, string Kind, string Category, string Reason, string RevokedBy);

/// <summary>The stable stored name of every event type. Never rename a stored name; add a new version instead.</summary>
public static class EventNames
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(BirthRegistered)] = "birth_registered.v1",
        [typeof(ChildBirthRecorded)] = "child_birth_recorded.v1",
        [typeof(MarriageRegistered)] = "marriage_registered.v1",
        [typeof(DivorceRegistered)] = "divorce_registered.v1",
        [typeof(DeathRegistered)] = "death_registered.v2",
        [typeof(MarriageEndedByDeath)] = "marriage_ended_by_death.v1",
        [typeof(CorrectionRequested)] = "correction_requested.v1",
        [typeof(CorrectionApproved)] = "correction_approved.v1",
        [typeof(CorrectionRejected)] = "correction_rejected.v1",
        [typeof(BirthHeldForReview)] = "birth_held_for_review.v1",
        [typeof(HeldBirthConfirmed)] = "held_birth_confirmed.v1",
        [typeof(HeldBirthRejected)] = "held_birth_rejected.v1",
        [typeof(FoetalDeathRegistered)] = "foetal_death_registered.v1",
        [typeof(MarriageTermWaived)] = "marriage_term_waived.v1",
        [typeof(MarriageResumed)] = "marriage_resumed.v1",
        [typeof(MarriageAnnulled)] = "marriage_annulled.v1",
        [typeof(GuardianAppointed)] = "guardian_appointed.v1",
        [typeof(CitizenRequestFiled)] = "citizen_request_filed.v1",
        [typeof(CitizenRequestDeclined)] = "citizen_request_declined.v1",
        [typeof(BirthNotified)] = "birth_notified.v1",
        [typeof(BirthNotificationCompleted)] = "birth_notification_completed.v1",
        [typeof(DocumentIssued)] = "document_issued.v1",
        [typeof(DocumentSuperseded)] = "document_superseded.v1",
        [typeof(DocumentRevoked)] = "document_revoked.v1",
    };

    /// <summary>The stored name of an event.</summary>
    public static string Of(object @event) => All[@event.GetType()];
}
