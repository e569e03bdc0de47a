using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VitalEvents.Divorces;

/// <summary>Divorces, revocable and irrevocable.</summary>
public static class DivorcesSetup
{
    public static Capability Capability { get; } = new("divorces")
    {
        Endpoints = app => RegisterDivorceEndpoint.Map(app.MapGroup("").WithTags("Divorces")),
    };
}
