using Marten;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Births;

public sealed record EvidenceInput(string? Kind, string? Reference);

public sealed record RegisterBirthRequest(
    string? GivenName, string? FamilyName, string? Sex, string? BirthDate, PlaceInput? BirthPlace, string? MotherNationalCode,
    string? FatherNationalCode, string? OfficeCode, EvidenceInput? Evidence);

public sealed record BirthRegisteredResponse(string NationalCode, long Version);

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
        new EvidenceRecord(
            v.OneOf("evidence.kind", Request.Evidence?.Kind, Vocabulary.EvidenceKinds),
            v.Text("evidence.reference", Request.Evidence?.Reference, 200)));
}

public sealed class RegisterBirthHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<RegisterBirthCommand, BirthRegisteredResponse>
{
    public async ValueTask<BirthRegisteredResponse> Handle(RegisterBirthCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator());
        context.EnsureOffice(command.OfficeCode);
        var parents = await PersonStreams.FetchAsync(session, context, cancellationToken, command.MotherNationalCode, command.FatherNationalCode);
        var nationalCode = await NationalCodeIssuer.IssueAsync(session, command.OfficeCode, cancellationToken);
        var decision = BirthDecision.Decide(command, nationalCode, parents[command.MotherNationalCode], parents[command.FatherNationalCode], clock.Today());
        parents.Append(session, decision);
        return new BirthRegisteredResponse(nationalCode, 1);
    }
}

public static class RegisterBirthEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapRecord<RegisterBirthRequest, BirthRegisteredResponse>("/api/births", r => new RegisterBirthCommand(r),
            r => $"/api/persons/{r.NationalCode}", "RegisterBirth", "Births", "Register a live birth; issues the child's national code.");
}
