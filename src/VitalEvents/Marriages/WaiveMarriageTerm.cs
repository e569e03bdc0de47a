using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain.Marriages;
using VitalEvents.Pipeline;

namespace VitalEvents.Marriages;

public sealed record WaiveMarriageTermRequest(string? Date, string? WaitingPeriodEnds, string? OfficeCode);

public sealed record MarriageChangedResponse(Guid MarriageId, string HusbandNationalCode, string WifeNationalCode, string Status);

public sealed record WaiveMarriageTermCommand(Guid MarriageId, WaiveMarriageTermRequest Request) : ICommand<MarriageChangedResponse>, IValidatable
{
    public void Validate(Validator validator) => ToDomain(validator);

    public WaiveMarriageTerm ToDomain(Validator v) => new(MarriageId, v.Date("date", Request.Date),
        v.OptionalDate("waitingPeriodEnds", Request.WaitingPeriodEnds), v.Office("officeCode", Request.OfficeCode));
}

public sealed class WaiveMarriageTermHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<WaiveMarriageTermCommand, MarriageChangedResponse>
{
    public async ValueTask<MarriageChangedResponse> Handle(WaiveMarriageTermCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator());
        return await MarriageRecord.ChangeAsync(session, context, command.MarriageId, command.OfficeCode,
            (husband, wife) => MarriageChangeDecision.Decide(command, husband, wife, clock.Today()), "termWaived", cancellationToken);
    }
}

public static class WaiveMarriageTermEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/marriages/{marriageId:guid}/term-waiver",
                (Guid marriageId, WaiveMarriageTermRequest request, IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new WaiveMarriageTermCommand(marriageId, request), ct))
            .RequireAuthorization(Roles.RecordPolicy)
            .WithName("WaiveMarriageTerm").WithTags("Marriages")
            .WithSummary("The husband waives the remaining term of a temporary marriage (بذل مدت); it ends on both records.");
}
