using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Corrections;

/// <summary>Corrections by status, optionally of one person or one office, oldest first, one page.</summary>
public sealed record ListCorrectionsQuery(string Status, string? NationalCode, string? OfficeCode, Paging Paging) : IQuery<Listing<CorrectionCase>>;

public sealed class ListCorrectionsHandler(IQuerySession session) : IQueryHandler<ListCorrectionsQuery, Listing<CorrectionCase>>
{
    public async ValueTask<Listing<CorrectionCase>> Handle(ListCorrectionsQuery query, CancellationToken cancellationToken)
    {
        var matching = session.Query<CorrectionCase>().Where(c => c.Status == query.Status);
        if (query.NationalCode is { } code) matching = matching.Where(c => c.NationalCode == code);
        if (query.OfficeCode is { } office) matching = matching.Where(c => c.OfficeCode == office);
        return await matching.PageAsync(q => q.OrderBy(c => c.RequestedAt).ThenBy(c => c.Id), query.Paging, cancellationToken);
    }
}

public sealed record GetCorrectionQuery(Guid CorrectionId) : IQuery<CorrectionCase?>;

public sealed class GetCorrectionHandler(IQuerySession session) : IQueryHandler<GetCorrectionQuery, CorrectionCase?>
{
    public async ValueTask<CorrectionCase?> Handle(GetCorrectionQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<CorrectionCase>(query.CorrectionId, cancellationToken);
}

public static class ListCorrectionsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/corrections", async Task<Results<Ok<Listing<CorrectionCase>>, ProblemHttpResult>> (
                [OneOf(typeof(CorrectionCase), nameof(CorrectionCase.Statuses))] string? status, string? nationalCode, string? office, int? page,
                int? pageSize, IMediator mediator, CancellationToken ct) =>
            {
                if (QueueFilter.TryParse(status, CorrectionCase.Statuses, CorrectionCase.Pending, office, nationalCode, page, pageSize, out var filter) is { } error)
                    return Invalid(error);
                return TypedResults.Ok(await mediator.Send(new ListCorrectionsQuery(filter.Status, filter.NationalCode, filter.OfficeCode, filter.Paging), ct));
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .ConditionalRead()
            .WithName("ListCorrections")
            .WithSummary("Corrections by status (pending by default), of one person or office, oldest first, paged: the supervisors' queue.");

        api.MapGet("/corrections/{correctionId:guid}", async Task<Results<Ok<CorrectionCase>, ProblemHttpResult>> (Guid correctionId, IMediator mediator,
                CancellationToken ct) =>
                Listings.Found(await mediator.Send(new GetCorrectionQuery(correctionId), ct), "correction.notFound", $"No correction {correctionId} exists."))
            .RequireAuthorization(Roles.ReadPolicy)
            .ConditionalRead()
            .WithName("GetCorrection")
            .WithSummary("One correction's case file and where it stands.");
    }

    private static ProblemHttpResult Invalid(string detail) => Problems.Invalid("corrections.invalidFilter", detail);
}
