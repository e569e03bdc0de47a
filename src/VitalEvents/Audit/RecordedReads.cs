using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Audit;

/// <summary>Puts the reads of an endpoint on the access log.</summary>
public static class RecordedReads
{
    public const string PurposeHeader = "X-Purpose";

    /// <summary>
    /// Records every answer of this endpoint about a valid national code (found or not) in the access log, with who asked, why
    /// (X-Purpose) and the status, before the answer is sent: if the record cannot be written, the read fails.
    /// A malformed national code names nobody and is not recorded.
    /// </summary>
    public static RouteHandlerBuilder RecordsReadsOf(this RouteHandlerBuilder endpoint, string resource) =>
        endpoint.AddEndpointFilter(async (invocation, next) =>
        {
            var answer = await next(invocation);
            var http = invocation.HttpContext;
            if (NationalCode.Validate(http.Request.RouteValues["nationalCode"] as string, out var code) is null)
                await http.RequestServices.GetRequiredService<AccessLog>().RecordAsync(http.RequestServices.GetRequiredService<RequestContext>(),
                    resource, code, http.Request.Headers[PurposeHeader].FirstOrDefault(), http.Request.QueryString.Value is { Length: > 0 } query ? query : null,
                    (answer as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK, http.RequestAborted);
            return answer;
        });
}
