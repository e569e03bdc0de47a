using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain.Marriages;
using VitalEvents.Pipeline;

namespace VitalEvents.Marriages;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ResumeMarriageRequest(string? Date, string? OfficeCode)
{
    public ResumeMarriage Parse(Guid marriageId, Validator v) => new(marriageId, v.Date("date", Date), v.Office("officeCode", OfficeCode));
}

public sealed record ResumeMarriageCommand(ResumeMarriage Return) : ICommand<MarriageChangedResponse>;

public sealed class ResumeMarriageHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<ResumeMarriageCommand, MarriageChangedResponse>
{
    public async ValueTask<MarriageChangedResponse> Handle(ResumeMarriageCommand message, CancellationToken cancellationToken) =>
        await MarriageRecord.ChangeAsync(session, context, message.Return.MarriageId, message.Return.OfficeCode,
            (husband, wife) => MarriageChangeDecision.Decide(message.Return, husband, wife, clock.Today()), MarriageChangedResponse.Resumed,
            cancellationToken);
}

public static class ResumeMarriageEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapMarriageChange<ResumeMarriageRequest>("return", (id, r, v) => new ResumeMarriageCommand(r.Parse(id, v)),
            "ResumeMarriage", "A return (رجوع) within the waiting period of a revocable divorce restores the marriage on both records.");
}
