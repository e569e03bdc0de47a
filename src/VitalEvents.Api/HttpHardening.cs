using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.ResponseCompression;
using VitalEvents.Http;

namespace VitalEvents.Api;

/// <summary>How the registry protects itself and its callers over HTTP (VitalEvents:Http:*).</summary>
public sealed class HttpSettings
{
    public const string Section = "VitalEvents:Http";

    /// <summary>Each caller (the token's user, or the client address without one) gets a bucket of this many requests…</summary>
    public int RateLimitBurst { get; set; } = 120;

    /// <summary>…refilled with this many each second. A caller over it is answered 429 with Retry-After.</summary>
    public int RateLimitPerSecond { get; set; } = 20;

    /// <summary>Origins a browser may call the API from (CORS); none by default.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Compress answers sent over HTTPS too (off by default: compressing personal data beside reflected input invites BREACH).</summary>
    public bool CompressHttps { get; set; }

    internal bool IsValid => RateLimitBurst > 0 && RateLimitPerSecond > 0;
}

public static class HttpHardening
{
    public const string CorsPolicy = "registry";

    public static void AddHttpHardening(this WebApplicationBuilder builder, HttpSettings settings, AuthSettings auth)
    {
        builder.Services.AddSingleton(settings);
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                // An endpoint with a policy of its own (the agencies' rate) is limited by that policy instead of the caller's.
                http.GetEndpoint()?.Metadata is { } metadata && (metadata.GetMetadata<DisableRateLimitingAttribute>() is not null
                    || metadata.GetMetadata<EnableRateLimitingAttribute>() is not null)
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetTokenBucketLimiter(Caller(http, auth), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = settings.RateLimitBurst,
                        TokensPerPeriod = settings.RateLimitPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            o.OnRejected = (context, _) =>
                new(RetryAfter.TooManyRequestsAsync(context, "rate.limited", seconds => $"Too many requests from you; wait {seconds} s and try again."));
        });
        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, policy =>
        {
            if (settings.CorsOrigins.Length == 0) return;
            policy.WithOrigins(settings.CorsOrigins)
                .WithMethods("GET", "HEAD", "POST", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", "If-Match", "If-None-Match", "X-Correlation-Id", "X-Purpose", "Last-Event-ID", VitalEvents.Storage.ConsistencyToken.Header)
                .WithExposedHeaders("ETag", "Location", "Retry-After", "X-Correlation-Id", RequestContextMiddleware.ReplayedHeader, VitalEvents.Storage.ConsistencyToken.Header)
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = settings.CompressHttps;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json"];
        });
    }

    /// <summary>Who a request counts against: the token's user, or the client's address.</summary>
    private static string Caller(HttpContext http, AuthSettings auth) =>
        http.User.FindFirst(auth.UserClaim)?.Value is { } user ? $"user:{user}" : $"address:{http.Connection.RemoteIpAddress}";

    /// <summary>
    /// Headers every answer carries: no sniffing, no framing, no referrer; API answers hold personal data, so no cache may
    /// store them (revalidation with the entity tag stays possible), and they run no content.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, ConsoleSettings console)
    {
        // Signing out goes on to the authority's end-session endpoint: a form's redirect is held to form-action too.
        var formTargets = console.HasOpenIdConnect && Uri.TryCreate(console.Authority ?? console.MetadataAddress, UriKind.Absolute, out var authority)
            ? $"'self' {authority.GetLeftPart(UriPartial.Authority)}"
            : "'self'";
        return app.Use((http, next) =>
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/fhir") || http.Request.Path.StartsWithSegments("/openapi"))
        {
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            headers.CacheControl = "no-store";
        }
        else if (!ConsoleAuth.IsApi(http.Request))
        {
            // The console: its own scripts, styles and fonts only, forms posted only to itself (and on to the authority); its pages hold personal data,
            // so no cache keeps them (the fingerprinted static assets set their own, long, caching).
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
                $"connect-src 'self'; form-action {formTargets}; base-uri 'self'; object-src 'none'; frame-ancestors 'none'";
            // As antiforgery sets them on a page with a form (it would override anything else, with a warning each time).
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
        }
        return next(http);
    });
    }
}
