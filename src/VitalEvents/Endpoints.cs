using Microsoft.AspNetCore.Routing;
using VitalEvents.Audit;
using VitalEvents.Births;
using VitalEvents.Corrections;
using VitalEvents.Deaths;
using VitalEvents.Divorces;
using VitalEvents.Guardianship;
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
        DecideHeldBirthEndpoints.Map(app);
        RegisterMarriageEndpoint.Map(app);
        GetMarriageEndpoint.Map(app);
        WaiveMarriageTermEndpoint.Map(app);
        ResumeMarriageEndpoint.Map(app);
        AnnulMarriageEndpoint.Map(app);
        RegisterDivorceEndpoint.Map(app);
        RegisterDeathEndpoint.Map(app);
        RegisterFoetalDeathEndpoint.Map(app);
        AppointGuardianEndpoint.Map(app);
        RequestCorrectionEndpoint.Map(app);
        DecideCorrectionEndpoints.Map(app);
        ListCorrectionsEndpoint.Map(app);
        GetPersonEndpoint.Map(app);
        SearchPersonsEndpoint.Map(app);
        GetHistoryEndpoint.Map(app);
        Feeds.GetFeedEndpoints.Map(app);
        GetDiffEndpoint.Map(app);
        GetAccessLogEndpoint.Map(app);
        Feeds.Subscriptions.CreateSubscriptionEndpoint.Map(app);
        Feeds.Subscriptions.GetSubscriptionsEndpoints.Map(app);
        Feeds.Subscriptions.ControlSubscriptionEndpoints.Map(app);
        Feeds.Subscriptions.ParkedDeliveriesEndpoints.Map(app);
        return app;
    }
}
