using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Verifications;

/// <summary>An agency's new terms: every field is given, and replaces what was set.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ChangeAgencyRequest(string? Name, string? NameEnglish, string[]? Purposes, string[]? Answers, int? DailyQuota, int? RatePerSecond)
    : AgencyTermsRequest(Name, NameEnglish, Purposes, Answers, DailyQuota, RatePerSecond);

/// <summary>A change an admin makes to an agency: new terms, or a suspension or its end.</summary>
public sealed record ChangeAgencyCommand(string Id, string Action, AgencyTerms? Terms = null) : ICommand<AgencyView>
{
    public const string Change = AgencyChangeLog.Changed;
    public const string Suspend = AgencyChangeLog.Suspended;
    public const string Resume = AgencyChangeLog.Resumed;
}

public sealed class ChangeAgencyHandler(IDocumentSession session, AgencyChangeLog changes, RequestContext context, TimeProvider clock)
    : ICommandHandler<ChangeAgencyCommand, AgencyView>
{
    public async ValueTask<AgencyView> Handle(ChangeAgencyCommand command, CancellationToken cancellationToken)
    {
        var agency = await session.LoadAsync<Agency>(command.Id, cancellationToken) ?? throw AgencyLookup.NotFound(command.Id);
        if (context.IfMatch is { } ifMatch && !ifMatch.IsMetBy(agency.Revision)) throw new PreconditionFailedException($"Agency {agency.Id}", agency.Revision);
        var before = AgencyView.Of(agency);
        switch (command.Action)
        {
            case ChangeAgencyCommand.Change:
                command.Terms!.ApplyTo(agency);
                break;
            case ChangeAgencyCommand.Suspend:
                agency.Status = AgencyStatus.Suspended;
                break;
            default:
                agency.Status = AgencyStatus.Active;
                break;
        }
        if (AgencyChangeLog.Json(AgencyView.Of(agency)) == AgencyChangeLog.Json(before)) return before;
        agency.Revision++;
        agency.ChangedAt = clock.GetUtcNow();
        // Optimistic concurrency: a change committed meanwhile makes this one fail (409) instead of being overwritten.
        session.Update(agency);
        changes.Queue(session, command.Action, before, agency);
        return AgencyView.Of(agency);
    }
}

public static class AgencyLookup
{
    public static RuleViolationException NotFound(string id) =>
        new(new RuleViolation("agency.notFound", $"There is no agency {id}.", ViolationKind.NotFound));
}

/// <summary>Change an agency's terms (If-Match honoured), suspend it and resume it.</summary>
public static class ChangeAgencyEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPut("/agencies/{id}", async Task<Ok<AgencyView>> (string id, ChangeAgencyRequest? request, IMediator mediator, AgencyDirectory directory,
                CancellationToken ct) =>
            {
                var command = new ChangeAgencyCommand(id, ChangeAgencyCommand.Change, Validator.Parse(request, (r, v) => r.ParseTerms(v)));
                return await SendAsync(mediator, directory, command, ct);
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes(ifMatch: true)
            .WithName("ChangeAgency")
            .WithSummary("Replace an agency's names, purposes, answers, daily quota and rate; If-Match with its ETag guards against a change made meanwhile. Admins only; audited.");

        MapStatus(api, ChangeAgencyCommand.Suspend, "SuspendAgency", "Stop an agency's verifications at once (403 verification.agencySuspended) until it is resumed.");
        MapStatus(api, ChangeAgencyCommand.Resume, "ResumeAgency", "Let a suspended agency verify again.");
    }

    private static void MapStatus(IEndpointRouteBuilder api, string action, string name, string summary) =>
        api.MapPost($"/agencies/{{id}}/{(action == ChangeAgencyCommand.Suspend ? "suspend" : "resume")}",
                (string id, IMediator mediator, AgencyDirectory directory, CancellationToken ct) =>
                    SendAsync(mediator, directory, new ChangeAgencyCommand(id, action), ct))
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes(ifMatch: true)
            .WithName(name)
            .WithSummary(summary + " Admins only; audited.");

    private static async Task<Ok<AgencyView>> SendAsync(IMediator mediator, AgencyDirectory directory, ChangeAgencyCommand command, CancellationToken ct)
    {
        var changed = await mediator.Send(command, ct);
        await directory.ReloadAsync(ct);
        return TypedResults.Ok(changed);
    }
}
