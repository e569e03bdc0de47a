using Marten;
using Mediator;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Births;

public sealed record HeldBirthDecidedResponse(Guid HoldId, [property: OneOf(typeof(BirthHold), nameof(BirthHold.Statuses))] string Status,
    string? NationalCode);

/// <summary>A supervisor of the office that holds the birth confirms it as a new person, or rejects it as a duplicate.</summary>
public sealed record DecideHeldBirthCommand(CheckerDecision Decision) : ICommand<HeldBirthDecidedResponse>;

public sealed class DecideHeldBirthHandler(IDocumentSession session, RequestContext context)
    : ICommandHandler<DecideHeldBirthCommand, HeldBirthDecidedResponse>
{
    public async ValueTask<HeldBirthDecidedResponse> Handle(DecideHeldBirthCommand message, CancellationToken cancellationToken)
    {
        var decision = message.Decision;
        var hold = await session.LoadAsync<BirthHold>(decision.Id, cancellationToken)
            ?? throw new RuleViolationException(new RuleViolation("birthHold.notFound", $"No held birth {decision.Id} exists.", ViolationKind.NotFound));
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, hold.MotherNationalCode, hold.FatherNationalCode);
        var mother = streams[hold.MotherNationalCode]!;
        if (decision.Reason is { } reason)
        {
            streams.Append(session, BirthDecision.Reject(decision.Id, mother, context.UserId, reason, context.ActingOffice));
            return new HeldBirthDecidedResponse(decision.Id, BirthHold.Rejected, null);
        }
        // A refused confirmation rolls back with its transaction, and the serial taken for it with it.
        var held = mother.HeldBirths.FirstOrDefault(h => h.HoldId == decision.Id);
        var nationalCode = held is null ? string.Empty : await NationalCodeIssuer.IssueAsync(session, held.Birth.OfficeCode, cancellationToken);
        streams.Append(session, BirthDecision.Confirm(decision.Id, nationalCode, mother, streams[hold.FatherNationalCode], context.UserId, context.ActingOffice));
        return new HeldBirthDecidedResponse(decision.Id, BirthHold.Confirmed, nationalCode);
    }
}

public static class DecideHeldBirthEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapChecker("/births/held/{id:guid}", "confirm", decision => new DecideHeldBirthCommand(decision),
            ("ConfirmHeldBirth", "Confirm a held birth as a new person: the child is registered and a national code issued."),
            ("RejectHeldBirth", "Reject a held birth as a duplicate of a registered child, with a reason."));
}
