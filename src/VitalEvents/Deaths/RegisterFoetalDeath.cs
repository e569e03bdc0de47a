using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Deaths;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Deaths;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterFoetalDeathRequest(
    string? MotherNationalCode, string? Date, int? GestationWeeks, PlaceInput? Place, string? OfficeCode,
    [property: OneOf(nameof(Vocabulary.Sexes))] string? Sex = null, string? CauseIcd10 = null, string? Certifier = null,
    string? FatherNationalCode = null)
{
    public RegisterFoetalDeath Parse(Validator v)
    {
        var death = new RegisterFoetalDeath(
            v.NationalCode("motherNationalCode", MotherNationalCode),
            v.Date("date", Date),
            v.Number("gestationWeeks", GestationWeeks, 1, 45),
            v.OptionalOneOf("sex", Sex, Vocabulary.Sexes),
            v.Place("place", Place),
            v.OptionalIcd10("causeIcd10", CauseIcd10),
            v.OptionalText("certifier", Certifier, 200),
            v.OptionalNationalCode("fatherNationalCode", FatherNationalCode),
            v.Office("officeCode", OfficeCode));
        if (death.FatherNationalCode is not null && death.FatherNationalCode == death.MotherNationalCode)
            v.Fail("fatherNationalCode", "parent.samePerson", "The mother and the father cannot be the same person.");
        return death;
    }
}

public sealed record FoetalDeathRegisteredResponse(string MotherNationalCode, long Version);

public sealed record RegisterFoetalDeathCommand(RegisterFoetalDeath Death) : ICommand<FoetalDeathRegisteredResponse>;

public sealed class RegisterFoetalDeathHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law)
    : ICommandHandler<RegisterFoetalDeathCommand, FoetalDeathRegisteredResponse>
{
    public async ValueTask<FoetalDeathRegisteredResponse> Handle(RegisterFoetalDeathCommand message, CancellationToken cancellationToken)
    {
        var death = message.Death;
        context.EnsureOffice(death.OfficeCode);
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, death.MotherNationalCode);
        streams.Append(session, DeathDecision.Decide(death, streams[death.MotherNationalCode], clock.Today(), law));
        return new FoetalDeathRegisteredResponse(death.MotherNationalCode, streams.VersionOf(death.MotherNationalCode));
    }
}

public static class RegisterFoetalDeathEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/foetal-deaths", async Task<Created<FoetalDeathRegisteredResponse>> (RegisterFoetalDeathRequest? request, IMediator mediator,
                CancellationToken ct) =>
            {
                var registered = await mediator.Send(new RegisterFoetalDeathCommand(Validator.Parse(request, (r, v) => r.Parse(v))), ct);
                return TypedResults.Created($"/api/persons/{registered.MotherNationalCode}", registered);
            })
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes()
            .WithName("RegisterFoetalDeath")
            .WithSummary("Register a foetal death after the sixth month of pregnancy, on the mother's record.");
}
