using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Audit;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Verifications;

namespace VitalEvents.Citizens;

/// <summary>
/// One read of the citizen's record as they see it: who read it — themselves, an office (with the role: registrar, supervisor,
/// auditor) or an agency (by name) — why, when and what. The official's own user id is not shown; an auditor can resolve it.
/// </summary>
public sealed record MyAccessEntry(
    long Id, DateTimeOffset At, [property: OneOf(typeof(MyAccessEntry), nameof(MyAccessEntry.Readers))] string Reader, IReadOnlyList<string> Roles, string? OfficeCode,
    string? Agency, string? AgencyName, string? AgencyNameEnglish, string? Purpose, string Resource, string? Detail, bool Found)
{
    public const string Self = "self", Office = "office", AgencyReader = "agency", Registry = "registry";
    public static readonly string[] Readers = [Self, Office, AgencyReader, Registry];
}

/// <summary>Who read my record, newest first; entries under an auditor's seal in force are left out until the seal ends.</summary>
public sealed record GetMyAccessLogQuery(string NationalCode, Paging Paging) : IQuery<Listing<MyAccessEntry>>;

public sealed class GetMyAccessLogHandler(AccessLog log, IQuerySession session) : IQueryHandler<GetMyAccessLogQuery, Listing<MyAccessEntry>>
{
    public async ValueTask<Listing<MyAccessEntry>> Handle(GetMyAccessLogQuery query, CancellationToken cancellationToken)
    {
        var (entries, total) = await log.AboutAsync(query.NationalCode, query.Paging, cancellationToken);
        var agencyIds = entries.Select(e => e.Agency).OfType<string>().Distinct().ToArray();
        var agencies = agencyIds.Length == 0
            ? new Dictionary<string, Agency>()
            : (await session.LoadManyAsync<Agency>(cancellationToken, agencyIds)).ToDictionary(a => a.Id);
        var items = entries.Select(e =>
        {
            var agency = e.Agency is null ? null : agencies.GetValueOrDefault(e.Agency);
            var reader = e.Self ? MyAccessEntry.Self : e.Agency is not null ? MyAccessEntry.AgencyReader : e.OfficeCode is not null ? MyAccessEntry.Office : MyAccessEntry.Registry;
            return new MyAccessEntry(e.Id, e.At, reader, e.Roles, e.OfficeCode, e.Agency, agency?.Name, agency?.NameEnglish, e.Purpose, e.Resource, e.Query,
                e.Status == 200);
        }).ToList();
        return new Listing<MyAccessEntry>(items, query.Paging.Page, query.Paging.PageSize, total);
    }
}

public static class MyAccessLogEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/me/access-log", async Task<Results<Ok<Listing<MyAccessEntry>>, ProblemHttpResult>> (int? page, int? pageSize, IMediator mediator,
                RequestContext context, CancellationToken ct) =>
            {
                if (Paging.TryParse(page, pageSize, out var paging) is { } error) return Problems.Invalid("accessLog.invalidFilter", error);
                return TypedResults.Ok(await mediator.Send(new GetMyAccessLogQuery(Me.Code(context), paging), ct));
            })
            .RequireAuthorization(Roles.CitizenPolicy)
            .ConditionalRead()
            .WithName("GetMyAccessLog")
            .WithSummary("Who read your record, newest first: the office or agency, their role, why, when, and what they read (every read and every " +
                "identity verification is recorded before its answer leaves). An entry an auditor sealed for a security investigation appears when the seal ends.");
}
