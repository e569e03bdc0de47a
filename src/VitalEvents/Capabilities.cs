namespace VitalEvents;

/// <summary>
/// Every capability of the registry, in the order their endpoints are mapped. This one list drives the Marten configuration,
/// the schema the owner applies, the grants, the services and the endpoints; rebuild and check take their projections from
/// the Marten configuration it produces.
/// </summary>
public static class Capabilities
{
    public static IReadOnlyList<Capability> All { get; } =
    [
        Births.BirthsSetup.Capability,
        Marriages.MarriagesSetup.Capability,
        Divorces.DivorcesSetup.Capability,
        Deaths.DeathsSetup.Capability,
        Guardianship.GuardianshipSetup.Capability,
        Corrections.CorrectionsSetup.Capability,
        Citizens.CitizensSetup.Capability,
        Identity.IdentitySetup.Capability,
        History.HistorySetup.Capability,
        Audit.AuditSetup.Capability,
        Integrity.IntegritySetup.Capability,
        Feeds.FeedsSetup.Capability,
        Verifications.VerificationsSetup.Capability,
        BirthNotifications.BirthNotificationsSetup.Capability,
        Documents.DocumentsSetup.Capability,
        Statistics.StatisticsSetup.Capability,
    ];
}
