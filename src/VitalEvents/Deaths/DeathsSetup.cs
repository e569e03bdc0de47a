using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VitalEvents.Deaths;

/// <summary>Deaths and foetal deaths.</summary>
public static class DeathsSetup
{
    public static Capability Capability { get; } = new("deaths")
    {
        Endpoints = app =>
        {
            var api = app.MapGroup("").WithTags("Deaths");
            RegisterDeathEndpoint.Map(api);
            RegisterFoetalDeathEndpoint.Map(api);
        },
    };
}
