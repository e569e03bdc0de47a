namespace VitalEvents.Feeds;

/// <summary>What one kind of downstream system may see: which event types, and which data fields are withheld.</summary>
public sealed record FeedScope(string Name, IReadOnlySet<string> Types, IReadOnlySet<string> HiddenFields)
{
    public bool AllowsAllTypes => Types.Count == 0;

    public bool Allows(string type) => AllowsAllTypes || Types.Contains(type);
}

/// <summary>
/// The scopes a subscriber's token (claim <c>scope</c>) or subscription can name. Field names are the event data's
/// property names as stored (PascalCase).
/// </summary>
public static class FeedScopes
{
    private static readonly Dictionary<string, FeedScope> Known = new[]
    {
        new FeedScope("full", new HashSet<string>(), new HashSet<string>()),
        new FeedScope("health", Set("birth_registered.v1", "death_registered.v1", "death_registered.v2", "foetal_death_registered.v1"), Set()),
        new FeedScope("pension", Set("death_registered.v1", "death_registered.v2"), Set("CausesIcd10", "Certifier")),
        new FeedScope("elections", Set("birth_registered.v1", "death_registered.v1", "death_registered.v2", "correction_approved.v1"),
            Set("CausesIcd10", "Certifier", "Evidence", "Place", "BirthPlace", "MotherNationalCode", "FatherNationalCode", "MotherName", "FatherName")),
        new FeedScope("statistics", new HashSet<string>(),
            Set("GivenName", "FamilyName", "MotherName", "FatherName", "Certifier", "Evidence", "Witnesses", "GuardianName", "Reason", "RequestedBy", "ApprovedBy", "RejectedBy", "HeldBy", "ConfirmedBy", "OldValue", "NewValue")),
    }.ToDictionary(s => s.Name);

    public static IReadOnlyCollection<string> Names => Known.Keys;

    public static FeedScope? Find(string? name) => name is null ? null : Known.GetValueOrDefault(name);

    private static HashSet<string> Set(params string[] values) => [.. values];
}
