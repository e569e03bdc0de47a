namespace VitalEvents.Domain.Verifications;

/// <summary>How an asked name compares with the stored one (docs/verification.md, "Matching").</summary>
public static class NameMatch
{
    /// <summary>The same name once normalised (docs/domain.md, "Persian text").</summary>
    public const string Exact = "exact";
    /// <summary>The same folded search key, or one typo (an insertion, deletion or substitution) apart on it.</summary>
    public const string Similar = "similar";
    public const string Different = "different";
    public static readonly string[] All = [Exact, Similar, Different];
}

/// <summary>What an agency may ask and be answered: the attributes it compares, and the answers about the person.</summary>
public static class VerificationAnswers
{
    public const string BirthDate = "birthDate";
    public const string GivenName = "givenName";
    public const string FamilyName = "familyName";
    public const string FatherName = "fatherName";
    public const string Alive = "alive";
    public const string DateOfDeath = "dateOfDeath";
    public const string Existence = "existence";

    /// <summary>The attributes a request compares, in the order the answer and the access log name them.</summary>
    public static readonly string[] Attributes = [BirthDate, GivenName, FamilyName, FatherName];
    public static readonly string[] All = [BirthDate, GivenName, FamilyName, FatherName, Alive, DateOfDeath, Existence];
}

/// <summary>The attributes an agency was told about a person; at least one is given.</summary>
public sealed record AskedIdentity(DateOnly? BirthDate, string? GivenName, string? FamilyName, string? FatherName)
{
    /// <summary>The names of the attributes asked, in <see cref="VerificationAnswers.Attributes"/> order.</summary>
    public IReadOnlyList<string> Names =>
    [
        .. BirthDate is null ? Array.Empty<string>() : [VerificationAnswers.BirthDate],
        .. GivenName is null ? Array.Empty<string>() : [VerificationAnswers.GivenName],
        .. FamilyName is null ? Array.Empty<string>() : [VerificationAnswers.FamilyName],
        .. FatherName is null ? Array.Empty<string>() : [VerificationAnswers.FatherName],
    ];
}

/// <summary>What the registry holds about a person that a verification compares against.</summary>
public sealed record StoredIdentity(string GivenName, string FamilyName, string? FatherName, DateOnly BirthDate, bool Alive, DateOnly? DateOfDeath);

/// <summary>The comparison of each attribute asked (null: not asked).</summary>
public sealed record AttributeMatch(bool? BirthDate, string? GivenName, string? FamilyName, string? FatherName)
{
    /// <summary>Every attribute asked matched: the date equal, each name exact or similar.</summary>
    public bool All => BirthDate is not false && IsMatch(GivenName) && IsMatch(FamilyName) && IsMatch(FatherName);

    private static bool IsMatch(string? name) => name is null or NameMatch.Exact or NameMatch.Similar;
}

/// <summary>
/// Purpose limitation (docs/verification.md): an agency learns whether what it was told matches the registry, never the stored
/// record. An unknown person and a known one of whom nothing matches are answered alike.
/// </summary>
public static class IdentityMatching
{
    public static string MatchName(string asked, string? stored)
    {
        if (stored is null) return NameMatch.Different;
        if (PersianText.Normalize(asked) == PersianText.Normalize(stored)) return NameMatch.Exact;
        var (a, s) = (PersianText.SearchKey(asked), PersianText.SearchKey(stored));
        if (a.Length == 0 || s.Length == 0) return NameMatch.Different;
        return a == s || (Math.Abs(a.Length - s.Length) <= 1 && Names.EditDistance(a, s) <= 1) ? NameMatch.Similar : NameMatch.Different;
    }

    /// <summary>Each attribute asked against the stored person; against nobody (null) every one is false or different.</summary>
    public static AttributeMatch Match(AskedIdentity asked, StoredIdentity? stored) => new(
        asked.BirthDate is { } date ? stored?.BirthDate == date : null,
        asked.GivenName is { } given ? MatchName(given, stored?.GivenName) : null,
        asked.FamilyName is { } family ? MatchName(family, stored?.FamilyName) : null,
        asked.FatherName is { } father ? MatchName(father, stored?.FatherName) : null);

    /// <summary>
    /// Whether the person is alive, only when every attribute asked matched and the agency may ask it; otherwise null, the same
    /// for an unknown person as for a mismatch.
    /// </summary>
    public static bool? Alive(AttributeMatch match, StoredIdentity? stored, bool mayAsk) =>
        mayAsk && stored is not null && match.All ? stored.Alive : null;

    /// <summary>The date of death, only to an agency allowed it, of a matched person who has died.</summary>
    public static DateOnly? DateOfDeath(AttributeMatch match, StoredIdentity? stored, bool mayAsk) =>
        mayAsk && stored is { Alive: false } && match.All ? stored.DateOfDeath : null;
}
