using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Api;

/// <summary>
/// Turns every refusal and failure into RFC 9457 problem details with a stable code (<see cref="Problems"/>). Bad input is a
/// 4xx; a database that cannot be reached is 503 with Retry-After; only a fault of the registry itself is 500.
/// </summary>
public sealed class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> logger) : IExceptionHandler
{
    /// <summary>Seconds a client should wait before sending a request again after a 503.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!ConsoleAuth.IsApi(http.Request))
        {
            // The console's error page says what happened (it classifies the failure the same way); only a fault is logged here.
            if (Refusal.Of(exception).IsServerFault) logger.LogError(exception, "Unhandled error");
            return false;
        }
        var refusal = Refusal.Of(exception);
        if (refusal.IsServerFault) logger.LogError(exception, "Unhandled error");
        else if (refusal.Status == StatusCodes.Status503ServiceUnavailable) logger.LogWarning("Answered 503 {Code}: {Error}", refusal.Code, Commit.Unwrap(exception).Message);
        if (refusal.Status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        http.Response.StatusCode = refusal.Status;
        var problem = Problems.Create(refusal.Status, refusal.Code, refusal.Detail, refusal.Extensions());
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception })) return true;
        // No writer would take it (the caller accepts no JSON): answered anyway, since a refusal must not become a server error.
        await ProblemJsonWriter.WriteAsync(http, problem);
        return true;
    }
}

/// <summary>
/// Writes a problem as <c>application/problem+json</c> whatever the request's Accept header says: the framework's own writer
/// declines a caller that accepts only, say, XML or HTML, and a refusal would then lose its body (or turn into a server error).
/// Registered after the framework's writer, so it writes only what that one declines; the same completion applies.
/// </summary>
public sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(WriteAsync(context.HttpContext, context.ProblemDetails, customized: true));
    }

    /// <summary>Writes the problem, completing it first unless that is done.</summary>
    public static Task WriteAsync(HttpContext http, Microsoft.AspNetCore.Mvc.ProblemDetails problem, bool customized = false)
    {
        if (!customized) Problems.Complete(problem, http, http.RequestServices.GetRequiredService<RequestContext>().CorrelationId);
        http.Response.StatusCode = problem.Status ?? http.Response.StatusCode;
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return http.Response.WriteAsJsonAsync(problem, json, "application/problem+json");
    }
}
