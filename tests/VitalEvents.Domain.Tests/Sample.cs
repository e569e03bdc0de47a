using System.Globalization;

namespace VitalEvents.Domain.Tests;

/// <summary>The people and records the decision tests share. Every national code here passes the checksum.</summary>
internal static class Sample
{
    public static readonly DateOnly Today = new(2025, 6, 1);
    public const string OfficeCode = "001";
    public static readonly PlaceRecord Tehran = new("Tehran", "Tehran", "Tehran");
    public static readonly EvidenceRecord Certificate = new("medicalCertificate", "MC-1404-0001");

    public const string Ali = "0012345679";
    public const string Reza = "0207654328";
    public const string Maryam = "1361234563";
    public const string Zahra = "0011234520";
    public const string Child = "1361234581";

    // More people for kinship, ages, guardianship and twins (Tehran-Central serials 000101…000110).
    public const string Hassan = "0010001018";
    public const string Leila = "0010001026";
    public const string Son = "0010001034";
    public const string Daughter = "0010001042";
    public const string Brother = "0010001050";
    public const string Sister = "0010001069";
    public const string Girl = "0010001077";
    public const string Boy = "0010001085";
    public const string SecondChild = "0010001093";
    public const string Teen = "0010001107";

    public static readonly StreamEvent AliBorn = Born(Ali, "Ali", Vocabulary.Male, new(1985, 4, 10));
    public static readonly StreamEvent RezaBorn = Born(Reza, "Reza", Vocabulary.Male, new(1982, 11, 3));
    public static readonly StreamEvent MaryamBorn = Born(Maryam, "Maryam", Vocabulary.Female, new(1990, 7, 15));
    public static readonly StreamEvent ZahraBorn = Born(Zahra, "Zahra", Vocabulary.Female, new(1992, 2, 20));
    public static readonly StreamEvent HassanBorn = Born(Hassan, "Hassan", Vocabulary.Male, new(1960, 2, 1));
    public static readonly StreamEvent LeilaBorn = Born(Leila, "Leila", Vocabulary.Female, new(1965, 8, 12));

    /// <summary>An ISO date (for theory data).</summary>
    public static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static StreamEvent Born(string nationalCode, string givenName, string sex, DateOnly date) =>
        new(nationalCode, new BirthRegistered(nationalCode, givenName, "Ahmadi", sex, date, Tehran, null, null, OfficeCode, Certificate));

    /// <summary>A birth whose parents are referenced by national code (only the child's stream; see <see cref="ChildOf"/>).</summary>
    public static StreamEvent BornTo(string nationalCode, string givenName, string sex, DateOnly date, string? mother, string? father) =>
        new(nationalCode, new BirthRegistered(nationalCode, givenName, "Ahmadi", sex, date, Tehran, mother, father, OfficeCode, Certificate));

    /// <summary>A child as recorded on a parent's stream.</summary>
    public static StreamEvent ChildOf(string parent, string role, string child, string givenName, string sex, DateOnly date,
        int? multipleBirthOrder = null) =>
        new(parent, new ChildBirthRecorded(child, givenName, "Ahmadi", sex, date, role, multipleBirthOrder));

    public static MarriageRegistered Marriage(Guid marriageId, string husband, string wife, DateOnly date,
        string kind = Vocabulary.Permanent, string? courtAuthorisationReference = null) =>
        new(marriageId, husband, wife, date, kind, kind == Vocabulary.Temporary ? date.AddYears(1) : null, courtAuthorisationReference, OfficeCode);

    /// <summary>A marriage as it stands on both spouses' streams.</summary>
    public static StreamEvent[] Married(MarriageRegistered marriage) =>
        [new(marriage.HusbandNationalCode, marriage), new(marriage.WifeNationalCode, marriage)];

    public static StreamEvent[] Divorced(MarriageRegistered marriage, DateOnly date, string kind = Vocabulary.Irrevocable,
        DateOnly? waitingPeriodEnds = null)
    {
        var divorce = new DivorceRegistered(marriage.MarriageId, marriage.HusbandNationalCode, marriage.WifeNationalCode, date,
            kind, waitingPeriodEnds, OfficeCode);
        return [new(marriage.HusbandNationalCode, divorce), new(marriage.WifeNationalCode, divorce)];
    }

    public static StreamEvent Died(string nationalCode, DateOnly date, bool lateRegistration = false) =>
        new(nationalCode, new DeathRegistered(nationalCode, date, Tehran, ["I21.9"], "Dr. Karimi", OfficeCode, lateRegistration));

    /// <summary>A death, with each marriage it ended recorded on the surviving spouse's stream.</summary>
    public static StreamEvent[] DiedMarried(string nationalCode, DateOnly date, params MarriageRegistered[] marriages) =>
    [
        Died(nationalCode, date),
        .. marriages.Select(m => new StreamEvent(
            m.HusbandNationalCode == nationalCode ? m.WifeNationalCode : m.HusbandNationalCode,
            new MarriageEndedByDeath(m.MarriageId, nationalCode, date))),
    ];
}
