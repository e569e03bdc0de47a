using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace VitalEvents.Http;

public static class RetryAfter
{
    /// <summary>A Retry-After value: whole seconds, at least one.</summary>
    public static string Seconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>A rate limiter's refusal: 429 with the registry's code and Retry-After from the limiter's lease (one second if it names none).</summary>
    public static async Task TooManyRequestsAsync(OnRejectedContext context, string code, Func<string, string> detail)
    {
        var seconds = Seconds(context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1));
        context.HttpContext.Response.Headers.RetryAfter = seconds;
        await Problems.Of(StatusCodes.Status429TooManyRequests, code, detail(seconds)).ExecuteAsync(context.HttpContext);
    }
}
