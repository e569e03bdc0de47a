using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Corrections;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Corrections;

public sealed record CorrectionDecidedResponse(Guid CorrectionId, string NationalCode, string Status, long Version);

/// <summary>A supervisor approves (Reason null) or rejects (with a reason) a pending correction.</summary>
public sealed record DecideCorrectionCommand(Guid CorrectionId, bool Approve, string? Reason, string DecidedBy)
    : ICommand<CorrectionDecidedResponse>, IValidatable
{
    public void Validate(Validator validator)
    {
        if (!Approve) validator.Text("reason", Reason, 1000);
    }
}

public sealed class DecideCorrectionHandler(IDocumentSession session, RequestContext context)
    : ICommandHandler<DecideCorrectionCommand, CorrectionDecidedResponse>
{
    public async ValueTask<CorrectionDecidedResponse> Handle(DecideCorrectionCommand message, CancellationToken cancellationToken)
    {
        var correction = await session.LoadAsync<CorrectionCase>(message.CorrectionId, cancellationToken)
            ?? throw new RuleViolationException(new RuleViolation("correction.notFound", $"No correction {message.CorrectionId} exists.", ViolationKind.NotFound));
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, correction.NationalCode);
        var person = streams[correction.NationalCode]!;
        var decision = message.Approve
            ? CorrectionDecision.Decide(new ApproveCorrection(person.NationalCode, message.CorrectionId, message.DecidedBy), person)
            : CorrectionDecision.Decide(new RejectCorrection(person.NationalCode, message.CorrectionId, message.DecidedBy, PersianText.Normalize(message.Reason)), person);
        streams.Append(session, decision);
        return new CorrectionDecidedResponse(message.CorrectionId, person.NationalCode, message.Approve ? "approved" : "rejected",
            streams.VersionOf(person.NationalCode));
    }
}

public static class DecideCorrectionEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapChecker("/api/corrections/{id:guid}", "approve", (id, approve, reason, by) => new DecideCorrectionCommand(id, approve, reason, by),
            "Corrections",
            ("ApproveCorrection", "Approve a pending correction (a supervisor other than the requester)."),
            ("RejectCorrection", "Reject a pending correction with a reason (a supervisor other than the requester)."));
}
