using System.Text.Json;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
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
        var (status, code, detail, extensions) = Classify(exception);
        if (status >= 500 && status != StatusCodes.Status503ServiceUnavailable) logger.LogError(exception, "Unhandled error");
        else if (status == StatusCodes.Status503ServiceUnavailable) logger.LogWarning("Answered 503 {Code}: {Error}", code, Commit.Unwrap(exception).Message);
        if (status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http, ProblemDetails = Problems.Create(status, code, detail, extensions), Exception = exception,
        });
    }

    private static (int, string, string, Dictionary<string, object?>) Classify(Exception exception) => Commit.Unwrap(exception) switch
    {
        ValidationException v when v.Errors.All(e => e.Code == TextRules.InvalidTextCode) =>
            (400, TextRules.InvalidTextCode, "The request contains unacceptable text.", new() { ["errors"] = v.Errors }),
        ValidationException v => (400, "validation.failed", "The request has invalid fields.", new() { ["errors"] = v.Errors }),
        RuleViolationException r => (Problems.StatusOf(r.Violation.Kind), r.Violation.Code, r.Violation.Message, []),
        PreconditionFailedException p => (412, "precondition.failed", p.Message, new() { ["currentVersion"] = p.Actual }),
        IdempotencyKeyReusedException i => (422, "idempotency.keyReused", i.Message, []),
        ConcurrencyException or PostgresException { SqlState: ReadStreamsCheck.ChangedCode or PostgresErrorCodes.SerializationFailure } =>
            (409, "concurrency.conflict", "The record was changed by someone else at the same time; read it again and retry.", []),
        PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected } =>
            (409, "concurrency.conflict", "The write met another at the same time and was not recorded; send it again.", []),
        BadHttpRequestException { InnerException: InvalidTextException t } => (400, TextRules.InvalidTextCode, t.Message, new()
        {
            ["errors"] = new[] { new FieldError(FieldOf(t), TextRules.InvalidTextCode, t.Message) },
        }),
        BadHttpRequestException { InnerException: JsonException j } => (400, "request.malformed", "The body is not the JSON this endpoint reads.", new()
        {
            ["errors"] = new[] { new FieldError(FieldOf(j), "json.invalid", Shorten(j.Message)) },
        }),
        BadHttpRequestException b => (b.StatusCode is >= 400 and < 500 ? b.StatusCode : 400, CodeOf(b.StatusCode), b.Message, []),
        CommitOutcomeUnknownException u => (503, "database.outcomeUnknown", u.Message + " Send the request again with the same Idempotency-Key: it is recorded at most once.", []),
        DatabaseUnavailableException d => (503, "database.unavailable", d.Message, []),
        var e when Commit.IsConnectionFailure(e) || e is NpgsqlException { IsTransient: true } || IsPoolExhausted(e) =>
            (503, "database.unavailable", "The registry's database cannot be reached; nothing was recorded. Try again shortly.", []),
        _ => (500, "server.error", "An unexpected error occurred.", []),
    };

    private static string CodeOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "request.tooLarge",
        StatusCodes.Status415UnsupportedMediaType => "media.unsupported",
        _ => "request.malformed",
    };

    private static bool IsPoolExhausted(Exception e) => e is InvalidOperationException { InnerException: TimeoutException } || e is TimeoutException;

    /// <summary>The JSON path of the field a body error is about, in the registry's field notation (<c>$.evidence.kind</c> → <c>evidence.kind</c>).</summary>
    private static string FieldOf(JsonException e) => e.Path is { Length: > 0 } path ? path.TrimStart('$').TrimStart('.') : "";

    private static string Shorten(string message) => message.Length > 300 ? message[..300] : message;
}
