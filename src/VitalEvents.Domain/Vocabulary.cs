namespace VitalEvents.Domain;

/// <summary>The closed vocabularies of the registry, as they appear in requests and events.</summary>
public static class Vocabulary
{
    public const string Female = "female";
    public const string Male = "male";
    public static readonly string[] Sexes = [Female, Male];

    public const string Permanent = "permanent";
    public const string Temporary = "temporary";
    public static readonly string[] MarriageKinds = [Permanent, Temporary];

    public const string Revocable = "revocable";
    public const string Irrevocable = "irrevocable";
    public static readonly string[] DivorceKinds = [Revocable, Irrevocable];

    public static readonly string[] EvidenceKinds = ["medicalCertificate", "witnesses"];

    public static readonly string[] Authorities = ["board", "court", "commission", "nocr"];

    public const string GivenName = "givenName";
    public const string FamilyName = "familyName";
    public const string Sex = "sex";
    public const string BirthDate = "birthDate";
    public static readonly string[] CorrectableFields = [GivenName, FamilyName, Sex, BirthDate];

    public const string Commission = "commission";
    public const string Court = "court";

    /// <summary>
    /// Who may decide a correction of each field: the office's Board of Dispute Resolution (transcription errors, sex
    /// entered in error, forbidden names), a court, NOCR (family names), and for age changes of more than five years
    /// the judge-chaired commission (enforced with the size of the change).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> AuthoritiesFor = new Dictionary<string, string[]>
    {
        [GivenName] = ["board", Court, "nocr"],
        [FamilyName] = ["board", Court, "nocr"],
        [Sex] = ["board", Court],
        [BirthDate] = [Court, Commission],
    };

    public static readonly string[] GuardianshipAuthorities = [Court];
}
