using Mediator;
using Microsoft.Extensions.Localization;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Web.Text;

namespace VitalEvents.Web.Shared;

/// <summary>What a form's submission came to: the command's answer, or the refusal in the page's language, field by field.</summary>
public sealed class Outcome<T>
{
    public T? Value { get; init; }
    public FormErrors Errors { get; init; } = FormErrors.None;
    public Refusal? Refusal { get; init; }
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// Sends a console form's command through the registry's pipeline as the signed-in person, exactly as the API does: the form's
/// request id is the Idempotency-Key, so a form sent twice (a double click, a retry after the database was away) is recorded
/// once. Refusals come back as messages for the fields they concern; a fault of the registry itself is left to the error page.
/// </summary>
public sealed class Submission(IMediator mediator, RequestContext context, IStringLocalizer<Refusals> refusals, IStringLocalizer<Common> common)
{
    public async Task<Outcome<T>> SendAsync<T>(Guid requestId, Func<ICommand<T>> command, IfMatch? ifMatch = null, CancellationToken ct = default)
    {
        context.IdempotencyKey = $"console-{requestId:N}";
        context.IfMatch = ifMatch;
        try
        {
            return new Outcome<T> { Value = await mediator.Send(command(), ct) };
        }
        catch (Exception e) when (Refusal.Of(e) is { IsServerFault: false } refusal)
        {
            return new Outcome<T> { Refusal = refusal, Errors = Explain(refusal) };
        }
    }

    /// <summary>A read's refusal (a filter out of range, a person not found), for the page to show.</summary>
    public FormErrors Explain(Refusal refusal)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var error in refusal.Errors)
            if (error.Field.Length > 0) fields.TryAdd(error.Field, Message(error.Code, error.Message));
        var general = refusal.Code switch
        {
            Refusal.PreconditionFailed => common["Problems.Stale"].Value,
            "database.unavailable" or "database.outcomeUnknown" or "concurrency.conflict" => $"{Message(refusal.Code, refusal.Detail)} {common["Problems.Retry"]}",
            _ when fields.Count > 0 => common["Problems.Fields"].Value,
            _ => Message(refusal.Code, refusal.Detail),
        };
        return new FormErrors(fields, general, refusal.Status, context.CorrelationId);
    }

    /// <summary>The refusal's meaning in the page's language; the registry's own words when it has no entry for the code.</summary>
    private string Message(string code, string fallback) => refusals[code] is { ResourceNotFound: false } text ? text.Value : fallback;
}

/// <summary>A refused form's messages: one per field at fault, and one for the form.</summary>
public sealed record FormErrors(IReadOnlyDictionary<string, string> Fields, string? General, int Status = 0, string? Reference = null)
{
    public static readonly FormErrors None = new(new Dictionary<string, string>(), null);

    public bool Any => General is not null || Fields.Count > 0;

    public string? For(string field) => Fields.TryGetValue(field, out var message) ? message : null;

    /// <summary>The id of a field's control: its path with the characters an id should not hold replaced.</summary>
    public static string IdOf(string field) => "f-" + string.Concat(field.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')).Trim('-');
}
