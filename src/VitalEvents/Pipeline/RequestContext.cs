using VitalEvents.Domain;

namespace VitalEvents.Pipeline;

/// <summary>Who is acting, from where, why, and on behalf of which request. Scoped to one request or one CLI operation.</summary>
public sealed class RequestContext
{
    public string UserId { get; set; } = "system";
    public IReadOnlySet<string> Roles { get; set; } = new HashSet<string>();
    public string? OfficeCode { get; set; }

    /// <summary>The agency a verifier acts for (the token's agency claim), if any.</summary>
    public string? AgencyId { get; set; }

    /// <summary>The facility a hospital user notifies births for (the token's facility claim).</summary>
    public string? FacilityId { get; set; }

    /// <summary>A citizen's own national code: their user id, when they hold the citizen role and it is a valid code.</summary>
    public string? CitizenCode { get; set; }

    /// <summary>The scopes the caller's token grants (OAuth 2.0 scope tokens); the feed reads the first that names a feed scope.</summary>
    public IReadOnlySet<string> Scopes { get; set; } = new HashSet<string>();
    public string CorrelationId { get; set; } = Guid.NewGuid().ToString("N");
    public string? CausationId { get; set; }
    public string? IdempotencyKey { get; set; }

    /// <summary>Why the data is read (the X-Purpose header, or the CLI's --purpose), kept in the access log.</summary>
    public string? Purpose { get; set; }

    /// <summary>The caller's If-Match on the write's subject record, if any.</summary>
    public IfMatch? IfMatch { get; set; }

    /// <summary>Set when the answer is the one recorded under the request's Idempotency-Key, not a new write.</summary>
    public bool Replayed { get; set; }

    /// <summary>
    /// Registrars and supervisors act only for the office in their token; a token without one may write nothing
    /// (docs/domain.md, "Offices and jurisdiction").
    /// </summary>
    public void EnsureOffice(string officeCode)
    {
        if (ActingOffice != officeCode)
            throw new RuleViolationException(new RuleViolation("office.outsideJurisdiction",
                $"You act for office {OfficeCode} and cannot act for office {officeCode}.", ViolationKind.Forbidden));
    }

    /// <summary>The office the caller acts for; a caller with none may write nothing.</summary>
    public string ActingOffice => OfficeCode ?? throw new RuleViolationException(new RuleViolation("office.required",
        "Your token names no registry office; every write is recorded for the office that makes it.", ViolationKind.Forbidden));
}

/// <summary>
/// An If-Match precondition (RFC 9110 §13.1.1): any current record (<c>*</c>), or one of several entity tags compared
/// strongly. A record's tag starts with its stream version (<c>"3"</c> or <c>"3-…"</c>): a write compares that version.
/// </summary>
public sealed record IfMatch(bool Any, IReadOnlyList<string> StrongTags)
{
    /// <summary>True when a record at <paramref name="version"/> (null: no record) satisfies the precondition.</summary>
    public bool IsMetBy(long? version) =>
        version is { } v && (Any || StrongTags.Any(tag => VersionOf(tag) == v));

    private static long? VersionOf(string tag)
    {
        var end = tag.IndexOf('-');
        return long.TryParse(end < 0 ? tag : tag[..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
            out var version) ? version : null;
    }
}
