using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VitalEvents.Guardianship;

/// <summary>Guardians appointed by courts for children without living parents.</summary>
public static class GuardianshipSetup
{
    public static Capability Capability { get; } = new("guardianship")
    {
        Endpoints = app => AppointGuardianEndpoint.Map(app.MapGroup("").WithTags("Guardianship")),
    };
}
