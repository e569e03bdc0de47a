using JasperFx.Events.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VitalEvents.Citizens;

/// <summary>Sahim: citizens read their own record, their family's, who read it, and file correction requests; registrars review them.</summary>
public static class CitizensSetup
{
    public static Capability Capability { get; } = new("citizens")
    {
        Store = opts =>
        {
            opts.Projections.Add(new CitizenRequestProjection(), ProjectionLifecycle.Inline);
            opts.Schema.For<CitizenRequest>().Index(r => r.NationalCode).Index(r => r.OfficeCode);
        },
        Endpoints = app =>
        {
            var me = app.MapGroup("").WithTags("Citizens");
            MeEndpoints.Map(me);
            MyAccessLogEndpoint.Map(me);
            FileCitizenRequestEndpoint.Map(me);
            ReviewCitizenRequestsEndpoints.Map(app.MapGroup("").WithTags("Citizens' requests"));
        },
    };
}
