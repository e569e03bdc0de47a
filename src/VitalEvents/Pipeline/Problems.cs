using Microsoft.AspNetCore.Http;

namespace VitalEvents.Pipeline;

/// <summary>RFC 9457 problem details carrying the registry's stable error code.</summary>
public static class Problems
{
    public static IResult Of(int status, string code, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return Results.Problem(statusCode: status, title: code, detail: detail, type: $"https://vitalevents.ir/problems/{code}", extensions: all);
    }

    public static IResult PersonNotFound(string nationalCode) =>
        Of(StatusCodes.Status404NotFound, "person.notFound", $"No person with national code {nationalCode} is registered.");
}
