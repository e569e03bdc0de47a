using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.BirthNotifications;

/// <summary>A facility's new terms: every field is given and replaces what was set (a status of suspended stops its notifications).</summary>
public sealed record ChangeFacilityCommand(string Id, FacilityTerms Terms) : ICommand<FacilityView>;

public sealed class ChangeFacilityHandler(IDocumentSession session, RequestContext context, TimeProvider clock) : ICommandHandler<ChangeFacilityCommand, FacilityView>
{
    public async ValueTask<FacilityView> Handle(ChangeFacilityCommand command, CancellationToken cancellationToken)
    {
        var facility = await session.LoadAsync<Facility>(command.Id, cancellationToken) ?? throw FacilityLookup.NotFound(command.Id);
        if (context.IfMatch is { } ifMatch && !ifMatch.IsMetBy(facility.Revision)) throw new PreconditionFailedException($"Facility {facility.Id}", facility.Revision);
        var before = FacilityView.Of(facility);
        command.Terms.ApplyTo(facility);
        if (FacilityView.Of(facility) == before) return before;
        facility.Revision++;
        (facility.ChangedBy, facility.ChangedAt) = (context.UserId, clock.GetUtcNow());
        // Optimistic concurrency: a change committed meanwhile makes this one fail (409) instead of being overwritten.
        session.Update(facility);
        return FacilityView.Of(facility);
    }
}

public static class FacilityLookup
{
    public static RuleViolationException NotFound(string id) =>
        new(new RuleViolation("facility.notFound", $"There is no facility {id}.", ViolationKind.NotFound));
}

public static class ChangeFacilityEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/facilities/{id}", async Task<Ok<FacilityView>> (string id, FacilityTermsRequest? request, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ChangeFacilityCommand(id, Validator.Parse(request, (r, v) => r.ParseTerms(v))), ct)))
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes(ifMatch: true)
            .WithName("ChangeFacility")
            .WithSummary("Replace a facility's names, office, city and status (suspended: its notifications are refused); If-Match with its ETag guards against a change made meanwhile. Admins only.");
}
