using Microsoft.Extensions.Localization;
using VitalEvents.Http;
using VitalEvents.Web.Shared;

namespace VitalEvents.Web.Documents;

/// <summary>The words the document pages share: where a document stands, why, the languages it prints in, and the registry's refusals about documents.</summary>
public sealed class DocumentText
{
    /// <summary>
    /// A refused form's messages with the document refusals in the page's language (the shared refusal texts do not hold
    /// them yet); every other message as the submission gave it.
    /// </summary>
    public static FormErrors Explain(FormErrors errors, Refusal? refusal, IStringLocalizer<DocumentText> text)
    {
        if (refusal is null) return errors;
        string? Say(string code) => text[$"Refusal.{code}"] is { ResourceNotFound: false } s ? s.Value : null;
        var fields = new Dictionary<string, string>(errors.Fields, StringComparer.Ordinal);
        foreach (var error in refusal.Errors)
            if (error.Field.Length > 0 && Say(error.Code) is { } message) fields[error.Field] = message;
        var general = refusal.Errors.Count == 0 && Say(refusal.Code) is { } said ? said : errors.General;
        return errors with { Fields = fields, General = general };
    }
}
