using Marten;
using Microsoft.AspNetCore.Builder;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Deaths;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Deaths;

public sealed record RegisterDeathRequest(string? NationalCode, string? Date, PlaceInput? Place, string? CauseIcd10, string? Certifier, string? OfficeCode);

public sealed record DeathRegisteredResponse(string NationalCode, long Version);

public sealed record RegisterDeathCommand(RegisterDeathRequest Request) : ICommand<DeathRegisteredResponse>, IValidatable
{
    public void Validate(Validator validator) => ToDomain(validator);

    public RegisterDeath ToDomain(Validator v) => new(
        v.NationalCode("nationalCode", Request.NationalCode),
        v.Date("date", Request.Date),
        v.Place("place", Request.Place),
        v.OptionalIcd10("causeIcd10", Request.CauseIcd10),
        v.OptionalText("certifier", Request.Certifier, 200),
        v.Office("officeCode", Request.OfficeCode));
}

public sealed class RegisterDeathHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law)
    : ICommandHandler<RegisterDeathCommand, DeathRegisteredResponse>
{
    public async ValueTask<DeathRegisteredResponse> Handle(RegisterDeathCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator());
        context.EnsureOffice(command.OfficeCode);
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, command.NationalCode);
        var spouses = streams[command.NationalCode]?.Marriages.Select(m => m.SpouseNationalCode).ToArray() ?? [];
        await streams.IncludeAsync(session, cancellationToken, spouses);
        var decision = DeathDecision.Decide(command, streams[command.NationalCode], clock.Today(), law);
        streams.Append(session, decision);
        return new DeathRegisteredResponse(command.NationalCode, streams.VersionOf(command.NationalCode));
    }
}

public static class RegisterDeathEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapRecord<RegisterDeathRequest, DeathRegisteredResponse>("/api/deaths", r => new RegisterDeathCommand(r),
                r => $"/api/persons/{r.NationalCode}", "RegisterDeath", "Deaths",
                "Register a death; a surviving spouse's marriage ends by it. Honours If-Match on the deceased's record.")
            .WithMetadata(new HonoursIfMatch());
}
