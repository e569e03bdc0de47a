using Marten;
using Microsoft.AspNetCore.Builder;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Deaths;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Deaths;

/// <remarks>Causes: <c>causesIcd10</c> (underlying cause first), or a single <c>causeIcd10</c>.</remarks>
public sealed record RegisterDeathRequest(string? NationalCode, string? Date, PlaceInput? Place, string? CauseIcd10, string? Certifier, string? OfficeCode,
    IReadOnlyList<string>? CausesIcd10 = null);

public sealed record DeathRegisteredResponse(string NationalCode, long Version);

public sealed record RegisterDeathCommand(RegisterDeathRequest Request) : ICommand<DeathRegisteredResponse>, IValidatable
{
    public void Validate(Validator validator) => ToDomain(validator);

    private List<string> Causes(Validator v)
    {
        if (Request.CauseIcd10 is not null && Request.CausesIcd10 is { Count: > 0 })
            v.Fail("causesIcd10", "death.causesTwice", "Give causeIcd10 or causesIcd10, not both.");
        if (Request.CausesIcd10 is { Count: > 6 }) v.Fail("causesIcd10", "field.tooMany", "At most 6 causes of death.");
        var given = Request.CausesIcd10 ?? (Request.CauseIcd10 is null ? [] : [Request.CauseIcd10]);
        return given.Select((c, i) => v.OptionalIcd10(Request.CausesIcd10 is null ? "causeIcd10" : $"causesIcd10[{i}]", c)).OfType<string>().ToList();
    }

    public RegisterDeath ToDomain(Validator v) => new(
        v.NationalCode("nationalCode", Request.NationalCode),
        v.Date("date", Request.Date),
        v.Place("place", Request.Place),
        Causes(v),
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
