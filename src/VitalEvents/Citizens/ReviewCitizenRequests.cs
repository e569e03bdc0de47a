using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Corrections;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Citizens;

/// <summary>Citizens' requests by status (filed by default: the registrars' queue), of one office or person, oldest first.</summary>
public sealed record ListCitizenRequestsQuery(QueueFilter Filter) : IQuery<Listing<CitizenRequest>>;

public sealed class ListCitizenRequestsHandler(IQuerySession session) : IQueryHandler<ListCitizenRequestsQuery, Listing<CitizenRequest>>
{
    public async ValueTask<Listing<CitizenRequest>> Handle(ListCitizenRequestsQuery query, CancellationToken cancellationToken)
    {
        var (status, office, code, paging) = query.Filter;
        var matching = session.Query<CitizenRequest>().Where(r => r.Status == status);
        if (office is not null) matching = matching.Where(r => r.OfficeCode == office);
        if (code is not null) matching = matching.Where(r => r.NationalCode == code);
        return await matching.PageAsync(q => q.OrderBy(r => r.FiledAt).ThenBy(r => r.Id), paging, cancellationToken);
    }
}

public sealed record GetCitizenRequestQuery(Guid RequestId) : IQuery<CitizenRequest?>;

public sealed class GetCitizenRequestHandler(IQuerySession session) : IQueryHandler<GetCitizenRequestQuery, CitizenRequest?>
{
    public async ValueTask<CitizenRequest?> Handle(GetCitizenRequestQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<CitizenRequest>(query.RequestId, cancellationToken);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DeclineCitizenRequestRequest(string? Reason);

/// <summary>A registrar of the reviewing office declines a citizen's request, saying why; the citizen sees the reason.</summary>
public sealed record DeclineCitizenRequestCommand(Guid RequestId, string Reason) : ICommand<MyRequest>;

public sealed class DeclineCitizenRequestHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<DeclineCitizenRequestCommand, MyRequest>
{
    public async ValueTask<MyRequest> Handle(DeclineCitizenRequestCommand command, CancellationToken cancellationToken)
    {
        var request = await session.LoadAsync<CitizenRequest>(command.RequestId, cancellationToken) ?? throw NotFound(command.RequestId);
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, request.NationalCode);
        streams.Append(session, CitizenRequestDecision.Decide(
            new DeclineCitizenRequest(request.NationalCode, request.Id, context.UserId, command.Reason, context.ActingOffice), streams[request.NationalCode]!));
        return MyRequest.Of(request) with { Status = CitizenRequest.Declined, ReviewedAt = clock.GetUtcNow(), Outcome = command.Reason };
    }

    public static RuleViolationException NotFound(Guid id) =>
        new(new RuleViolation("citizenRequest.notFound", $"No citizen's request {id} exists.", ViolationKind.NotFound));
}

public static class ReviewCitizenRequestsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/citizen-requests", async Task<Results<Ok<Listing<CitizenRequest>>, ProblemHttpResult>> (
                [OneOf(typeof(CitizenRequest), nameof(CitizenRequest.Statuses))] string? status, string? office, string? nationalCode, int? page,
                int? pageSize, IMediator mediator, CancellationToken ct) =>
            {
                if (QueueFilter.TryParse(status, CitizenRequest.Statuses, CitizenRequest.Filed, office, nationalCode, page, pageSize, out var filter) is { } error)
                    return Problems.Invalid("citizenRequest.invalidFilter", error);
                return TypedResults.Ok(await mediator.Send(new ListCitizenRequestsQuery(filter), ct));
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .ConditionalRead()
            .WithName("ListCitizenRequests")
            .WithSummary("Citizens' correction requests by status (filed by default: waiting for a registrar), of one office or person, oldest first, paged.");

        api.MapGet("/citizen-requests/{requestId:guid}", async Task<Results<Ok<CitizenRequest>, ProblemHttpResult>> (Guid requestId, IMediator mediator,
                CancellationToken ct) =>
                Listings.Found(await mediator.Send(new GetCitizenRequestQuery(requestId), ct), "citizenRequest.notFound", $"No citizen's request {requestId} exists."))
            .RequireAuthorization(Roles.ReadPolicy)
            .ConditionalRead()
            .WithName("GetCitizenRequest")
            .WithSummary("One citizen's request and where it stands. A registrar takes it up by requesting the correction with its citizenRequestId.");

        api.MapPost("/citizen-requests/{requestId:guid}/decline", async Task<Ok<MyRequest>> (Guid requestId, DeclineCitizenRequestRequest? request,
                IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(Validator.Parse(request, (r, v) => new DeclineCitizenRequestCommand(requestId, v.Text("reason", r.Reason, 1000))), ct)))
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes()
            .WithName("DeclineCitizenRequest")
            .WithSummary("Decline a citizen's request without taking it up (a registrar of the office that reviews it), saying why; the citizen sees the reason.");
    }
}
