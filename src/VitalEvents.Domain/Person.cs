namespace VitalEvents.Domain;

/// <summary>A marriage a person is in (a temporary one may have run out: see <see cref="Person.ActiveMarriages"/>).</summary>
public sealed record Bond(Guid MarriageId, string SpouseNationalCode, string Kind, DateOnly Date, DateOnly? TermEnds = null);

/// <summary>A marriage that ended: how, when, and until when the wife waits before another marriage.</summary>
public sealed record EndedBond(Bond Bond, string EndedBy, DateOnly EndedOn, DateOnly? WaitingPeriodEnds);

/// <summary>A child recorded on a parent's stream.</summary>
public sealed record ChildRecord(string NationalCode, string GivenName, DateOnly BirthDate, int? MultipleBirthOrder);

/// <summary>A correction waiting for a supervisor.</summary>
public sealed record PendingCorrection(Guid CorrectionId, string Field, string NewValue, string Authority, string DecisionReference, string Reason,
    string RequestedBy, string? OfficeCode, Guid? CitizenRequestId = null);

/// <summary>A citizen's request not yet closed: filed, or taken up as the correction named (then waiting for a supervisor).</summary>
public sealed record OpenCitizenRequest(Guid RequestId, string Field, string NewValue, string OfficeCode, Guid? CorrectionId = null);

/// <summary>A document in force, and the facts of the record it showed when issued (<see cref="Domain.Documents.DocumentContent.Facts"/>).</summary>
public sealed record HeldDocument(Guid DocumentId, string Kind, Guid? MarriageId, string Facts);

/// <summary>A person's state as decisions need it, folded from their stream.</summary>
public sealed record Person
{
    public required string NationalCode { get; init; }
    public required string GivenName { get; init; }
    public required string FamilyName { get; init; }
    public required string Sex { get; init; }
    public required DateOnly BirthDate { get; init; }
    public string? RegisteredAtOffice { get; init; }
    public string? MotherNationalCode { get; init; }
    public string? FatherNationalCode { get; init; }
    public DateOnly? DateOfDeath { get; init; }
    public IReadOnlyList<Bond> Marriages { get; init; } = [];
    public IReadOnlyList<EndedBond> PastMarriages { get; init; } = [];
    public IReadOnlyList<ChildRecord> Children { get; init; } = [];
    public IReadOnlyList<PendingCorrection> PendingCorrections { get; init; } = [];
    public IReadOnlyList<OpenCitizenRequest> CitizenRequests { get; init; } = [];
    public IReadOnlyList<BirthHeldForReview> HeldBirths { get; init; } = [];
    /// <summary>Births notified by a facility (on a mother's stream) and not yet completed.</summary>
    public IReadOnlyList<BirthNotified> NotifiedBirths { get; init; } = [];
    public bool AgeChangedByCommission { get; init; }
    public string? GuardianNationalCode { get; init; }
    public PlaceRecord? BirthPlace { get; init; }
    /// <summary>The parents' names as the birth recorded them (null when a parent is registered: their record names them).</summary>
    public string? MotherName { get; init; }
    public string? FatherName { get; init; }
    public PlaceRecord? PlaceOfDeath { get; init; }
    /// <summary>The documents issued from this record and still in force.</summary>
    public IReadOnlyList<HeldDocument> Documents { get; init; } = [];

    public bool IsAlive => DateOfDeath is null;

    /// <summary>Marriages in force on a date: temporary ones only until their term ends.</summary>
    public IEnumerable<Bond> ActiveMarriages(DateOnly on) => Marriages.Where(m => m.TermEnds is not { } ends || ends >= on);

    /// <summary>The current value of a correctable field, as text.</summary>
    public string ValueOf(string field) => field switch
    {
        Vocabulary.GivenName => GivenName,
        Vocabulary.FamilyName => FamilyName,
        Vocabulary.Sex => Sex,
        Vocabulary.BirthDate => BirthDate.ToString("yyyy-MM-dd"),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a correctable field."),
    };

    /// <summary>Folds one event into the state.</summary>
    public static Person? Evolve(Person? state, object @event) => (state, @event) switch
    {
        (null, BirthRegistered e) => new Person
        {
            NationalCode = e.NationalCode, GivenName = e.GivenName, FamilyName = e.FamilyName, Sex = e.Sex, BirthDate = e.BirthDate,
            RegisteredAtOffice = e.OfficeCode, MotherNationalCode = e.MotherNationalCode, FatherNationalCode = e.FatherNationalCode,
            BirthPlace = e.BirthPlace, MotherName = e.MotherName, FatherName = e.FatherName,
        },
        (null, _) => null,
        (_, ChildBirthRecorded e) => state with
        {
            Children = [.. state.Children, new ChildRecord(e.ChildNationalCode, e.GivenName, e.BirthDate, e.MultipleBirthOrder)],
        },
        (_, MarriageRegistered e) => state with
        {
            Marriages = [.. state.Marriages, new Bond(e.MarriageId, Spouse(state, e.HusbandNationalCode, e.WifeNationalCode), e.Kind, e.Date, e.TermEnds)],
        },
        (_, DivorceRegistered e) => End(state, e.MarriageId, Vocabulary.EndedByDivorce(e.Kind), e.Date, e.WaitingPeriodEnds),
        (_, MarriageTermWaived e) => End(state, e.MarriageId, Vocabulary.EndedByTermWaiver, e.Date, e.WaitingPeriodEnds),
        (_, MarriageAnnulled e) => End(state, e.MarriageId, Vocabulary.EndedByAnnulment, e.Date, e.WaitingPeriodEnds),
        (_, MarriageEndedByDeath e) => End(state, e.MarriageId, Vocabulary.EndedByDeath, e.Date, null),
        (_, MarriageResumed e) => state.PastMarriages.FirstOrDefault(p => p.Bond.MarriageId == e.MarriageId) is { } ended
            ? state with
            {
                Marriages = [.. state.Marriages, ended.Bond],
                PastMarriages = [.. state.PastMarriages.Where(p => p.Bond.MarriageId != e.MarriageId)],
            }
            : state,
        (_, DeathRegistered e) => state with
        {
            DateOfDeath = e.Date,
            PlaceOfDeath = e.Place,
            Marriages = [],
            PastMarriages = [.. state.PastMarriages, .. state.Marriages.Select(m => new EndedBond(m, Vocabulary.EndedByDeath, e.Date, null))],
        },
        (_, CorrectionRequested e) => state with
        {
            PendingCorrections = [.. state.PendingCorrections, new PendingCorrection(e.CorrectionId, e.Field, e.NewValue, e.Authority, e.DecisionReference, e.Reason, e.RequestedBy, e.OfficeCode, e.CitizenRequestId)],
            CitizenRequests = [.. state.CitizenRequests.Select(r => r.RequestId == e.CitizenRequestId ? r with { CorrectionId = e.CorrectionId } : r)],
        },
        (_, CorrectionApproved e) => Corrected(state, e.Field, e.NewValue) with
        {
            PendingCorrections = [.. state.PendingCorrections.Where(c => c.CorrectionId != e.CorrectionId)],
            CitizenRequests = [.. state.CitizenRequests.Where(r => r.CorrectionId != e.CorrectionId)],
            AgeChangedByCommission = state.AgeChangedByCommission || (e.Field == Vocabulary.BirthDate && e.Authority == Vocabulary.Commission),
        },
        (_, CorrectionRejected e) => state with
        {
            PendingCorrections = [.. state.PendingCorrections.Where(c => c.CorrectionId != e.CorrectionId)],
            CitizenRequests = [.. state.CitizenRequests.Where(r => r.CorrectionId != e.CorrectionId)],
        },
        (_, CitizenRequestFiled e) => state with { CitizenRequests = [.. state.CitizenRequests, new OpenCitizenRequest(e.RequestId, e.Field, e.NewValue, e.OfficeCode)] },
        (_, CitizenRequestDeclined e) => state with { CitizenRequests = [.. state.CitizenRequests.Where(r => r.RequestId != e.RequestId)] },
        (_, BirthHeldForReview e) => state with { HeldBirths = [.. state.HeldBirths, e] },
        (_, HeldBirthConfirmed e) => state with { HeldBirths = [.. state.HeldBirths.Where(h => h.HoldId != e.HoldId)] },
        (_, HeldBirthRejected e) => state with { HeldBirths = [.. state.HeldBirths.Where(h => h.HoldId != e.HoldId)] },
        (_, BirthNotified e) => state with { NotifiedBirths = [.. state.NotifiedBirths, e] },
        (_, BirthNotificationCompleted e) => state with { NotifiedBirths = [.. state.NotifiedBirths.Where(n => n.NotificationId != e.NotificationId)] },
        (_, GuardianAppointed e) => state with { GuardianNationalCode = e.GuardianNationalCode },
        (_, DocumentIssued e) => state with
        {
            Documents = [.. state.Documents, new HeldDocument(e.DocumentId, e.Kind, e.MarriageId, Domain.Documents.DocumentContent.Facts(state, e.Kind, e.MarriageId))],
        },
        (_, DocumentSuperseded e) => state with { Documents = [.. state.Documents.Where(d => d.DocumentId != e.DocumentId)] },
        (_, DocumentRevoked e) => state with { Documents = [.. state.Documents.Where(d => d.DocumentId != e.DocumentId)] },
        _ => state,
    };

    /// <summary>Folds a whole stream.</summary>
    public static Person? From(IEnumerable<object> events) => events.Aggregate((Person?)null, Evolve);

    private static string Spouse(Person self, string husband, string wife) => self.NationalCode == husband ? wife : husband;

    private static Person End(Person state, Guid marriageId, string endedBy, DateOnly date, DateOnly? waitingPeriodEnds) =>
        state.Marriages.FirstOrDefault(m => m.MarriageId == marriageId) is { } bond
            ? state with
            {
                Marriages = [.. state.Marriages.Where(m => m.MarriageId != marriageId)],
                PastMarriages = [.. state.PastMarriages, new EndedBond(bond, endedBy, date, waitingPeriodEnds)],
            }
            : state;

    private static Person Corrected(Person state, string field, string value) => field switch
    {
        Vocabulary.GivenName => state with { GivenName = value },
        Vocabulary.FamilyName => state with { FamilyName = value },
        Vocabulary.Sex => state with { Sex = value },
        Vocabulary.BirthDate => state with { BirthDate = DateOnly.ParseExact(value, "yyyy-MM-dd") },
        _ => state,
    };
}
