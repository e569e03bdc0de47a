using Marten;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Marriages;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Marriages;

public sealed record RegisterMarriageRequest(
    string? HusbandNationalCode, string? WifeNationalCode, string? Date, string? Kind, string? TermEnds,
    string? CourtAuthorisationReference, string? OfficeCode, string? CourtPermissionReference = null);

public sealed record MarriageRegisteredResponse(Guid MarriageId);

public sealed record RegisterMarriageCommand(RegisterMarriageRequest Request) : ICommand<MarriageRegisteredResponse>, IValidatable
{
    public void Validate(Validator validator)
    {
        var command = ToDomain(validator);
        if (command.HusbandNationalCode == command.WifeNationalCode)
            validator.Fail("wifeNationalCode", "marriage.samePerson", "The husband and the wife cannot be the same person.");
        if (command.Kind == Vocabulary.Temporary && (command.TermEnds is not { } ends || ends <= command.Date))
            validator.Fail("termEnds", "marriage.termRequired", "A temporary marriage needs termEnds, after the date of marriage.");
        if (command.Kind == Vocabulary.Permanent && command.TermEnds is not null)
            validator.Fail("termEnds", "marriage.termNotAllowed", "A permanent marriage has no term.");
    }

    public RegisterMarriage ToDomain(Validator v) => new(
        Guid.Empty,
        v.NationalCode("husbandNationalCode", Request.HusbandNationalCode),
        v.NationalCode("wifeNationalCode", Request.WifeNationalCode),
        v.Date("date", Request.Date),
        v.OneOf("kind", Request.Kind, Vocabulary.MarriageKinds),
        v.OptionalDate("termEnds", Request.TermEnds),
        v.OptionalText("courtAuthorisationReference", Request.CourtAuthorisationReference, 200),
        v.Office("officeCode", Request.OfficeCode),
        v.OptionalText("courtPermissionReference", Request.CourtPermissionReference, 200));
}

public sealed class RegisterMarriageHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law)
    : ICommandHandler<RegisterMarriageCommand, MarriageRegisteredResponse>
{
    public async ValueTask<MarriageRegisteredResponse> Handle(RegisterMarriageCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator()) with { MarriageId = Guid.CreateVersion7() };
        context.EnsureOffice(command.OfficeCode);
        var spouses = await PersonStreams.FetchAsync(session, context, cancellationToken, command.HusbandNationalCode, command.WifeNationalCode);
        var decision = MarriageDecision.Decide(command, spouses[command.HusbandNationalCode], spouses[command.WifeNationalCode], clock.Today(), law);
        spouses.Append(session, decision);
        return new MarriageRegisteredResponse(command.MarriageId);
    }
}

public static class RegisterMarriageEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapRecord<RegisterMarriageRequest, MarriageRegisteredResponse>("/api/marriages", r => new RegisterMarriageCommand(r),
            r => $"/api/marriages/{r.MarriageId}", "RegisterMarriage", "Marriages", "Register a marriage on both spouses' records.");
}
