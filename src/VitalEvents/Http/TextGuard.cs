using System.Text.Json;
using System.Text.Json.Serialization;
using VitalEvents.Pipeline;

namespace VitalEvents.Http;

/// <summary>A string in a request body that is not acceptable text (<see cref="TextRules"/>); the request is refused before anything reads it.</summary>
public sealed class InvalidTextException(string problem) : JsonException($"The text contains {problem}.");

/// <summary>Reads every string of a JSON request body, refusing unacceptable text (NUL, other controls, noncharacters, lone surrogates).</summary>
public sealed class CheckedStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"Expected a string, not {reader.TokenType}.");
        return Checked(ref reader);
    }

    // Dictionary keys are text too; without these the options could not read or write a dictionary keyed by strings at all.
    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string Checked(ref Utf8JsonReader reader)
    {
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new InvalidTextException("an escaped lone surrogate");
        }
        return TextRules.FirstProblem(text) is { } problem ? throw new InvalidTextException(problem) : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Refuses a request whose path or query string carries unacceptable text, before any endpoint sees it.</summary>
public sealed class TextGuardMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        foreach (var (name, values) in http.Request.Query)
            foreach (var value in values)
                if (value is not null && TextRules.FirstProblem(value) is { } problem)
                    return Refuse(http, $"query.{Shown(name)}", problem);
        if (TextRules.FirstProblem(http.Request.Path.Value ?? "") is { } pathProblem)
            return Refuse(http, "path", pathProblem);
        return next(http);
    }

    private static string Shown(string name) => TextRules.IsAcceptable(name) && name.Length <= 40 ? name : "(name)";

    private static Task Refuse(HttpContext http, string field, string problem) =>
        Problems.Of(StatusCodes.Status400BadRequest, TextRules.InvalidTextCode, $"The request contains {problem}.",
            new Dictionary<string, object?> { ["errors"] = new[] { new FieldError(field, TextRules.InvalidTextCode, $"{field} contains {problem}.") } })
            .ExecuteAsync(http);
}
