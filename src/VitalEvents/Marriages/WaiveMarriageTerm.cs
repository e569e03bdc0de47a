using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain.Marriages;
using VitalEvents.Pipeline;

namespace VitalEvents.Marriages;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WaiveMarriageTermRequest(string? Date, string? OfficeCode, string? WaitingPeriodEnds = null)
{
    public WaiveMarriageTerm Parse(Guid marriageId, Validator v) =>
        new(marriageId, v.Date("date", Date), v.OptionalDate("waitingPeriodEnds", WaitingPeriodEnds), v.Office("officeCode", OfficeCode));
}

public sealed record WaiveMarriageTermCommand(WaiveMarriageTerm Waiver) : ICommand<MarriageChangedResponse>;

public sealed class WaiveMarriageTermHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<WaiveMarriageTermCommand, MarriageChangedResponse>
{
    public async ValueTask<MarriageChangedResponse> Handle(WaiveMarriageTermCommand message, CancellationToken cancellationToken) =>
        await MarriageRecord.ChangeAsync(session, context, message.Waiver.MarriageId, message.Waiver.OfficeCode,
            (husband, wife) => MarriageChangeDecision.Decide(message.Waiver, husband, wife, clock.Today()), MarriageChangedResponse.TermWaived,
            cancellationToken);
}

public static class WaiveMarriageTermEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapMarriageChange<WaiveMarriageTermRequest>("term-waiver", (id, r, v) => new WaiveMarriageTermCommand(r.Parse(id, v)),
            "WaiveMarriageTerm", "The husband waives the remaining term of a temporary marriage (بذل مدت); it ends on both records.");
}
