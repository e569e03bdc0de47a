using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Births;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WitnessInput(string? NationalCode, string? Name);

/// <summary>What the registration rests on: a medical certificate, or two witnesses.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EvidenceInput(
    [property: OneOf(nameof(Vocabulary.EvidenceKinds))] string? Kind, string? Reference, IReadOnlyList<WitnessInput>? Witnesses = null)
{
    public EvidenceRecord Parse(string field, Validator v)
    {
        var kind = v.OneOf($"{field}.kind", Kind, Vocabulary.EvidenceKinds);
        var reference = v.Text($"{field}.reference", Reference, 200);
        if (kind != Vocabulary.Witnesses) return new EvidenceRecord(kind, reference);
        var witnesses = Witnesses ?? [];
        if (witnesses.Count != 2) v.Fail($"{field}.witnesses", "evidence.twoWitnessesRequired", "A birth attested by witnesses needs two witnesses.");
        var records = witnesses.Select((w, i) => new WitnessRecord(
            v.NationalCode($"{field}.witnesses[{i}].nationalCode", w?.NationalCode), v.Name($"{field}.witnesses[{i}].name", w?.Name))).ToList();
        if (records.Count == 2 && records[0].NationalCode == records[1].NationalCode)
            v.Fail($"{field}.witnesses", "evidence.sameWitness", "The two witnesses must be different people.");
        return new EvidenceRecord(kind, reference, records);
    }
}

/// <summary>A live birth as a registrar enters it. Parents' names are needed only for parents who are not registered.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterBirthRequest(
    string? GivenName, string? FamilyName, [property: OneOf(nameof(Vocabulary.Sexes))] string? Sex, string? BirthDate, PlaceInput? BirthPlace,
    string? OfficeCode, EvidenceInput? Evidence, string? MotherNationalCode = null, string? FatherNationalCode = null,
    string? BirthTime = null, int? MultipleBirthOrder = null, string? MotherName = null, string? FatherName = null)
{
    public RegisterBirth Parse(Validator v)
    {
        var birth = new RegisterBirth(
            v.Name("givenName", GivenName),
            v.Name("familyName", FamilyName),
            v.OneOf("sex", Sex, Vocabulary.Sexes),
            v.Date("birthDate", BirthDate),
            v.Place("birthPlace", BirthPlace),
            v.OptionalNationalCode("motherNationalCode", MotherNationalCode),
            v.OptionalNationalCode("fatherNationalCode", FatherNationalCode),
            v.Office("officeCode", OfficeCode),
            (Evidence ?? new EvidenceInput(null, null)).Parse("evidence", v),
            v.OptionalTime("birthTime", BirthTime),
            v.OptionalNumber("multipleBirthOrder", MultipleBirthOrder, 1, 9),
            v.OptionalName("motherName", MotherName),
            v.OptionalName("fatherName", FatherName));
        if (birth.MotherNationalCode is not null && birth.MotherNationalCode == birth.FatherNationalCode)
            v.Fail("fatherNationalCode", "parent.samePerson", "The mother and the father cannot be the same person.");
        return birth;
    }
}

/// <summary>Registered (201, with the issued code) or held as a suspected duplicate for a supervisor (202, with the hold).</summary>
public sealed record BirthRegisteredResponse(
    [property: OneOf(typeof(BirthRegisteredResponse), nameof(BirthRegisteredResponse.Statuses))] string Status, string? NationalCode, long? Version, Guid? HoldId = null,
    string? SuspectedDuplicateOf = null)
{
    public const string Registered = "registered";
    public const string HeldForReview = "heldForReview";
    public static readonly string[] Statuses = [Registered, HeldForReview];
}

public sealed record RegisterBirthCommand(RegisterBirth Birth) : ICommand<BirthRegisteredResponse>;

public sealed class RegisterBirthHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law)
    : ICommandHandler<RegisterBirthCommand, BirthRegisteredResponse>
{
    public async ValueTask<BirthRegisteredResponse> Handle(RegisterBirthCommand message, CancellationToken cancellationToken)
    {
        var birth = message.Birth;
        context.EnsureOffice(birth.OfficeCode);
        var parents = await PersonStreams.FetchAsync(session, context, cancellationToken, birth.MotherNationalCode, birth.FatherNationalCode);
        var (mother, father) = (parents[birth.MotherNationalCode], parents[birth.FatherNationalCode]);
        var review = BirthDecision.Review(birth, mother, father, clock.Today(), Guid.CreateVersion7(), context.UserId, law);
        parents.Append(session, review);
        if (review.Events.SingleOrDefault()?.Event is BirthHeldForReview held)
            return new BirthRegisteredResponse(BirthRegisteredResponse.HeldForReview, null, null, held.HoldId, held.SuspectedDuplicateOf);

        var nationalCode = await NationalCodeIssuer.IssueAsync(session, birth.OfficeCode, cancellationToken);
        parents.Append(session, BirthDecision.Decide(birth, nationalCode, mother, father, clock.Today(), law));
        return new BirthRegisteredResponse(BirthRegisteredResponse.Registered, nationalCode, 1);
    }
}

public static class RegisterBirthEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/births", async Task<Results<Created<BirthRegisteredResponse>, Accepted<BirthRegisteredResponse>>> (
                RegisterBirthRequest? request, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new RegisterBirthCommand(Validator.Parse(request, (r, v) => r.Parse(v))), ct);
                return result.NationalCode is { } code
                    ? TypedResults.Created($"/api/persons/{code}", result)
                    : TypedResults.Accepted($"/api/births/held/{result.HoldId}", result);
            })
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes()
            .WithName("RegisterBirth")
            .WithSummary("Register a live birth: 201 with the issued national code, or 202 when held as a suspected duplicate for a supervisor.");
}
