namespace VitalEvents.Domain;

/// <summary>A marriage a person is in.</summary>
public sealed record Bond(Guid MarriageId, string SpouseNationalCode, string Kind, DateOnly Date);

/// <summary>A correction waiting for a supervisor.</summary>
public sealed record PendingCorrection(Guid CorrectionId, string Field, string NewValue, string Authority, string DecisionReference, string Reason, string RequestedBy);

/// <summary>A person's state as decisions need it, folded from their stream.</summary>
public sealed record Person
{
    public required string NationalCode { get; init; }
    public required string GivenName { get; init; }
    public required string FamilyName { get; init; }
    public required string Sex { get; init; }
    public required DateOnly BirthDate { get; init; }
    public DateOnly? DateOfDeath { get; init; }
    public IReadOnlyList<Bond> Marriages { get; init; } = [];
    public IReadOnlyList<PendingCorrection> PendingCorrections { get; init; } = [];

    public bool IsAlive => DateOfDeath is null;

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
        },
        (null, _) => null,
        (_, MarriageRegistered e) => state with
        {
            Marriages = [.. state.Marriages, new Bond(e.MarriageId, Spouse(state, e.HusbandNationalCode, e.WifeNationalCode), e.Kind, e.Date)],
        },
        (_, DivorceRegistered e) => state with { Marriages = [.. state.Marriages.Where(m => m.MarriageId != e.MarriageId)] },
        (_, MarriageEndedByDeath e) => state with { Marriages = [.. state.Marriages.Where(m => m.MarriageId != e.MarriageId)] },
        (_, DeathRegistered e) => state with { DateOfDeath = e.Date, Marriages = [] },
        (_, CorrectionRequested e) => state with
        {
            PendingCorrections = [.. state.PendingCorrections, new PendingCorrection(e.CorrectionId, e.Field, e.NewValue, e.Authority, e.DecisionReference, e.Reason, e.RequestedBy)],
        },
        (_, CorrectionApproved e) => Corrected(state, e.Field, e.NewValue) with
        {
            PendingCorrections = [.. state.PendingCorrections.Where(c => c.CorrectionId != e.CorrectionId)],
        },
        (_, CorrectionRejected e) => state with { PendingCorrections = [.. state.PendingCorrections.Where(c => c.CorrectionId != e.CorrectionId)] },
        _ => state,
    };

    /// <summary>Folds a whole stream.</summary>
    public static Person? From(IEnumerable<object> events) => events.Aggregate((Person?)null, Evolve);

    private static string Spouse(Person self, string husband, string wife) => self.NationalCode == husband ? wife : husband;

    private static Person Corrected(Person state, string field, string value) => field switch
    {
        Vocabulary.GivenName => state with { GivenName = value },
        Vocabulary.FamilyName => state with { FamilyName = value },
        Vocabulary.Sex => state with { Sex = value },
        Vocabulary.BirthDate => state with { BirthDate = DateOnly.ParseExact(value, "yyyy-MM-dd") },
        _ => state,
    };
}
