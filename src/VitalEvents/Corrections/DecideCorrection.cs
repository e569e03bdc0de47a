using Marten;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Corrections;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Corrections;

public sealed record CorrectionDecidedResponse(Guid CorrectionId, string NationalCode,
    [property: OneOf(typeof(CorrectionCase), nameof(CorrectionCase.Statuses))] string Status, long Version);

/// <summary>A supervisor of the office that owns a pending correction approves it, or rejects it with a reason.</summary>
public sealed record DecideCorrectionCommand(CheckerDecision Decision) : ICommand<CorrectionDecidedResponse>;

public sealed class DecideCorrectionHandler(IDocumentSession session, RequestContext context)
    : ICommandHandler<DecideCorrectionCommand, CorrectionDecidedResponse>
{
    public async ValueTask<CorrectionDecidedResponse> Handle(DecideCorrectionCommand message, CancellationToken cancellationToken)
    {
        var (id, reason) = message.Decision;
        var correction = await session.LoadAsync<CorrectionCase>(id, cancellationToken)
            ?? throw new RuleViolationException(new RuleViolation("correction.notFound", $"No correction {id} exists.", ViolationKind.NotFound));
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, correction.NationalCode);
        var person = streams[correction.NationalCode]!;
        streams.Append(session, reason is null
            ? CorrectionDecision.Decide(new ApproveCorrection(person.NationalCode, id, context.UserId, context.ActingOffice), person)
            : CorrectionDecision.Decide(new RejectCorrection(person.NationalCode, id, context.UserId, reason, context.ActingOffice), person));
        return new CorrectionDecidedResponse(id, person.NationalCode, reason is null ? CorrectionCase.Approved : CorrectionCase.Rejected,
            streams.VersionOf(person.NationalCode));
    }
}

public static class DecideCorrectionEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapChecker("/corrections/{id:guid}", "approve", decision => new DecideCorrectionCommand(decision),
            ("ApproveCorrection", "Approve a pending correction (a supervisor of its office other than the requester)."),
            ("RejectCorrection", "Reject a pending correction with a reason (a supervisor of its office other than the requester)."));
}
