using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Births;

public sealed record WitnessInput(string? NationalCode, string? Name);

public sealed record EvidenceInput(string? Kind, string? Reference, IReadOnlyList<WitnessInput>? Witnesses = null);

public sealed record RegisterBirthRequest(
    string? GivenName, string? FamilyName, string? Sex, string? BirthDate, PlaceInput? BirthPlace, string? MotherNationalCode,
    string? FatherNationalCode, string? OfficeCode, EvidenceInput? Evidence, string? BirthTime = null, int? MultipleBirthOrder = null,
    string? MotherName = null, string? FatherName = null);

/// <summary>Registered (201, with the issued code) or held as a suspected duplicate for a supervisor (202, with the hold).</summary>
public sealed record BirthRegisteredResponse(string Status, string? NationalCode, long? Version, Guid? HoldId = null, string? SuspectedDuplicateOf = null)
{
    public const string Registered = "registered";
    public const string HeldForReview = "heldForReview";
}

public sealed record RegisterBirthCommand(RegisterBirthRequest Request) : ICommand<BirthRegisteredResponse>, IValidatable
{
    public void Validate(Validator validator)
    {
        var command = ToDomain(validator);
        if (command.MotherNationalCode is not null && command.MotherNationalCode == command.FatherNationalCode)
            validator.Fail("fatherNationalCode", "parent.samePerson", "The mother and the father cannot be the same person.");
    }

    public RegisterBirth ToDomain(Validator v) => new(
        v.Name("givenName", Request.GivenName),
        v.Name("familyName", Request.FamilyName),
        v.OneOf("sex", Request.Sex, Vocabulary.Sexes),
        v.Date("birthDate", Request.BirthDate),
        v.Place("birthPlace", Request.BirthPlace),
        v.OptionalNationalCode("motherNationalCode", Request.MotherNationalCode),
        v.OptionalNationalCode("fatherNationalCode", Request.FatherNationalCode),
        v.Office("officeCode", Request.OfficeCode),
        v.Evidence("evidence", Request.Evidence),
        v.OptionalTime("birthTime", Request.BirthTime),
        v.OptionalNumber("multipleBirthOrder", Request.MultipleBirthOrder, 1, 9),
        Request.MotherName is null ? null : v.Name("motherName", Request.MotherName),
        Request.FatherName is null ? null : v.Name("fatherName", Request.FatherName));
}

public sealed class RegisterBirthHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law)
    : ICommandHandler<RegisterBirthCommand, BirthRegisteredResponse>
{
    public async ValueTask<BirthRegisteredResponse> Handle(RegisterBirthCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator());
        context.EnsureOffice(command.OfficeCode);
        var parents = await PersonStreams.FetchAsync(session, context, cancellationToken, command.MotherNationalCode, command.FatherNationalCode);
        var (mother, father) = (parents[command.MotherNationalCode], parents[command.FatherNationalCode]);
        var review = BirthDecision.Review(command, mother, father, clock.Today(), Guid.CreateVersion7(), context.UserId, law);
        parents.Append(session, review);
        if (review.Events.SingleOrDefault()?.Event is BirthHeldForReview held)
            return new BirthRegisteredResponse(BirthRegisteredResponse.HeldForReview, null, null, held.HoldId, held.SuspectedDuplicateOf);

        var nationalCode = await NationalCodeIssuer.IssueAsync(session, command.OfficeCode, cancellationToken);
        parents.Append(session, BirthDecision.Decide(command, nationalCode, mother, father, clock.Today(), law));
        return new BirthRegisteredResponse(BirthRegisteredResponse.Registered, nationalCode, 1);
    }
}

public static class RegisterBirthEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/births", async (RegisterBirthRequest request, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new RegisterBirthCommand(request), ct);
                return result.NationalCode is { } code
                    ? Results.Created($"/api/persons/{code}", result)
                    : Results.Accepted($"/api/births/held/{result.HoldId}", result);
            })
            .RequireAuthorization(Roles.RecordPolicy)
            .WithName("RegisterBirth").WithTags("Births")
            .WithSummary("Register a live birth: 201 with the issued national code, or 202 when held as a suspected duplicate for a supervisor.")
            .Produces<BirthRegisteredResponse>(StatusCodes.Status201Created)
            .Produces<BirthRegisteredResponse>(StatusCodes.Status202Accepted);
}
