using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using VitalEvents.Domain;

namespace VitalEvents.Http;

/// <summary>
/// The one builder of the registry's RFC 9457 problem details: every problem has a stable <c>code</c> (also its title),
/// a <c>type</c> URI made from it, and (added as it is written, see <see cref="Complete"/>) the <c>instance</c> and the
/// request's correlation id.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://vitalevents.ir/problems/";

    public static ProblemDetails Create(int status, string code, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = code, Detail = detail, Type = TypeBase + code };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[key] = value;
        return problem;
    }

    public static ProblemHttpResult Of(int status, string code, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(Create(status, code, detail, extensions));

    public static ProblemHttpResult NotFound(string code, string detail) => Of(StatusCodes.Status404NotFound, code, detail);

    public static ProblemHttpResult Invalid(string code, string detail) => Of(StatusCodes.Status400BadRequest, code, detail);

    public static ProblemHttpResult PersonNotFound(string nationalCode) =>
        NotFound("person.notFound", $"No person with national code {nationalCode} is registered.");

    public static int StatusOf(ViolationKind kind) => kind switch
    {
        ViolationKind.Invalid => StatusCodes.Status400BadRequest,
        ViolationKind.NotFound => StatusCodes.Status404NotFound,
        ViolationKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>
    /// Fills in what every problem carries, whoever wrote it (the registry, or the framework for a 401, 404, 405 or 415):
    /// a code for the status when none is set, the type, the instance (the request's path) and the correlation id.
    /// </summary>
    public static void Complete(ProblemDetails problem, HttpContext http, string correlationId)
    {
        var status = problem.Status ?? http.Response.StatusCode;
        if (problem.Extensions.TryGetValue("code", out var code) is false || code is not string)
        {
            var (defaultCode, detail) = Framework(status);
            problem.Extensions["code"] = defaultCode;
            problem.Title = defaultCode;
            problem.Type = TypeBase + defaultCode;
            problem.Detail ??= detail;
        }
        problem.Status = status;
        problem.Instance ??= http.Request.Path.Value;
        problem.Extensions["correlationId"] = correlationId;
        problem.Extensions.Remove("traceId");
    }

    /// <summary>The code and explanation of a problem the framework answers by itself.</summary>
    private static (string Code, string Detail) Framework(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ("request.malformed", "The request could not be read."),
        StatusCodes.Status401Unauthorized => ("auth.unauthenticated", "A valid bearer token is required."),
        StatusCodes.Status403Forbidden => ("auth.forbidden", "Your roles do not allow this."),
        StatusCodes.Status404NotFound => ("route.notFound", "There is nothing at this address."),
        StatusCodes.Status405MethodNotAllowed => ("method.notAllowed", "This address does not accept that method."),
        StatusCodes.Status406NotAcceptable => ("media.notAcceptable", "The registry answers in JSON."),
        StatusCodes.Status413PayloadTooLarge => ("request.tooLarge", "The request body is too large."),
        StatusCodes.Status415UnsupportedMediaType => ("media.unsupported", "Send the body as application/json."),
        StatusCodes.Status429TooManyRequests => ("rate.limited", "Too many requests; wait and try again."),
        StatusCodes.Status503ServiceUnavailable => ("service.unavailable", "The registry cannot answer now; try again shortly."),
        _ => ("server.error", "An unexpected error occurred."),
    };
}
