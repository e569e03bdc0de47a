using JasperFx.Events.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VitalEvents.Corrections;

/// <summary>Corrections of a record, maker and checker.</summary>
public static class CorrectionsSetup
{
    public static Capability Capability { get; } = new("corrections")
    {
        Store = opts => opts.Projections.Add(new CorrectionCaseProjection(), ProjectionLifecycle.Inline),
        Endpoints = app =>
        {
            var api = app.MapGroup("").WithTags("Corrections");
            RequestCorrectionEndpoint.Map(api);
            DecideCorrectionEndpoints.Map(api);
            ListCorrectionsEndpoints.Map(api);
        },
    };
}
