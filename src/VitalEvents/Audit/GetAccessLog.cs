using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Audit;

/// <summary>One page of the access log, newest first.</summary>
public sealed record AccessLogPage(IReadOnlyList<AccessEntry> Entries, int Page, int PageSize, long Total);

public static class GetAccessLogEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/access-log", async (string? nationalCode, string? user, string? from, string? to, string? page, string? pageSize,
                AccessLog log, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(nationalCode) && string.IsNullOrWhiteSpace(user))
                    return Problems.Of(StatusCodes.Status400BadRequest, "accessLog.filterRequired",
                        "Name the person (nationalCode) or the user (user) whose reads you want to see.");
                string? code = null;
                if (!string.IsNullOrWhiteSpace(nationalCode) && NationalCode.Validate(nationalCode, out code) is { } codeError)
                    return InvalidFilter($"nationalCode: '{nationalCode}' is not a valid national code ({codeError}).");
                if (Period.TryParse(from, to, out var period) is { } periodError) return InvalidFilter(periodError);
                if (Paging.TryParse(page, pageSize, out var paging) is { } pagingError) return InvalidFilter(pagingError);

                var query = new AccessQuery(code, string.IsNullOrWhiteSpace(user) ? null : user.Trim(), period, paging);
                var (entries, total) = await log.FindAsync(query, ct);
                return Results.Ok(new AccessLogPage(entries, paging.Page, paging.PageSize, total));
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.Auditor))
            .WithName("GetAccessLog").WithTags("Audit")
            .WithSummary("Who read a person's data (nationalCode), or what a user read (user), newest first; auditors only. Reading it is not itself recorded.")
            .Produces<AccessLogPage>();

    private static IResult InvalidFilter(string detail) => Problems.Of(StatusCodes.Status400BadRequest, "accessLog.invalidFilter", detail);
}
