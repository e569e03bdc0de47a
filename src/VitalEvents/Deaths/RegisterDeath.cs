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

/// <remarks>Causes: <c>causesIcd10</c> (underlying cause first), or a single <c>causeIcd10</c>.</remarks>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterDeathRequest(string? NationalCode, string? Date, PlaceInput? Place, string? OfficeCode, string? CauseIcd10 = null,
    IReadOnlyList<string>? CausesIcd10 = null, string? Certifier = null)
{
    public const int MaxCauses = 6;

    public RegisterDeath Parse(Validator v) => new(
        v.NationalCode("nationalCode", NationalCode),
        v.Date("date", Date),
        v.Place("place", Place),
        Causes(v),
        v.OptionalText("certifier", Certifier, 200),
        v.Office("officeCode", OfficeCode));

    private List<string> Causes(Validator v)
    {
        if (CauseIcd10 is not null && CausesIcd10 is { Count: > 0 })
            v.Fail("causesIcd10", "death.causesTwice", "Give causeIcd10 or causesIcd10, not both.");
        if (CausesIcd10 is { Count: > MaxCauses }) v.Fail("causesIcd10", "field.tooMany", $"At most {MaxCauses} causes of death.");
        var given = CausesIcd10 ?? (CauseIcd10 is null ? [] : [CauseIcd10]);
        return given.Take(MaxCauses).Select((c, i) => v.OptionalIcd10(CausesIcd10 is null ? "causeIcd10" : $"causesIcd10[{i}]", c))
            .OfType<string>().ToList();
    }
}

public sealed record DeathRegisteredResponse(string NationalCode, long Version);

public sealed record RegisterDeathCommand(RegisterDeath Death) : ICommand<DeathRegisteredResponse>;

public sealed class RegisterDeathHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law)
    : ICommandHandler<RegisterDeathCommand, DeathRegisteredResponse>
{
    public async ValueTask<DeathRegisteredResponse> Handle(RegisterDeathCommand message, CancellationToken cancellationToken)
    {
        var death = message.Death;
        context.EnsureOffice(death.OfficeCode);
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, death.NationalCode);
        var spouses = streams[death.NationalCode]?.Marriages.Select(m => m.SpouseNationalCode).ToArray() ?? [];
        await streams.IncludeAsync(session, cancellationToken, spouses);
        streams.Append(session, DeathDecision.Decide(death, streams[death.NationalCode], clock.Today(), law));
        return new DeathRegisteredResponse(death.NationalCode, streams.VersionOf(death.NationalCode));
    }
}

public static class RegisterDeathEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/deaths", async Task<Created<DeathRegisteredResponse>> (RegisterDeathRequest? request, IMediator mediator, CancellationToken ct) =>
            {
                var registered = await mediator.Send(new RegisterDeathCommand(Validator.Parse(request, (r, v) => r.Parse(v))), ct);
                return TypedResults.Created($"/api/persons/{registered.NationalCode}", registered);
            })
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes(ifMatch: true)
            .WithName("RegisterDeath")
            .WithSummary("Register a death; a surviving spouse's marriage ends by it. Honours If-Match on the deceased's record.");
}
