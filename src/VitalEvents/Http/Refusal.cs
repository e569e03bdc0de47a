using System.Text.Json;
using JasperFx;
using Npgsql;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Http;

/// <summary>
/// What a failed command or query means for whoever asked (the API's problem details, the console's messages): a status, a
/// stable code, an explanation, the fields at fault. Bad input is a 4xx; a database that cannot be reached is 503; only a
/// fault of the registry itself is 500.
/// </summary>
public sealed partial record Refusal(int Status, string Code, string Detail, IReadOnlyList<FieldError> Errors, long? CurrentVersion = null)
{
    public const string PreconditionFailed = "precondition.failed";

    public bool IsServerFault => Status >= 500 && Status != StatusCodes.Status503ServiceUnavailable;

    /// <summary>The problem's extension members: the fields at fault, and the record's current version after a stale If-Match.</summary>
    public Dictionary<string, object?> Extensions()
    {
        var extensions = new Dictionary<string, object?>();
        if (Errors.Count > 0) extensions["errors"] = Errors;
        if (Code == PreconditionFailed) extensions["currentVersion"] = CurrentVersion;
        return extensions;
    }

    public static Refusal Of(Exception exception) => Commit.Unwrap(exception) switch
    {
        ValidationException v when v.Errors.All(e => e.Code == TextRules.InvalidTextCode) =>
            new(400, TextRules.InvalidTextCode, "The request contains unacceptable text.", v.Errors),
        ValidationException v => new(400, "validation.failed", "The request has invalid fields.", v.Errors),
        RuleViolationException { Violation: var r } => new(Problems.StatusOf(r.Kind), r.Code, r.Message,
            r.Field is { } field ? [new FieldError(field, r.Code, r.Message)] : []),
        PreconditionFailedException p => new(412, PreconditionFailed, p.Message, [], p.Actual),
        IdempotencyKeyReusedException i => new(422, "idempotency.keyReused", i.Message, []),
        ConcurrencyException or PostgresException { SqlState: ReadStreamsCheck.ChangedCode or PostgresErrorCodes.SerializationFailure } =>
            new(409, "concurrency.conflict", "The record was changed by someone else at the same time; read it again and retry.", []),
        PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected } =>
            new(409, "concurrency.conflict", "The write met another at the same time and was not recorded; send it again.", []),
        BadHttpRequestException { InnerException: InvalidTextException t } =>
            new(400, TextRules.InvalidTextCode, t.Message, [new FieldError(FieldOf(t), TextRules.InvalidTextCode, t.Message)]),
        BadHttpRequestException { InnerException: JsonException j } =>
            new(400, "request.malformed", "The body is not the JSON this endpoint reads.", [BodyError(j)]),
        BadHttpRequestException b => new(b.StatusCode is >= 400 and < 500 ? b.StatusCode : 400, CodeOf(b.StatusCode), b.Message, []),
        CommitOutcomeUnknownException u =>
            new(503, "database.outcomeUnknown", u.Message + " Send the request again with the same Idempotency-Key: it is recorded at most once.", []),
        DatabaseUnavailableException d => new(503, "database.unavailable", d.Message, []),
        var e when Commit.IsConnectionFailure(e) || e is NpgsqlException { IsTransient: true } || IsPoolExhausted(e) =>
            new(503, "database.unavailable", "The registry's database cannot be reached; nothing was recorded. Try again shortly.", []),
        _ => new(500, "server.error", "An unexpected error occurred.", []),
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
