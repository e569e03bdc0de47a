namespace VitalEvents.Domain;

/// <summary>
/// The figures the law sets, as configuration (VitalEvents:Law:*), with the values of Iran's Civil Registration Law
/// and Civil Code as defaults.
/// </summary>
public sealed record RegistryLaw
{
    /// <summary>Civil Code Art. 1041: a girl may marry from 13 (below only with court permission).</summary>
    public int MinimumMarriageAgeWomen { get; init; } = 13;

    /// <summary>Civil Code Art. 1041: a boy may marry from 15 (below only with court permission).</summary>
    public int MinimumMarriageAgeMen { get; init; } = 15;

    /// <summary>A widow's waiting period: 4 months and 10 days after her husband's death.</summary>
    public int WidowWaitingMonths { get; init; } = 4;
    public int WidowWaitingDays { get; init; } = 10;

    /// <summary>The waiting period after a temporary marriage's term runs out, when no end date was recorded.</summary>
    public int TemporaryMarriageWaitingDays { get; init; } = 45;

    /// <summary>Registration Law Art. 15: a birth is registered within 15 days; later is a late registration.</summary>
    public int BirthRegistrationDays { get; init; } = 15;

    /// <summary>Registration Law Art. 25: a death is registered within 10 days; later is a late registration.</summary>
    public int DeathRegistrationDays { get; init; } = 10;

    /// <summary>A foetal death is recorded after the sixth month: more than this many weeks of gestation.</summary>
    public int FoetalDeathAfterWeeks { get; init; } = 26;

    /// <summary>Births to one mother this many days apart with similar names are held as suspected duplicates.</summary>
    public int DuplicateBirthWindowDays { get; init; } = 3;

    /// <summary>A guardian must be of full age; a child under it may be given one.</summary>
    public int AgeOfMajority { get; init; } = 18;

    /// <summary>An age (birth-date) change larger than this many years goes to the commission, once in a lifetime.</summary>
    public int CommissionAgeChangeYears { get; init; } = 5;

    public static RegistryLaw Default { get; } = new();

    /// <summary>Whole years from a birth date to a date.</summary>
    public static int AgeOn(DateOnly birthDate, DateOnly date)
    {
        var age = date.Year - birthDate.Year;
        return birthDate.AddYears(age) > date ? age - 1 : age;
    }
}
