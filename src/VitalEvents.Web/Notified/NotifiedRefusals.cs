using Microsoft.Extensions.Localization;
using VitalEvents.Http;
using VitalEvents.Web.Shared;
using VitalEvents.Web.Text;

namespace VitalEvents.Web.Notified;

/// <summary>
/// The refusals of notified births in the page's language: the shared refusal texts have no entry yet for the given-name and
/// notification codes, so these pages give their own until they do, and the shared text wins once it exists.
/// </summary>
public static class NotifiedRefusals
{
    public static FormErrors Explain(FormErrors errors, Refusal? refusal, IStringLocalizer<Refusals> shared, IStringLocalizer<NotificationFacts> own)
    {
        if (refusal is null) return errors;
        var fields = new Dictionary<string, string>(errors.Fields, StringComparer.Ordinal);
        foreach (var error in refusal.Errors)
            if (error.Field.Length > 0 && Own(error.Code, shared, own) is { } message && fields.ContainsKey(error.Field)) fields[error.Field] = message;
        var general = errors.Fields.Count == 0 && Own(refusal.Code, shared, own) is { } text ? text : errors.General;
        return errors with { Fields = fields, General = general };
    }

    private static string? Own(string code, IStringLocalizer<Refusals> shared, IStringLocalizer<NotificationFacts> own) =>
        shared[code].ResourceNotFound && own[$"Refusal.{code}"] is { ResourceNotFound: false } text ? text.Value : null;
}
