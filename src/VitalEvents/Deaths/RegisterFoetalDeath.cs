using Marten;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Deaths;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Deaths;

public sealed record RegisterFoetalDeathRequest(
    string? MotherNationalCode, string? Date, int? GestationWeeks, string? Sex, PlaceInput? Place, string? CauseIcd10, string? Certifier,
    string? FatherNationalCode, string? OfficeCode);

public sealed record FoetalDeathRegisteredResponse(string MotherNationalCode, long Version);

public sealed record RegisterFoetalDeathCommand(RegisterFoetalDeathRequest Request) : ICommand<FoetalDeathRegisteredResponse>, IValidatable
{
    public void Validate(Validator validator)
    {
        var command = ToDomain(validator);
        if (Request.GestationWeeks is null) validator.Fail("gestationWeeks", "field.required", "gestationWeeks is required.");
        if (command.FatherNationalCode is not null && command.FatherNationalCode == command.MotherNationalCode)
            validator.Fail("fatherNationalCode", "parent.samePerson", "The mother and the father cannot be the same person.");
    }

    public RegisterFoetalDeath ToDomain(Validator v) => new(
        v.NationalCode("motherNationalCode", Request.MotherNationalCode),
        v.Date("date", Request.Date),
        v.OptionalNumber("gestationWeeks", Request.GestationWeeks, 1, 45) ?? 0,
        string.IsNullOrWhiteSpace(Request.Sex) ? null : v.OneOf("sex", Request.Sex, Vocabulary.Sexes),
        v.Place("place", Request.Place),
        v.OptionalIcd10("causeIcd10", Request.CauseIcd10),
        v.OptionalText("certifier", Request.Certifier, 200),
        v.OptionalNationalCode("fatherNationalCode", Request.FatherNationalCode),
        v.Office("officeCode", Request.OfficeCode));
}

public sealed class RegisterFoetalDeathHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law)
    : ICommandHandler<RegisterFoetalDeathCommand, FoetalDeathRegisteredResponse>
{
    public async ValueTask<FoetalDeathRegisteredResponse> Handle(RegisterFoetalDeathCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator());
        context.EnsureOffice(command.OfficeCode);
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, command.MotherNationalCode);
        streams.Append(session, DeathDecision.Decide(command, streams[command.MotherNationalCode], clock.Today(), law));
        return new FoetalDeathRegisteredResponse(command.MotherNationalCode, streams.VersionOf(command.MotherNationalCode));
    }
}

public static class RegisterFoetalDeathEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapRecord<RegisterFoetalDeathRequest, FoetalDeathRegisteredResponse>("/api/foetal-deaths", r => new RegisterFoetalDeathCommand(r),
            r => $"/api/persons/{r.MotherNationalCode}", "RegisterFoetalDeath", "Deaths",
            "Register a foetal death after the sixth month of pregnancy, on the mother's record.");
}
