using Microsoft.Extensions.Localization;
using VitalEvents.Web.Shared;

namespace VitalEvents.Web.Notifications;

/// <summary>
/// The refusals of birth notifications and facilities in the page's language. Text/Refusals has no entry for these codes yet, so
/// the shared explanation would give the registry's English words; the pages of notifications and facilities take theirs from here.
/// </summary>
public sealed class NotificationRefusals
{
    /// <summary>The outcome's messages, with each code this file knows written in its words (the rest as the shared explanation has them).</summary>
    public static FormErrors Explain<T>(IStringLocalizer<NotificationRefusals> text, Outcome<T> outcome)
    {
        if (outcome.Refusal is not { } refusal) return outcome.Errors;
        var fields = new Dictionary<string, string>(outcome.Errors.Fields, StringComparer.Ordinal);
        foreach (var error in refusal.Errors)
            if (error.Field.Length > 0 && Message(text, error.Code) is { } message) fields[error.Field] = message;
        var general = refusal.Errors.All(e => e.Field.Length == 0) && Message(text, refusal.Code) is { } own ? own : outcome.Errors.General;
        return outcome.Errors with { Fields = fields, General = general };
    }

    /// <summary>The code's meaning, or null when this file has none.</summary>
    public static string? Message(IStringLocalizer<NotificationRefusals> text, string code) =>
        text[code] is { ResourceNotFound: false } found ? found.Value : null;
}
