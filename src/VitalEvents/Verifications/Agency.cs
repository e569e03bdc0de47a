namespace VitalEvents.Verifications;

/// <summary>An agency registered to verify identities (Hoda): one client per agency, named in its verifiers' tokens.</summary>
public sealed class Agency
{
    /// <summary>The agency's id, as the verifier token's agency claim names it.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The agency's name in Persian, as citizens see it among those who read their record.</summary>
    public string Name { get; set; } = string.Empty;
    public string NameEnglish { get; set; } = string.Empty;
}
