namespace VitalEvents.Pipeline;

/// <summary>Who is acting, from where, and on behalf of which request. Scoped to one request or one CLI operation.</summary>
public sealed class RequestContext
{
    public string UserId { get; set; } = "system";
    public IReadOnlySet<string> Roles { get; set; } = new HashSet<string>();
    public string? OfficeCode { get; set; }
    public string CorrelationId { get; set; } = Guid.NewGuid().ToString("N");
    public string? CausationId { get; set; }
    public string? IdempotencyKey { get; set; }
    public long? ExpectedVersion { get; set; }

    /// <summary>Registrars and supervisors act only for their own office.</summary>
    public void EnsureOffice(string officeCode)
    {
        if (OfficeCode is not null && OfficeCode != officeCode)
            throw new RuleViolationException(new Domain.RuleViolation("office.outsideJurisdiction",
                $"You act for office {OfficeCode} and cannot record for office {officeCode}.", Domain.ViolationKind.Forbidden));
    }
}
