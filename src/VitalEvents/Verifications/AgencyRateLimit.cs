using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Verifications;

/// <summary>
/// Each agency's rate (requests a second, per instance): a token bucket per agency holding one second of its rate. A request
/// over it is answered 429 <c>verification.rateLimited</c> with Retry-After. A change of the agency's rate starts a new bucket.
/// An agency not (yet) known is not limited here: the verification itself refuses it.
/// </summary>
public sealed class AgencyRateLimit(AgencyDirectory directory) : IRateLimiterPolicy<string>
{
    public const string PolicyName = "agency";
    public const string Code = "verification.rateLimited";

    public RateLimitPartition<string> GetPartition(HttpContext http)
    {
        var context = http.RequestServices.GetRequiredService<RequestContext>();
        if (context.AgencyId is not { } id || directory.Held(id) is not { } agency) return RateLimitPartition.GetNoLimiter("");
        return RateLimitPartition.GetTokenBucketLimiter($"{agency.Id}:{agency.RatePerSecond}", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = agency.RatePerSecond,
            TokensPerPeriod = agency.RatePerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) =>
        new(RetryAfter.TooManyRequestsAsync(context, Code, seconds => $"Your agency is over its rate of verifications a second; wait {seconds} s and try again."));
}
