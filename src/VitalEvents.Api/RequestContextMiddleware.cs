using System.Security.Claims;
using VitalEvents.Pipeline;

namespace VitalEvents.Api;

/// <summary>Fills the request's <see cref="RequestContext"/> from the bearer token and the request headers.</summary>
public sealed class RequestContextMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http, RequestContext context)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            context.UserId = user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
            context.Roles = user.FindAll("role").Select(c => c.Value).ToHashSet();
            context.OfficeCode = user.FindFirstValue(Tokens.OfficeClaim);
        }
        context.CorrelationId = http.Request.Headers["X-Correlation-Id"].FirstOrDefault() is { Length: > 0 and <= 100 } correlation
            ? correlation
            : Guid.NewGuid().ToString("N");
        context.CausationId = http.TraceIdentifier;
        http.Response.Headers["X-Correlation-Id"] = context.CorrelationId;
        if (http.Request.Headers["Idempotency-Key"].FirstOrDefault() is { Length: > 0 } key)
        {
            if (key.Length > 200) return Reject(http, "idempotency.keyInvalid", "Idempotency-Key is longer than 200 characters.");
            context.IdempotencyKey = key;
        }
        if (http.GetEndpoint()?.Metadata.GetMetadata<HonoursIfMatch>() is not null
            && http.Request.Headers.IfMatch.FirstOrDefault() is { Length: > 0 } ifMatch)
        {
            if (!long.TryParse(ifMatch.Replace("W/", "").Trim('"'), out var version))
                return Reject(http, "ifMatch.invalid", "If-Match must name a version, such as \"3\".");
            context.ExpectedVersion = version;
        }
        return next(http);
    }

    private static Task Reject(HttpContext http, string code, string detail) =>
        Problems.Of(StatusCodes.Status400BadRequest, code, detail).ExecuteAsync(http);
}
