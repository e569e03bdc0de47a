using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Api;

/// <summary>
/// Fills the request's <see cref="RequestContext"/> from the token or session (claim names from <see cref="AuthSettings"/>) and the
/// request headers, refusing headers the registry would have to keep but cannot (too long, or not printable ASCII).
/// </summary>
public sealed class RequestContextMiddleware(RequestDelegate next)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string CorrelationHeader = "X-Correlation-Id";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public Task InvokeAsync(HttpContext http, RequestContext context)
    {
        if (http.Request.Headers[IdempotencyKeyHeader].FirstOrDefault() is { Length: > 0 } key)
        {
            if (key.Length > 200 || !IsToken(key))
                return Reject(http, "idempotency.keyInvalid", "Idempotency-Key is 1 to 200 printable ASCII characters.");
            context.IdempotencyKey = key;
        }
        if (http.Request.Headers[Audit.AccessLogHeaders.Purpose].FirstOrDefault() is { Length: > 0 } purpose)
        {
            if (!IsToken(purpose, spaces: true)) return Reject(http, "purpose.invalid", "X-Purpose is printable ASCII text.");
            context.Purpose = purpose;
        }
        if (http.GetEndpoint()?.Metadata.GetMetadata<WriteEndpoint>() is { HonoursIfMatch: true })
        {
            if (!ConditionalRequests.TryReadIfMatch(http.Request, out var ifMatch))
                return Reject(http, "ifMatch.invalid", "If-Match must be * or a list of entity tags, such as \"3\".");
            context.IfMatch = ifMatch;
        }
        return next(http);
    }

    /// <summary>
    /// Who is asking, right after authentication (so that a page refusing them still knows who they are): user, roles, office, scopes.
    /// </summary>
    public static Task Identify(HttpContext http, Func<Task> next)
    {
        var context = http.RequestServices.GetRequiredService<RequestContext>();
        var auth = http.RequestServices.GetRequiredService<AuthSettings>();
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            // The bearer handler refuses a token without a usable user claim; "unknown" is never expected here.
            context.UserId = user.FindFirst(auth.UserClaim)?.Value is { Length: > 0 and <= AuthSetup.MaxUserIdLength } id && TextRules.IsAcceptable(id) ? id : "unknown";
            context.Roles = user.FindAll(auth.RoleClaim).Select(c => c.Value).ToHashSet();
            // One office (a county code, in any digits); a token naming several acts for none, so it may write nothing.
            var offices = user.FindAll(auth.OfficeClaim).Select(c => Domain.Offices.Find(c.Value)?.Code ?? c.Value).Distinct().ToList();
            context.OfficeCode = offices.Count == 1 ? offices[0] : null;
            context.AgencyId = Single(user, auth.AgencyClaim);
            context.FacilityId = Single(user, auth.FacilityClaim);
            // A citizen is who their national code says: the user claim of the national single sign-on.
            if (context.Roles.Contains(Roles.Citizen) && Domain.NationalCode.Validate(context.UserId, out var code) is null) context.CitizenCode = code;
            // OAuth 2.0 scopes are space-separated in one claim (RFC 6749 §3.3); some authorities send a JSON array instead.
            context.Scopes = user.FindAll(auth.ScopeClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        }
        return next();
    }

    /// <summary>The one value of a claim, when the token holds exactly one and it is short acceptable text; a token naming several acts for none.</summary>
    private static string? Single(System.Security.Claims.ClaimsPrincipal user, string claim)
    {
        var values = user.FindAll(claim).Select(c => c.Value).Distinct().ToList();
        return values.Count == 1 && values[0] is { Length: > 0 and <= 100 } value && TextRules.IsAcceptable(value) ? value : null;
    }

    /// <summary>
    /// The first step of every request, before authentication can refuse it: the correlation id (the caller's, or a new one),
    /// on the context and the answer, so that every problem, the framework's included, carries it.
    /// </summary>
    public static Task Correlate(HttpContext http, Func<Task> next)
    {
        var context = http.RequestServices.GetRequiredService<RequestContext>();
        context.CorrelationId = http.Request.Headers[CorrelationHeader].FirstOrDefault() is { Length: > 0 and <= 100 } correlation && IsToken(correlation)
            ? correlation
            : Guid.NewGuid().ToString("N");
        context.CausationId = http.TraceIdentifier;
        http.Response.Headers[CorrelationHeader] = context.CorrelationId;
        http.Response.OnStarting(() =>
        {
            if (context.Replayed) http.Response.Headers[ReplayedHeader] = "true";
            return Task.CompletedTask;
        });
        return next();
    }

    private static bool IsToken(string value, bool spaces = false) => value.All(c => c is > ' ' and < '\u007F' || (spaces && c == ' '));

    private static Task Reject(HttpContext http, string code, string detail) =>
        Problems.Of(StatusCodes.Status400BadRequest, code, detail).ExecuteAsync(http);
}
