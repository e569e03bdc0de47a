using Marten.Schema;
using VitalEvents.Http;

namespace VitalEvents.Verifications;

/// <summary>The states of an agency: verifying, or held by an admin.</summary>
public static class AgencyStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public static readonly string[] All = [Active, Suspended];
}

/// <summary>
/// An agency registered to verify identities (Hoda): one client per agency, named in its verifiers' tokens. What it may ask
/// (purposes, answers) and how much (a daily quota, a rate) are set by admins; every change is in <see cref="AgencyChangeLog"/>.
/// </summary>
public sealed class Agency
{
    /// <summary>The agency's id, as the verifier token's agency claim names it.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The agency's name in Persian, as citizens see it among those who read their record.</summary>
    public string Name { get; set; } = string.Empty;
    public string NameEnglish { get; set; } = string.Empty;

    /// <summary>The purposes (slugs such as <c>account-opening</c>) its verifications may be made for.</summary>
    public List<string> Purposes { get; set; } = [];

    /// <summary>What it may ask and be answered (<see cref="Domain.Verifications.VerificationAnswers.All"/>).</summary>
    public List<string> Answers { get; set; } = [];

    /// <summary>Verifications a day (Tehran's day), counted across every instance of the service.</summary>
    public int DailyQuota { get; set; }

    /// <summary>Requests a second, per service instance.</summary>
    public int RatePerSecond { get; set; }

    public string Status { get; set; } = AgencyStatus.Active;

    /// <summary>1 when registered, one more with each change: the entity tag's version, which If-Match compares.</summary>
    public long Revision { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ChangedAt { get; set; }

    [Version]
    public Guid Version { get; set; }

    public bool IsActive => Status == AgencyStatus.Active;

    public bool Allows(string answer) => Answers.Contains(answer);
}

/// <summary>An agency as admins see it (and as its change log records it before and after each change).</summary>
public sealed record AgencyView(string Id, string Name, string NameEnglish, IReadOnlyList<string> Purposes, IReadOnlyList<string> Answers, int DailyQuota,
    int RatePerSecond, [property: OneOf(typeof(AgencyStatus), nameof(AgencyStatus.All))] string Status, long Version, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset ChangedAt) : IVersioned
{
    public static AgencyView Of(Agency a) =>
        new(a.Id, a.Name, a.NameEnglish, a.Purposes, a.Answers, a.DailyQuota, a.RatePerSecond, a.Status, a.Revision, a.CreatedBy, a.CreatedAt, a.ChangedAt);
}
