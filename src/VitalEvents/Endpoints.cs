using Microsoft.AspNetCore.Routing;
using VitalEvents.Births;
using VitalEvents.Corrections;
using VitalEvents.Deaths;
using VitalEvents.Divorces;
using VitalEvents.History;
using VitalEvents.Identity;
using VitalEvents.Marriages;

namespace VitalEvents;

public static class Endpoints
{
    /// <summary>Maps every use case's endpoint.</summary>
    public static IEndpointRouteBuilder MapVitalEvents(this IEndpointRouteBuilder app)
    {
        RegisterBirthEndpoint.Map(app);
        RegisterMarriageEndpoint.Map(app);
        RegisterDivorceEndpoint.Map(app);
        RegisterDeathEndpoint.Map(app);
        RequestCorrectionEndpoint.Map(app);
        DecideCorrectionEndpoints.Map(app);
        ListCorrectionsEndpoint.Map(app);
        GetPersonEndpoint.Map(app);
        GetHistoryEndpoint.Map(app);
        return app;
    }
}
