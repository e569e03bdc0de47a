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

    public const string MedicalCertificate = "medicalCertificate";
    public const string Witnesses = "witnesses";
    public static readonly string[] EvidenceKinds = [MedicalCertificate, Witnesses];

    // How a marriage ended: the same words in decisions, identity snapshots and marriage records (docs/domain.md, "Vital events and their rules").
    public const string EndedByRevocableDivorce = "revocableDivorce";
    public const string EndedByIrrevocableDivorce = "irrevocableDivorce";
    public const string EndedByDeath = "death";
    public const string EndedByTermWaiver = "termWaiver";
    public const string EndedByAnnulment = "annulment";
    public static readonly string[] MarriageEndings = [EndedByRevocableDivorce, EndedByIrrevocableDivorce, EndedByDeath, EndedByTermWaiver, EndedByAnnulment];

    /// <summary>How a divorce of a kind ends a marriage.</summary>
    public static string EndedByDivorce(string divorceKind) => divorceKind == Revocable ? EndedByRevocableDivorce : EndedByIrrevocableDivorce;

    // A person's marital status as the identity snapshot shows it.
    public const string Single = "single";
    public const string Married = "married";
    public const string Divorced = "divorced";
    public const string Widowed = "widowed";
    public const string MarriedAtDeath = "marriedAtDeath";
    public const string Annulled = "annulled";
    public const string TemporaryMarriageEnded = "temporaryMarriageEnded";
    public static readonly string[] MaritalStatuses = [Single, Married, Divorced, Widowed, MarriedAtDeath, Annulled, TemporaryMarriageEnded];

    public const string Board = "board";
    public const string Court = "court";
    public const string Commission = "commission";
    public const string Nocr = "nocr";
    public static readonly string[] Authorities = [Board, Court, Commission, Nocr];

    public const string GivenName = "givenName";
    public const string FamilyName = "familyName";
    public const string Sex = "sex";
    public const string BirthDate = "birthDate";
    public static readonly string[] CorrectableFields = [GivenName, FamilyName, Sex, BirthDate];

    /// <summary>
    /// Who may decide a correction of each field: the office's Board of Dispute Resolution (transcription errors, sex
    /// entered in error, forbidden names), a court, NOCR (family names), and for age changes of more than five years
    /// the judge-chaired commission (enforced with the size of the change).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> AuthoritiesFor = new Dictionary<string, string[]>
    {
        [GivenName] = [Board, Court, Nocr],
        [FamilyName] = [Board, Court, Nocr],
        [Sex] = [Board, Court],
        [BirthDate] = [Court, Commission],
    };

    public static readonly string[] GuardianshipAuthorities = [Court];
}
