using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Marriages;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Marriages;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterMarriageRequest(
    string? HusbandNationalCode, string? WifeNationalCode, string? Date, [property: OneOf(nameof(Vocabulary.MarriageKinds))] string? Kind,
    string? OfficeCode, string? TermEnds = null, string? CourtAuthorisationReference = null, string? CourtPermissionReference = null)
{
    public RegisterMarriage Parse(Validator v)
    {
        var marriage = new RegisterMarriage(
            Guid.Empty,
            v.NationalCode("husbandNationalCode", HusbandNationalCode),
            v.NationalCode("wifeNationalCode", WifeNationalCode),
            v.Date("date", Date),
            v.OneOf("kind", Kind, Vocabulary.MarriageKinds),
            v.OptionalDate("termEnds", TermEnds),
            v.OptionalText("courtAuthorisationReference", CourtAuthorisationReference, 200),
            v.Office("officeCode", OfficeCode),
            v.OptionalText("courtPermissionReference", CourtPermissionReference, 200));
        if (marriage.HusbandNationalCode == marriage.WifeNationalCode)
            v.Fail("wifeNationalCode", "marriage.samePerson", "The husband and the wife cannot be the same person.");
        if (marriage.Kind == Vocabulary.Temporary && (marriage.TermEnds is not { } ends || ends <= marriage.Date))
            v.Fail("termEnds", "marriage.termRequired", "A temporary marriage needs termEnds, after the date of marriage.");
        if (marriage.Kind == Vocabulary.Permanent && marriage.TermEnds is not null)
            v.Fail("termEnds", "marriage.termNotAllowed", "A permanent marriage has no term.");
        return marriage;
    }
}

public sealed record MarriageRegisteredResponse(Guid MarriageId);

public sealed record RegisterMarriageCommand(RegisterMarriage Marriage) : ICommand<MarriageRegisteredResponse>;

public sealed class RegisterMarriageHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law)
    : ICommandHandler<RegisterMarriageCommand, MarriageRegisteredResponse>
{
    public async ValueTask<MarriageRegisteredResponse> Handle(RegisterMarriageCommand message, CancellationToken cancellationToken)
    {
        // The id is made here, not when parsing: a retry under the same Idempotency-Key must carry the same command.
        var marriage = message.Marriage with { MarriageId = Guid.CreateVersion7() };
        context.EnsureOffice(marriage.OfficeCode);
        var spouses = await PersonStreams.FetchAsync(session, context, cancellationToken, marriage.HusbandNationalCode, marriage.WifeNationalCode);
        spouses.Append(session, MarriageDecision.Decide(marriage, spouses[marriage.HusbandNationalCode], spouses[marriage.WifeNationalCode],
            clock.Today(), law));
        return new MarriageRegisteredResponse(marriage.MarriageId);
    }
}

public static class RegisterMarriageEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/marriages", async Task<Created<MarriageRegisteredResponse>> (RegisterMarriageRequest? request, IMediator mediator, CancellationToken ct) =>
            {
                var registered = await mediator.Send(new RegisterMarriageCommand(Validator.Parse(request, (r, v) => r.Parse(v))), ct);
                return TypedResults.Created($"/api/marriages/{registered.MarriageId}", registered);
            })
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes()
            .WithName("RegisterMarriage")
            .WithSummary("Register a marriage, permanent or temporary, on both spouses' records.");
}
