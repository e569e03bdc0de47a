using JasperFx.Events.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace VitalEvents.Births;

/// <summary>Live births, held suspected duplicates and the national codes issued to newborns.</summary>
public static class BirthsSetup
{
    public static Capability Capability { get; } = new("births")
    {
        Store = opts =>
        {
            opts.Projections.Add(new BirthHoldProjection(), ProjectionLifecycle.Inline);
            opts.Schema.For<BirthHold>().Index(h => h.Status);
            opts.Storage.ExtendedSchemaObjects.Add(NationalCodeIssuer.Table(opts.DatabaseSchemaName));
        },
        Endpoints = app =>
        {
            var api = app.MapGroup("").WithTags("Births");
            RegisterBirthEndpoint.Map(api);
            DecideHeldBirthEndpoints.Map(api);
            ListHeldBirthsEndpoints.Map(api);
        },
    };
}
