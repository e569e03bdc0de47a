using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Audit;

/// <summary>Seal an access-log entry until an instant, for a security investigation; a seal ending now lifts an earlier one.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SealAccessEntryRequest(string? Reason, string? Until)
{
    /// <summary>The longest a seal lasts; it may be renewed.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(5 * 366);

    public SealAccessEntryCommand Parse(long entryId, DateTimeOffset now, Validator v)
    {
        var reason = v.Text("reason", Reason, 1000);
        var until = now;
        if (Instants.TryParse(Until ?? "", out var parsed) is { } error) v.Fail("until", "seal.invalidUntil", $"until: {error}");
        else if (parsed < now.AddMinutes(-1) || parsed > now + MaxDuration)
            v.Fail("until", "seal.untilOutOfRange", "until is from now to five years ahead (now lifts the seal in force).");
        else until = parsed < now ? now : parsed;
        return new SealAccessEntryCommand(entryId, reason, until);
    }
}

public sealed record SealAccessEntryCommand(long EntryId, string Reason, DateTimeOffset Until) : ICommand<SealPlaced>;

public sealed record SealPlaced(long EntryId, string NationalCode, string Reason, DateTimeOffset Until, string SealedBy);

public sealed class SealAccessEntryHandler(IDocumentSession session, AccessLog log, RequestContext context) : ICommandHandler<SealAccessEntryCommand, SealPlaced>
{
    public async ValueTask<SealPlaced> Handle(SealAccessEntryCommand command, CancellationToken cancellationToken)
    {
        var code = await log.NationalCodeOfAsync(command.EntryId, cancellationToken) ?? throw new RuleViolationException(
            new RuleViolation("accessLog.entryNotFound", $"The access log has no entry {command.EntryId}.", ViolationKind.NotFound));
        log.QueueSeal(session, command.EntryId, context.UserId, command.Reason, command.Until, context.CorrelationId);
        return new SealPlaced(command.EntryId, code, command.Reason, command.Until, context.UserId);
    }
}

/// <summary>The seals placed on the access log, newest first.</summary>
public sealed record ListSealsQuery(Paging Paging) : IQuery<Listing<AccessSeal>>;

public sealed class ListSealsHandler(AccessLog log) : IQueryHandler<ListSealsQuery, Listing<AccessSeal>>
{
    public async ValueTask<Listing<AccessSeal>> Handle(ListSealsQuery query, CancellationToken cancellationToken)
    {
        var (seals, total) = await log.SealsAsync(query.Paging, cancellationToken);
        return new Listing<AccessSeal>(seals, query.Paging.Page, query.Paging.PageSize, total);
    }
}

public static class SealAccessEntryEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/access-log/{entryId:long}/seals", async Task<Created<SealPlaced>> (long entryId, SealAccessEntryRequest? request, IMediator mediator,
                TimeProvider clock, CancellationToken ct) =>
            {
                var placed = await mediator.Send(Validator.Parse(request, (r, v) => r.Parse(entryId, clock.GetUtcNow(), v)), ct);
                return TypedResults.Created($"/api/access-log?nationalCode={placed.NationalCode}", placed);
            })
            .RequireAuthorization(Roles.AuditPolicy)
            .Writes()
            .WithName("SealAccessEntry")
            .WithSummary("Seal an access-log entry that belongs to a security investigation, with a reason, until an instant: the person it is about " +
                "sees it once the seal ends. A later seal extends the seal in force, or lifts it (until = now). Every seal is kept and shown to auditors.");

        api.MapGet("/access-log/seals", async Task<Results<Ok<Listing<AccessSeal>>, ProblemHttpResult>> (int? page, int? pageSize, IMediator mediator,
                CancellationToken ct) =>
            {
                if (Paging.TryParse(page, pageSize, out var paging) is { } error) return Problems.Invalid("accessLog.invalidFilter", error);
                return TypedResults.Ok(await mediator.Send(new ListSealsQuery(paging), ct));
            })
            .RequireAuthorization(Roles.AuditPolicy)
            .ConditionalRead()
            .WithName("ListAccessSeals")
            .WithSummary("Every seal placed on the access log, newest first: which entry, by whom, when, why, until when.");
    }
}
