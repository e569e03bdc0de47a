using JasperFx.Events.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VitalEvents.History;

/// <summary>Each person's audit history, and what changed between two points of their record.</summary>
public static class HistorySetup
{
    public static Capability Capability { get; } = new("history")
    {
        Store = opts =>
        {
            opts.Schema.For<PersonHistory>().Identity(x => x.NationalCode);
            opts.Projections.Add(new PersonHistoryProjection(), ProjectionLifecycle.Inline);
        },
        Endpoints = app =>
        {
            var api = app.MapGroup("").WithTags("History");
            GetHistoryEndpoint.Map(api);
            GetDiffEndpoint.Map(api);
        },
    };
}
