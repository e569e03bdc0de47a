using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain.Marriages;
using VitalEvents.Pipeline;

namespace VitalEvents.Marriages;

public sealed record AnnulMarriageRequest(string? Date, string? Grounds, string? DecisionReference, string? WaitingPeriodEnds, string? OfficeCode);

public sealed record AnnulMarriageCommand(Guid MarriageId, AnnulMarriageRequest Request) : ICommand<MarriageChangedResponse>, IValidatable
{
    public void Validate(Validator validator) => ToDomain(validator);

    public AnnulMarriage ToDomain(Validator v) => new(MarriageId, v.Date("date", Request.Date), v.Text("grounds", Request.Grounds, 1000),
        v.Text("decisionReference", Request.DecisionReference, 200), v.OptionalDate("waitingPeriodEnds", Request.WaitingPeriodEnds),
        v.Office("officeCode", Request.OfficeCode));
}

public sealed class AnnulMarriageHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<AnnulMarriageCommand, MarriageChangedResponse>
{
    public async ValueTask<MarriageChangedResponse> Handle(AnnulMarriageCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator());
        return await MarriageRecord.ChangeAsync(session, context, command.MarriageId, command.OfficeCode,
            (husband, wife) => MarriageChangeDecision.Decide(command, husband, wife, clock.Today()), "annulled", cancellationToken);
    }
}

public static class AnnulMarriageEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/marriages/{marriageId:guid}/annulment",
                (Guid marriageId, AnnulMarriageRequest request, IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new AnnulMarriageCommand(marriageId, request), ct))
            .RequireAuthorization(Roles.RecordPolicy)
            .WithName("AnnulMarriage").WithTags("Marriages")
            .WithSummary("Annul a marriage (فسخ) by a decision on lawful grounds; recorded on both records.");
}
