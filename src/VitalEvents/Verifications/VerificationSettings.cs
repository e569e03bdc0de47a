namespace VitalEvents.Verifications;

/// <summary>How verifications run (VitalEvents:Verifications:*).</summary>
public sealed class VerificationSettings
{
    public const string Section = "VitalEvents:Verifications";

    /// <summary>How long an instance uses the agencies it holds before reading them again (changes made through it are seen at once).</summary>
    public TimeSpan AgencyRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most of an agency's daily quota an instance reserves at once (docs/verification.md, "Quota").</summary>
    public int QuotaBlock { get; set; } = 100;

    /// <summary>Rows of a batch verified at the same time.</summary>
    public int BatchParallelism { get; set; } = 32;

    internal bool IsValid => AgencyRefresh > TimeSpan.Zero && QuotaBlock > 0 && BatchParallelism > 0;
}
