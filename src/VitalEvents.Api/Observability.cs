using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using VitalEvents.Pipeline;

namespace VitalEvents.Api;

/// <summary>
/// Traces (HTTP in and out, Npgsql, Marten, the registry's commands and reads) and metrics (the same, plus feeds and
/// webhooks), exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (traces are recorded only then, or when
/// VitalEvents:Tracing is true) and metrics always on /metrics for Prometheus. Logs are
/// JSON on the console outside Development. No national code reaches a log line at Information or a span: paths are
/// written with codes masked.
/// </summary>
public static partial class Observability
{
    public const string MetricsPath = "/metrics";

    /// <summary>Records spans without an OTLP endpoint, for an exporter added in process (a test's, say).</summary>
    public const string TracingKey = "VitalEvents:Tracing";

    public static void AddRegistryTelemetry(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders();
            // No scopes: the host's request scope carries the path, and with it national codes.
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                o.IncludeScopes = false;
            });
        }
        // One line per request costs more than many a request's work: at Warning unless configured (Logging:LogLevel:VitalEvents.Api.RequestLog).
        builder.Configuration[$"Logging:LogLevel:{typeof(RequestLog).FullName}"] ??= nameof(LogLevel.Warning);
        // The host's own request lines carry the path, and so national codes: RequestLog writes them with the route instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning);
        // The async daemon writes a line for every page of events it projects: at Warning unless configured (its progress is on
        // /api/statistics/status and the vitalevents.projection.lag gauges).
        builder.Configuration["Logging:LogLevel:Marten.Events.Daemon"] ??= nameof(LogLevel.Warning);
        // Marten's own logger would write SQL parameters (national codes): the store logs through MartenLogging instead.

        var exported = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "vitalevents"))
            .WithMetrics(metrics => metrics
                .AddMeter(Telemetry.Name, "Marten", "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        // Spans that nobody receives still cost every request and every command their recording: traced only when exported.
        if (exported || builder.Configuration.GetValue<bool>(TracingKey))
            telemetry.WithTracing(tracing => tracing
                .AddSource(Telemetry.Name, "Marten", "Npgsql")
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = http => !http.Request.Path.StartsWithSegments(MetricsPath) && !http.Request.Path.StartsWithSegments("/health");
                    o.EnrichWithHttpRequest = (activity, request) => activity.SetTag("url.path", Mask(request.Path.Value));
                    o.EnrichWithHttpResponse = (activity, response) =>
                    {
                        if (response.HttpContext.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
                            activity.DisplayName = $"{response.HttpContext.Request.Method} {route}";
                    };
                })
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                    activity.SetTag("url.full", request.RequestUri is { } uri ? $"{uri.Scheme}://{uri.Authority}{Mask(uri.AbsolutePath)}" : null)));
        if (exported) telemetry.UseOtlpExporter();
    }

    /// <summary>
    /// The command line's telemetry: when OTEL_EXPORTER_OTLP_ENDPOINT is set, what a command measures (a rebuild's or a
    /// check's runs and duration, its commands and SQL) is exported over OTLP, flushed when the command's host is disposed.
    /// </summary>
    public static void AddCommandLineTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "vitalevents-cli"))
            .WithTracing(tracing => tracing.AddSource(Telemetry.Name, "Marten", "Npgsql"))
            .WithMetrics(metrics => metrics.AddMeter(Telemetry.Name, "Marten", "Npgsql"))
            .UseOtlpExporter();
    }

    /// <summary>Creates the command line's telemetry providers (a host that is never started would not), so they export on disposal.</summary>
    public static void StartCommandLineTelemetry(this IServiceProvider services)
    {
        services.GetService<MeterProvider>();
        services.GetService<TracerProvider>();
    }

    /// <summary>A path or text with every run of eight or more digits (a national code, in any digits) masked.</summary>
    public static string? Mask(string? text) => text is null ? null : LongNumber().Replace(text, "{code}");

    [GeneratedRegex(@"[0-9\u06F0-\u06F9\u0660-\u0669]{8,}")]
    private static partial Regex LongNumber();
}

/// <summary>
/// One log line per request, at Information, naming the route rather than the path (so no national code); off unless its category is
/// configured at Information (the registry sets it to Warning by default).
/// </summary>
public sealed class RequestLog(RequestDelegate next, ILogger<RequestLog> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            if (!http.Request.Path.StartsWithSegments(Observability.MetricsPath) && !http.Request.Path.StartsWithSegments("/health"))
            {
                var route = http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern } ? pattern : Observability.Mask(http.Request.Path.Value);
                logger.LogInformation("HTTP {Method} {Route} answered {Status} in {Elapsed:0.0} ms", http.Request.Method, route, http.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }
}
