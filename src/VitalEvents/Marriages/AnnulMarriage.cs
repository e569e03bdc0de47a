using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain.Marriages;
using VitalEvents.Pipeline;

namespace VitalEvents.Marriages;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AnnulMarriageRequest(string? Date, string? Grounds, string? DecisionReference, string? OfficeCode, string? WaitingPeriodEnds = null)
{
    public AnnulMarriage Parse(Guid marriageId, Validator v) => new(marriageId, v.Date("date", Date), v.Text("grounds", Grounds, 1000),
        v.Text("decisionReference", DecisionReference, 200), v.OptionalDate("waitingPeriodEnds", WaitingPeriodEnds), v.Office("officeCode", OfficeCode));
}

public sealed record AnnulMarriageCommand(AnnulMarriage Annulment) : ICommand<MarriageChangedResponse>;

public sealed class AnnulMarriageHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<AnnulMarriageCommand, MarriageChangedResponse>
{
    public async ValueTask<MarriageChangedResponse> Handle(AnnulMarriageCommand message, CancellationToken cancellationToken) =>
        await MarriageRecord.ChangeAsync(session, context, message.Annulment.MarriageId, message.Annulment.OfficeCode,
            (husband, wife) => MarriageChangeDecision.Decide(message.Annulment, husband, wife, clock.Today()), MarriageChangedResponse.Annulled,
            cancellationToken);
}

public static class AnnulMarriageEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapMarriageChange<AnnulMarriageRequest>("annulment", (id, r, v) => new AnnulMarriageCommand(r.Parse(id, v)),
            "AnnulMarriage", "Annul a marriage (فسخ) by a decision on lawful grounds; recorded on both records.");
}
