using VitalEvents.Domain;

namespace VitalEvents.Pipeline;

/// <summary>One field that failed validation.</summary>
public sealed record FieldError(string Field, string Code, string Message);

/// <summary>Raised when a request has invalid fields; nothing has been written.</summary>
public sealed class ValidationException(IReadOnlyList<FieldError> errors) : Exception("The request has invalid fields.")
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>A command that checks and converts its own input; the validation step of the pipeline runs it first.</summary>
public interface IValidatable
{
    void Validate(Validator validator);
}

/// <summary>Collects field errors while converting request text to domain values.</summary>
public sealed class Validator
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public void Fail(string field, string code, string message) => _errors.Add(new FieldError(field, code, message));

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw new ValidationException(_errors);
    }

    public string Name(string field, string? value)
    {
        var normalized = PersianText.Normalize(value);
        if (normalized.Length == 0) Fail(field, "field.required", $"{field} is required.");
        else if (normalized.Length > 100) Fail(field, "field.tooLong", $"{field} is longer than 100 characters.");
        return normalized;
    }

    public string Text(string field, string? value, int maxLength = 500)
    {
        var text = PersianText.Normalize(value);
        if (text.Length == 0) Fail(field, "field.required", $"{field} is required.");
        else if (text.Length > maxLength) Fail(field, "field.tooLong", $"{field} is longer than {maxLength} characters.");
        return text;
    }

    public string? OptionalText(string field, string? value, int maxLength = 500) =>
        string.IsNullOrWhiteSpace(value) ? null : Text(field, value, maxLength);

    public string OneOf(string field, string? value, string[] allowed)
    {
        var text = value?.Trim() ?? string.Empty;
        if (!allowed.Contains(text)) Fail(field, "field.notAllowed", $"{field} must be one of: {string.Join(", ", allowed)}.");
        return text;
    }

    public DateOnly Date(string field, string? value)
    {
        if (SolarHijri.TryParse(value, out var date) is { } error) Fail(field, "date.invalid", $"{field}: {error}");
        return date;
    }

    public DateOnly? OptionalDate(string field, string? value) => string.IsNullOrWhiteSpace(value) ? null : Date(field, value);

    public string NationalCode(string field, string? value)
    {
        if (Domain.NationalCode.Validate(value, out var code) is { } error)
            Fail(field, error, $"{field} '{value}' is not a valid national code ({error}).");
        return code;
    }

    public string? OptionalNationalCode(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : NationalCode(field, value);

    public string Office(string field, string? value)
    {
        var office = Offices.Find(value);
        if (office is null) Fail(field, "office.unknown", $"{field} '{value}' is not a registry office.");
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
            Fail(field, "time.invalid", $"{field} '{value}' is not a time of day (expected HH:mm, e.g. 14:05).");
            return null;
        }
        return time.ToString("HH:mm");
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
        if (!System.Text.RegularExpressions.Regex.IsMatch(code, @"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$"))
            Fail(field, "icd10.invalid", $"{field} '{value}' is not an ICD-10 code (e.g. I21.9).");
        return code;
    }

    /// <summary>A medical certificate's reference, or two witnesses (national code and name) and the statement's reference.</summary>
    public EvidenceRecord Evidence(string field, Births.EvidenceInput? evidence)
    {
        var kind = OneOf($"{field}.kind", evidence?.Kind, Vocabulary.EvidenceKinds);
        var reference = Text($"{field}.reference", evidence?.Reference, 200);
        if (kind != "witnesses") return new EvidenceRecord(kind, reference);
        var witnesses = evidence?.Witnesses ?? [];
        if (witnesses.Count != 2) Fail($"{field}.witnesses", "evidence.twoWitnessesRequired", "A birth attested by witnesses needs two witnesses.");
        var records = witnesses.Select((w, i) => new WitnessRecord(
            NationalCode($"{field}.witnesses[{i}].nationalCode", w.NationalCode), Name($"{field}.witnesses[{i}].name", w.Name))).ToList();
        if (records.Count == 2 && records[0].NationalCode == records[1].NationalCode)
            Fail($"{field}.witnesses", "evidence.sameWitness", "The two witnesses must be different people.");
        return new EvidenceRecord(kind, reference, records);
    }

    public Guid Id(string field, string? value)
    {
        if (!Guid.TryParse(value, out var id)) Fail(field, "field.invalidId", $"{field} '{value}' is not an identifier.");
        return id;
    }
}

/// <summary>A place in a request.</summary>
public sealed record PlaceInput(string? Province, string? County, string? City);
