using Marten;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Divorces;
using VitalEvents.Marriages;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Divorces;

public sealed record RegisterDivorceRequest(string? MarriageId, string? Date, string? Kind, string? WaitingPeriodEnds, string? OfficeCode);

public sealed record DivorceRegisteredResponse(Guid MarriageId, string HusbandNationalCode, string WifeNationalCode);

public sealed record RegisterDivorceCommand(RegisterDivorceRequest Request) : ICommand<DivorceRegisteredResponse>, IValidatable
{
    public void Validate(Validator validator)
    {
        var command = ToDomain(validator);
        if (command.Kind == Vocabulary.Revocable && (command.WaitingPeriodEnds is not { } ends || ends <= command.Date))
            validator.Fail("waitingPeriodEnds", "divorce.waitingPeriodRequired", "A revocable divorce needs waitingPeriodEnds, after the date of divorce.");
    }

    public RegisterDivorce ToDomain(Validator v) => new(
        v.Id("marriageId", Request.MarriageId),
        v.Date("date", Request.Date),
        v.OneOf("kind", Request.Kind, Vocabulary.DivorceKinds),
        v.OptionalDate("waitingPeriodEnds", Request.WaitingPeriodEnds),
        v.Office("officeCode", Request.OfficeCode));
}

public sealed class RegisterDivorceHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<RegisterDivorceCommand, DivorceRegisteredResponse>
{
    public async ValueTask<DivorceRegisteredResponse> Handle(RegisterDivorceCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator());
        context.EnsureOffice(command.OfficeCode);
        var (marriage, spouses) = await MarriageRecord.FetchAsync(session, context, command.MarriageId, cancellationToken);
        var decision = DivorceDecision.Decide(command, spouses[marriage.HusbandNationalCode]!, spouses[marriage.WifeNationalCode]!, clock.Today());
        spouses.Append(session, decision);
        return new DivorceRegisteredResponse(command.MarriageId, marriage.HusbandNationalCode, marriage.WifeNationalCode);
    }
}

public static class RegisterDivorceEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapRecord<RegisterDivorceRequest, DivorceRegisteredResponse>("/api/divorces", r => new RegisterDivorceCommand(r),
            r => $"/api/marriages/{r.MarriageId}", "RegisterDivorce", "Divorces", "Register the divorce that ends a marriage, on both spouses' records.");
}
