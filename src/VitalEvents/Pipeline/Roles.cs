namespace VitalEvents.Pipeline;

/// <summary>The roles of the registry's users and the authorisation policies built on them.</summary>
public static class Roles
{
    public const string Registrar = "registrar";
    public const string Supervisor = "supervisor";
    public const string Auditor = "auditor";
    public const string Subscriber = "subscriber";
    public const string Admin = "admin";
    /// <summary>A person reading their own record (Sahim); the token's user is their national code.</summary>
    public const string Citizen = "citizen";
    /// <summary>An agency's client verifying identities (Hoda); the token names the agency.</summary>
    public const string Verifier = "verifier";
    /// <summary>A facility's system or staff notifying births; the token names the facility.</summary>
    public const string Hospital = "hospital";
    /// <summary>The population observatory's analysts: the full statistics tables, without suppression (never a person's record).</summary>
    public const string Statistician = "statistician";
    public static readonly string[] All = [Registrar, Supervisor, Auditor, Subscriber, Admin, Citizen, Verifier, Hospital, Statistician];

    /// <summary>Record vital events and request corrections.</summary>
    public const string RecordPolicy = "record";
    /// <summary>Approve or reject corrections.</summary>
    public const string SupervisePolicy = "supervise";
    /// <summary>Read snapshots and history.</summary>
    public const string ReadPolicy = "read";
    /// <summary>Audit: verify the log's integrity and read the access log.</summary>
    public const string AuditPolicy = "audit";
    /// <summary>Read the event feed (subscribers within their scope; auditors and admins in full).</summary>
    public const string FeedPolicy = "feed";
    /// <summary>Manage downstream subscriptions and agencies.</summary>
    public const string AdminPolicy = "admin";
    /// <summary>A citizen's own record (<c>/api/me</c>).</summary>
    public const string CitizenPolicy = "citizen";
    /// <summary>Verify identities for an agency.</summary>
    public const string VerifyPolicy = "verify";
    /// <summary>Notify births for a facility.</summary>
    public const string NotifyPolicy = "notify";
    /// <summary>Read the full statistics tables and the statistics' status.</summary>
    public const string StatisticsPolicy = "statistics";
}
