namespace VitalEvents.Pipeline;

/// <summary>The roles of the registry's users and the authorisation policies built on them.</summary>
public static class Roles
{
    public const string Registrar = "registrar";
    public const string Supervisor = "supervisor";
    public const string Auditor = "auditor";
    public const string Subscriber = "subscriber";
    public const string Admin = "admin";
    public static readonly string[] All = [Registrar, Supervisor, Auditor, Subscriber, Admin];

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
    /// <summary>Manage downstream subscriptions.</summary>
    public const string AdminPolicy = "admin";
}
