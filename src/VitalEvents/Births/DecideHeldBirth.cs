using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Births;

public sealed record HeldBirthDecidedResponse(Guid HoldId, string Status, string? NationalCode);

/// <summary>A supervisor confirms a held birth as a new person (Reason null), or rejects it as a duplicate.</summary>
public sealed record DecideHeldBirthCommand(Guid HoldId, bool Confirm, string? Reason, string DecidedBy) : ICommand<HeldBirthDecidedResponse>, IValidatable
{
    public void Validate(Validator validator)
    {
        if (!Confirm) validator.Text("reason", Reason, 1000);
    }
}

public sealed class DecideHeldBirthHandler(IDocumentSession session, RequestContext context)
    : ICommandHandler<DecideHeldBirthCommand, HeldBirthDecidedResponse>
{
    public async ValueTask<HeldBirthDecidedResponse> Handle(DecideHeldBirthCommand message, CancellationToken cancellationToken)
    {
        var hold = await session.LoadAsync<BirthHold>(message.HoldId, cancellationToken)
            ?? throw new RuleViolationException(new RuleViolation("birthHold.notFound", $"No held birth {message.HoldId} exists.", ViolationKind.NotFound));
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, hold.MotherNationalCode, hold.FatherNationalCode);
        var mother = streams[hold.MotherNationalCode]!;
        if (!message.Confirm)
        {
            streams.Append(session, BirthDecision.Reject(message.HoldId, mother, message.DecidedBy, PersianText.Normalize(message.Reason)));
            return new HeldBirthDecidedResponse(message.HoldId, "rejected", null);
        }
        if (mother.HeldBirths.FirstOrDefault(h => h.HoldId == message.HoldId) is not { } held)
            throw new RuleViolationException(new RuleViolation("birthHold.notPending", $"Held birth {message.HoldId} is not waiting for a decision."));
        var nationalCode = await NationalCodeIssuer.IssueAsync(session, held.Birth.OfficeCode, cancellationToken);
        streams.Append(session, BirthDecision.Confirm(message.HoldId, nationalCode, mother, streams[hold.FatherNationalCode], message.DecidedBy));
        return new HeldBirthDecidedResponse(message.HoldId, "confirmed", nationalCode);
    }
}

public static class DecideHeldBirthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapChecker("/api/births/held/{id:guid}", "confirm", (id, confirm, reason, by) => new DecideHeldBirthCommand(id, confirm, reason, by), "Births",
            ("ConfirmHeldBirth", "Confirm a held birth as a new person: the child is registered and a national code issued."),
            ("RejectHeldBirth", "Reject a held birth as a duplicate of a registered child, with a reason."));

        app.MapGet("/api/births/held", async (IQuerySession session, string? status, CancellationToken ct) =>
            {
                var wanted = status ?? "pending";
                return await session.Query<BirthHold>().Where(h => h.Status == wanted).OrderBy(h => h.HeldAt).Take(200).ToListAsync(ct);
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .WithName("ListHeldBirths").WithTags("Births")
            .WithSummary("Births held as suspected duplicates, by status (pending by default), oldest first.");

        app.MapGet("/api/births/held/{holdId:guid}", async (Guid holdId, IQuerySession session, CancellationToken ct) =>
                await session.LoadAsync<BirthHold>(holdId, ct) is { } hold
                    ? Results.Ok(hold)
                    : Problems.Of(StatusCodes.Status404NotFound, "birthHold.notFound", $"No held birth {holdId} exists."))
            .RequireAuthorization(Roles.ReadPolicy)
            .WithName("GetHeldBirth").WithTags("Births");
    }
}
