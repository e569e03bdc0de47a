using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Web.Errors;

/// <summary>
/// The console's error pages, rendered as a whole document where the request ended rather than by re-executing it (a
/// re-executed Blazor request that keeps a 404 renders nothing).
/// </summary>
public static class ConsoleErrors
{
    /// <summary>The page shown for a status: its own for 400, 403, 404 and 503; any other server error is 500, any other refusal 400.</summary>
    public static int Shown(int status) => status switch { 400 or 403 or 404 or 503 => status, >= 500 => 500, _ => 400 };

    public static async Task Render(HttpContext http, int status)
    {
        if (Shown(status) == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
        // A page that found nothing (a 404 it set itself) has used the request's renderer: the error page gets a scope of its own,
        // told who is asking.
        var asking = http.RequestServices.GetRequiredService<RequestContext>();
        await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<RequestContext>();
        (context.UserId, context.Roles, context.OfficeCode, context.Scopes, context.CorrelationId) =
            (asking.UserId, asking.Roles, asking.OfficeCode, asking.Scopes, asking.CorrelationId);
        var services = http.RequestServices;
        http.RequestServices = scope.ServiceProvider;
        http.Response.Headers.Remove("blazor-enhanced-nav");
        try
        {
            await new RazorComponentResult<ErrorDocument>(new { Status = Shown(status) }) { StatusCode = status }.ExecuteAsync(http);
        }
        finally
        {
            http.RequestServices = services;
        }
    }

    /// <summary>For the exception handler: a refusal keeps its status (a database that cannot be reached is 503), anything else is 500.</summary>
    public static Task RenderFailure(HttpContext http) =>
        Render(http, http.Features.Get<IExceptionHandlerFeature>()?.Error is { } failure ? Refusal.Of(failure).Status : 500);
}
