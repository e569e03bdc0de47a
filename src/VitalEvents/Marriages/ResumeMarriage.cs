using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain.Marriages;
using VitalEvents.Pipeline;

namespace VitalEvents.Marriages;

public sealed record ResumeMarriageRequest(string? Date, string? OfficeCode);

public sealed record ResumeMarriageCommand(Guid MarriageId, ResumeMarriageRequest Request) : ICommand<MarriageChangedResponse>, IValidatable
{
    public void Validate(Validator validator) => ToDomain(validator);

    public ResumeMarriage ToDomain(Validator v) => new(MarriageId, v.Date("date", Request.Date), v.Office("officeCode", Request.OfficeCode));
}

public sealed class ResumeMarriageHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<ResumeMarriageCommand, MarriageChangedResponse>
{
    public async ValueTask<MarriageChangedResponse> Handle(ResumeMarriageCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator());
        return await MarriageRecord.ChangeAsync(session, context, command.MarriageId, command.OfficeCode,
            (husband, wife) => MarriageChangeDecision.Decide(command, husband, wife, clock.Today()), "resumed", cancellationToken);
    }
}

public static class ResumeMarriageEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/marriages/{marriageId:guid}/return",
                (Guid marriageId, ResumeMarriageRequest request, IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new ResumeMarriageCommand(marriageId, request), ct))
            .RequireAuthorization(Roles.RecordPolicy)
            .WithName("ResumeMarriage").WithTags("Marriages")
            .WithSummary("A return (رجوع) within the waiting period of a revocable divorce restores the marriage on both records.");
}
