using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Audit;

/// <summary>One page of the access log, newest first.</summary>
public sealed record AccessLogPage(IReadOnlyList<AccessEntry> Entries, int Page, int PageSize, long Total);

/// <summary>Who read a person's data, or what a user read. Reading the access log is not itself recorded.</summary>
public sealed record GetAccessLogQuery(AccessQuery Filter) : IQuery<AccessLogPage>;

public sealed class GetAccessLogHandler(AccessLog log) : IQueryHandler<GetAccessLogQuery, AccessLogPage>
{
    public async ValueTask<AccessLogPage> Handle(GetAccessLogQuery query, CancellationToken cancellationToken)
    {
        var (entries, total) = await log.FindAsync(query.Filter, cancellationToken);
        return new AccessLogPage(entries, query.Filter.Paging.Page, query.Filter.Paging.PageSize, total);
    }
}

public static class GetAccessLogEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/access-log", async Task<Results<Ok<AccessLogPage>, ProblemHttpResult>> (string? nationalCode, string? user, string? from, string? to,
                int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(nationalCode) && string.IsNullOrWhiteSpace(user))
                    return Problems.Invalid("accessLog.filterRequired", "Name the person (nationalCode) or the user (user) whose reads you want to see.");
                string? code = null;
                if (!string.IsNullOrWhiteSpace(nationalCode) && NationalCode.Validate(nationalCode, out code) is { } codeError)
                    return InvalidFilter($"nationalCode is not a valid national code ({codeError}).");
                if (user?.Length > 200) return InvalidFilter("user is at most 200 characters.");
                if (Period.TryParse(from, to, out var period) is { } periodError) return InvalidFilter(periodError);
                if (Paging.TryParse(page, pageSize, out var paging) is { } pagingError) return InvalidFilter(pagingError);
                var filter = new AccessQuery(code, string.IsNullOrWhiteSpace(user) ? null : user.Trim(), period, paging);
                return TypedResults.Ok(await mediator.Send(new GetAccessLogQuery(filter), ct));
            })
            .RequireAuthorization(Roles.AuditPolicy)
            .ConditionalRead()
            .WithName("GetAccessLog")
            .WithSummary("Who read a person's data (nationalCode), or what a user read (user), newest first; auditors only. Reading it is not itself recorded.");

    private static ProblemHttpResult InvalidFilter(string detail) => Problems.Invalid("accessLog.invalidFilter", detail);
}
