using System.Text.Json;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Api;

/// <summary>
/// Turns every refusal and failure into RFC 9457 problem details with a stable code (<see cref="Problems"/>). Bad input is a
/// 4xx; a database that cannot be reached is 503 with Retry-After; only a fault of the registry itself is 500.
/// </summary>
public sealed partial class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> logger) : IExceptionHandler
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
        var problem = Problems.Create(status, code, detail, extensions);
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception })) return true;
        // No writer would take it (the caller accepts no JSON): answered anyway, since a refusal must not become a server error.
        await ProblemJsonWriter.WriteAsync(http, problem);
        return true;
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
            ["errors"] = new[] { BodyError(j) },
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

    /// <summary>
    /// What is wrong with the body, in the registry's words: a property it does not read (refused, so that a misspelt
    /// field is not silently dropped), a value of the wrong type, or JSON that does not parse; .NET's type names stay inside.
    /// </summary>
    private static FieldError BodyError(JsonException e)
    {
        var field = FieldOf(e);
        var at = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        if (e.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return new FieldError(field, "json.unknownProperty", $"{field} is not a property of this request{at}; see the OpenAPI document.");
        if (e.Message.Contains("could not be converted to", StringComparison.Ordinal))
            return new FieldError(field, "json.wrongType", $"{(field.Length == 0 ? "The body" : field)} is not of the JSON type it takes{at}.");
        var reason = e.Message.Split(" Path: ")[0].Split(" LineNumber: ")[0];
        return new FieldError(field, "json.invalid", Shorten(TypeName().Replace(reason, "a value")) + at);
    }

    private static string Shorten(string message) => message.Length > 300 ? message[..300] : message;

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:System|VitalEvents|Microsoft)\.[\w.`\[\],+]+")]
    private static partial System.Text.RegularExpressions.Regex TypeName();
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
