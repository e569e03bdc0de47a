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

    public static readonly StreamEvent AliBorn = Born(Ali, "Ali", Vocabulary.Male, new(1985, 4, 10));
    public static readonly StreamEvent RezaBorn = Born(Reza, "Reza", Vocabulary.Male, new(1982, 11, 3));
    public static readonly StreamEvent MaryamBorn = Born(Maryam, "Maryam", Vocabulary.Female, new(1990, 7, 15));
    public static readonly StreamEvent ZahraBorn = Born(Zahra, "Zahra", Vocabulary.Female, new(1992, 2, 20));

    public static StreamEvent Born(string nationalCode, string givenName, string sex, DateOnly date) =>
        new(nationalCode, new BirthRegistered(nationalCode, givenName, "Ahmadi", sex, date, Tehran, null, null, OfficeCode, Certificate));

    public static MarriageRegistered Marriage(Guid marriageId, string husband, string wife, DateOnly date,
        string kind = Vocabulary.Permanent, string? courtAuthorisationReference = null) =>
        new(marriageId, husband, wife, date, kind, kind == Vocabulary.Temporary ? date.AddYears(1) : null, courtAuthorisationReference, OfficeCode);

    /// <summary>A marriage as it stands on both spouses' streams.</summary>
    public static StreamEvent[] Married(MarriageRegistered marriage) =>
        [new(marriage.HusbandNationalCode, marriage), new(marriage.WifeNationalCode, marriage)];

    public static StreamEvent[] Divorced(MarriageRegistered marriage, DateOnly date)
    {
        var divorce = new DivorceRegistered(marriage.MarriageId, marriage.HusbandNationalCode, marriage.WifeNationalCode, date,
            Vocabulary.Irrevocable, null, OfficeCode);
        return [new(marriage.HusbandNationalCode, divorce), new(marriage.WifeNationalCode, divorce)];
    }

    public static StreamEvent Died(string nationalCode, DateOnly date) =>
        new(nationalCode, new DeathRegistered(nationalCode, date, Tehran, "I21.9", "Dr. Karimi", OfficeCode));

    /// <summary>A death, with each marriage it ended recorded on the surviving spouse's stream.</summary>
    public static StreamEvent[] DiedMarried(string nationalCode, DateOnly date, params MarriageRegistered[] marriages) =>
    [
        Died(nationalCode, date),
        .. marriages.Select(m => new StreamEvent(
            m.HusbandNationalCode == nationalCode ? m.WifeNationalCode : m.HusbandNationalCode,
            new MarriageEndedByDeath(m.MarriageId, nationalCode, date))),
    ];
}
