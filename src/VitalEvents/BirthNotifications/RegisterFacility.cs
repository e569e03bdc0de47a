using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Verifications;

namespace VitalEvents.BirthNotifications;

/// <summary>What an admin sets for a facility: its names, the office it registers under, its city, whether it may notify.</summary>
public sealed record FacilityTerms(string Name, string NameEnglish, string OfficeCode, string City, string Status)
{
    public void ApplyTo(Facility facility) =>
        (facility.Name, facility.NameEnglish, facility.OfficeCode, facility.City, facility.Status) = (Name, NameEnglish, OfficeCode, City, Status);
}

/// <summary>A facility's terms as a request gives them (registering or changing it); the status is active unless given.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public record FacilityTermsRequest(string? Name, string? NameEnglish, string? OfficeCode, string? City,
    [property: OneOf(typeof(FacilityStatus), nameof(FacilityStatus.All))] string? Status = null)
{
    public FacilityTerms ParseTerms(Validator v) => new(v.Text("name", Name, 200), v.Text("nameEnglish", NameEnglish, 200), v.Office("officeCode", OfficeCode),
        v.Text("city", City, 100), Status is null ? FacilityStatus.Active : v.OneOf("status", Status, FacilityStatus.All));
}

/// <summary>A new facility: its id (the facility claim of its users' tokens) and its terms.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterFacilityRequest(string? Id, string? Name, string? NameEnglish, string? OfficeCode, string? City, string? Status = null)
    : FacilityTermsRequest(Name, NameEnglish, OfficeCode, City, Status)
{
    public RegisterFacilityCommand Parse(Validator v) => new(Slugs.Parse(v, "id", Id, "facility.invalidId"), ParseTerms(v));
}

public sealed record RegisterFacilityCommand(string Id, FacilityTerms Terms) : ICommand<FacilityView>;

public sealed class RegisterFacilityHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<RegisterFacilityCommand, FacilityView>
{
    public async ValueTask<FacilityView> Handle(RegisterFacilityCommand command, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Facility>(command.Id, cancellationToken) is not null)
            throw new RuleViolationException(new RuleViolation("facility.exists", $"A facility {command.Id} is registered already.", ViolationKind.Conflict, "id"));
        var now = clock.GetUtcNow();
        var facility = new Facility { Id = command.Id, Revision = 1, CreatedBy = context.UserId, CreatedAt = now, ChangedBy = context.UserId, ChangedAt = now };
        command.Terms.ApplyTo(facility);
        // Insert, not store: two admins registering one id at once cannot both succeed.
        session.Insert(facility);
        return FacilityView.Of(facility);
    }
}

public static class RegisterFacilityEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/facilities", async Task<Created<FacilityView>> (RegisterFacilityRequest? request, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(Validator.Parse(request, (r, v) => r.Parse(v)), ct);
                return TypedResults.Created($"/api/facilities/{created.Id}", created);
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes()
            .WithName("RegisterFacility")
            .WithSummary("Register a health facility that notifies births: its id (its users' facility claim), names, the office it registers under and its city; admins only.");
}
