using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using VitalEvents.Domain;

namespace VitalEvents.Pipeline;

/// <summary>One field that failed validation.</summary>
public sealed record FieldError(string Field, string Code, string Message);

/// <summary>Raised when a request has invalid fields; nothing has been written.</summary>
public sealed class ValidationException(IReadOnlyList<FieldError> errors) : Exception("The request has invalid fields.")
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>
/// Turns request text into domain values, once, collecting every field's error on the way: a request's <c>Parse</c> builds
/// its domain command through it, and <see cref="Parse"/> throws when any field failed.
/// </summary>
public sealed partial class Validator
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public void Fail(string field, string code, string message) => _errors.Add(new FieldError(field, code, message));

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw new ValidationException(_errors);
    }

    /// <summary>
    /// The domain command a request gives, or a <see cref="ValidationException"/> listing every invalid field; a missing
    /// (empty or <c>null</c>) body is itself invalid.
    /// </summary>
    public static T Parse<TRequest, T>(TRequest? request, Func<TRequest, Validator, T> parse) where TRequest : class
    {
        if (request is null)
            throw new ValidationException([new FieldError("", "request.bodyRequired", "The request needs a JSON object as its body.")]);
        var validator = new Validator();
        var parsed = parse(request, validator);
        validator.ThrowIfInvalid();
        return parsed;
    }

    /// <summary>
    /// A person's name: letters (with at most two combining marks after each), spaces, ZWNJ between letters, hyphens,
    /// apostrophes and dots. No digits, symbols or emoji, and nothing invisible beside ZWNJ: what the booklet prints is what is stored.
    /// </summary>
    public string Name(string field, string? value)
    {
        var before = _errors.Count;
        var name = Text(field, value, 100);
        if (_errors.Count == before && NameProblem(name) is { } problem)
            Fail(field, "name.invalidCharacters", $"{field} holds only letters, spaces, ZWNJ, hyphens, apostrophes and dots; {problem}.");
        return name;
    }

    public string Text(string field, string? value, int maxLength = 500)
    {
        if (value is not null && TextRules.FirstProblem(value) is { } problem)
        {
            Fail(field, TextRules.InvalidTextCode, $"{field} contains {problem}.");
            return string.Empty;
        }
        // Normalising removes invisible marks, but an embedding, override or isolate reorders what is shown: without it the
        // text would read otherwise than the person who typed it saw.
        if (value is not null && BidiControl(value) is { } control)
        {
            Fail(field, "text.invalidCharacters", $"{field} contains the bidirectional control U+{(int)value[control]:X4} at position {control}, " +
                "which makes text display other than it reads.");
            return string.Empty;
        }
        var text = PersianText.Normalize(value);
        if (text.Length == 0) Fail(field, "field.required", $"{field} is required.");
        else if (text.Length > maxLength) Fail(field, "field.tooLong", $"{field} is longer than {maxLength} characters.");
        return text;
    }

    /// <summary>Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): the marks that reorder what is shown.</summary>
    private static int? BidiControl(string text)
    {
        var at = text.AsSpan().IndexOfAny("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");
        return at < 0 ? null : at;
    }

    private static string? NameProblem(string name)
    {
        var (position, marks, letters) = (0, 0, 0);
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var mark = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            marks = mark ? marks + 1 : 0;
            if (Rune.IsLetter(rune)) letters++;
            else if (mark ? marks > 2 || letters == 0 : rune.Value is not (' ' or '\u200C' or '-' or '\'' or '.' or '\u2019'))
                return $"the character U+{rune.Value:X4} at position {position} is not one";
            position += rune.Utf16SequenceLength;
        }
        return letters == 0 ? "it has no letter" : null;
    }

    /// <summary>
    /// The text of a JSON string kept as a <see cref="JsonElement"/>, which the body's string checks do not reach; null, with the
    /// field failed, when it is not acceptable text (an escaped lone surrogate included).
    /// </summary>
    public string? JsonString(string field, JsonElement value)
    {
        string? problem;
        try
        {
            var text = value.GetString()!;
            if ((problem = TextRules.FirstProblem(text)) is null) return text;
        }
        catch (InvalidOperationException)
        {
            problem = "an escaped lone surrogate";
        }
        Fail(field, TextRules.InvalidTextCode, $"{field} contains {problem}.");
        return null;
    }

    public string? OptionalText(string field, string? value, int maxLength = 500) =>
        string.IsNullOrWhiteSpace(value) ? null : Text(field, value, maxLength);

    public string? OptionalName(string field, string? value) => value is null ? null : Name(field, value);

    public string OneOf(string field, string? value, string[] allowed)
    {
        var text = value?.Trim() ?? string.Empty;
        if (!allowed.Contains(text)) Fail(field, "field.notAllowed", $"{field} must be one of: {string.Join(", ", allowed)}.");
        return text;
    }

    public string? OptionalOneOf(string field, string? value, string[] allowed) =>
        string.IsNullOrWhiteSpace(value) ? null : OneOf(field, value, allowed);

    public DateOnly Date(string field, string? value)
    {
        if (SolarHijri.TryParse(value, out var date) is { } error) Fail(field, "date.invalid", $"{field}: {error}");
        return date;
    }

    public DateOnly? OptionalDate(string field, string? value) => string.IsNullOrWhiteSpace(value) ? null : Date(field, value);

    public string NationalCode(string field, string? value)
    {
        if (Domain.NationalCode.Validate(value, out var code) is { } error)
            Fail(field, error, $"{field} '{Shown(value)}' is not a valid national code ({error}).");
        return code;
    }

    public string? OptionalNationalCode(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : NationalCode(field, value);

    public string Office(string field, string? value)
    {
        var office = Offices.Find(value);
        if (office is null) Fail(field, "office.unknown", $"{field} '{Shown(value)}' is not a registry office.");
        return office?.Code ?? string.Empty;
    }

    public PlaceRecord Place(string field, PlaceInput? place) => new(
        Text($"{field}.province", place?.Province, 100),
        Text($"{field}.county", place?.County, 100),
        Text($"{field}.city", place?.City, 100));

    public string? OptionalTime(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!TimeOnly.TryParseExact(PersianText.AsciiDigits(value.Trim()), "HH:mm", out var time))
        {
            Fail(field, "time.invalid", $"{field} '{Shown(value)}' is not a time of day (expected HH:mm, e.g. 14:05).");
            return null;
        }
        return time.ToString("HH:mm");
    }

    public int Number(string field, int? value, int min, int max)
    {
        if (value is null) Fail(field, "field.required", $"{field} is required.");
        return OptionalNumber(field, value, min, max) ?? 0;
    }

    public int? OptionalNumber(string field, int? value, int min, int max)
    {
        if (value is { } n && (n < min || n > max)) Fail(field, "field.outOfRange", $"{field} must be from {min} to {max}.");
        return value;
    }

    /// <summary>An ICD-10 code: a letter, two digits, and optionally a dot and up to four more characters (I21.9, O36.4).</summary>
    public string? OptionalIcd10(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var code = value.Trim().ToUpperInvariant();
        if (!Icd10().IsMatch(code)) Fail(field, "icd10.invalid", $"{field} '{Shown(value)}' is not an ICD-10 code (e.g. I21.9).");
        return code;
    }

    public Guid Id(string field, string? value)
    {
        if (!Guid.TryParse(value, out var id)) Fail(field, "field.invalidId", $"{field} '{Shown(value)}' is not an identifier.");
        return id;
    }

    /// <summary>A value as a message may quote it: short, and only when it is acceptable text.</summary>
    private static string Shown(string? value) =>
        value is null ? "" : TextRules.IsAcceptable(value) ? value.Length > 40 ? value[..40] + "…" : value : "(unreadable text)";

    [GeneratedRegex(@"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")]
    private static partial Regex Icd10();
}

/// <summary>A place in a request.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PlaceInput(string? Province, string? County, string? City);
