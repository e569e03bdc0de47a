using JasperFx;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Api;

/// <summary>Turns every refusal into RFC 9457 problem details with a stable code.</summary>
public sealed class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail, extensions) = Classify(exception);
        if (status == StatusCodes.Status500InternalServerError) logger.LogError(exception, "Unhandled error");
        http.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status, Title = code, Detail = detail, Type = $"https://vitalevents.ir/problems/{code}",
        };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static (int, string, string, Dictionary<string, object?>) Classify(Exception exception) => Unwrap(exception) switch
    {
        ValidationException v => (400, "validation.failed", "The request has invalid fields.", new() { ["errors"] = v.Errors }),
        RuleViolationException r => (StatusOf(r.Violation.Kind), r.Violation.Code, r.Violation.Message, []),
        PreconditionFailedException p => (412, "precondition.failed", p.Message, new() { ["currentVersion"] = p.Actual }),
        IdempotencyKeyReusedException i => (409, "idempotency.keyReused", i.Message, []),
        ConcurrencyException or ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException =>
            (409, "concurrency.conflict", "The record was changed by someone else at the same time; read it again and retry.", []),
        BadHttpRequestException b => (400, "request.malformed", b.Message, []),
        _ => (500, "server.error", "An unexpected error occurred; nothing was recorded.", []),
    };

    private static Exception Unwrap(Exception e) =>
        e is MartenCommandException { InnerException: { } inner } ? Unwrap(inner) : e is AggregateException { InnerException: { } agg } ? Unwrap(agg) : e;

    private static int StatusOf(ViolationKind kind) => kind switch
    {
        ViolationKind.Invalid => 400,
        ViolationKind.NotFound => 404,
        ViolationKind.Forbidden => 403,
        _ => 409,
    };
}
