using JasperFx.Events.Projections;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Marriages;

/// <summary>Marriages and what changes them after they are registered: waiver of the term, return, annulment.</summary>
public static class MarriagesSetup
{
    public static Capability Capability { get; } = new("marriages")
    {
        Store = opts => opts.Projections.Add(new MarriageRecordProjection(), ProjectionLifecycle.Inline),
        Endpoints = app =>
        {
            var api = app.MapGroup("").WithTags("Marriages");
            RegisterMarriageEndpoint.Map(api);
            GetMarriageEndpoint.Map(api);
            WaiveMarriageTermEndpoint.Map(api);
            ResumeMarriageEndpoint.Map(api);
            AnnulMarriageEndpoint.Map(api);
        },
    };

    /// <summary>POST /marriages/{marriageId}/{action}: a change to a registered marriage, answered with what it did.</summary>
    internal static void MapMarriageChange<TRequest>(this IEndpointRouteBuilder api, string action,
        Func<Guid, TRequest, Validator, ICommand<MarriageChangedResponse>> command, string name, string summary) where TRequest : class =>
        api.MapPost($"/marriages/{{marriageId:guid}}/{action}", async Task<Ok<MarriageChangedResponse>> (Guid marriageId, TRequest? request,
                IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(Validator.Parse(request, (r, v) => command(marriageId, r, v)), ct)))
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes()
            .WithName(name)
            .WithSummary(summary);
}
