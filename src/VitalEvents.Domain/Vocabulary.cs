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
}
