using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Scalar.AspNetCore;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;
using VitalEvents.Web;

namespace VitalEvents.Api;

/// <summary>Builds the registry's web host: wiring, auth, HTTP conventions, OpenAPI, health, telemetry.</summary>
public static class ApiHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // One name whichever program hosts it (the CLI's serve too): the static assets' manifest is found by it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(ApiHost).Assembly.GetName().Name });
        configure?.Invoke(builder);
        var settings = Settings(builder.Configuration, builder.Environment);
        var auth = AuthSettings.From(builder.Configuration, builder.Environment);
        var http = builder.Configuration.GetSection(HttpSettings.Section).Get<HttpSettings>() ?? new HttpSettings();
        if (!http.IsValid) throw new InvalidOperationException($"{HttpSettings.Section}: RateLimitBurst and RateLimitPerSecond must be positive.");

        builder.Services.AddVitalEvents(builder.Configuration, settings, Law(builder.Configuration));
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new CheckedStringConverter());
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            Problems.Complete(c.ProblemDetails, c.HttpContext, c.HttpContext.RequestServices.GetRequiredService<RequestContext>().CorrelationId));
        // /fhir answers its problems (401, 403, 404, 429, 500) as FHIR OperationOutcomes; first, so the framework's writer does not take them.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, VitalEvents.BirthNotifications.FhirProblemWriter>());
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        builder.Services.AddExceptionHandler<ErrorHandling>();
        var console = ConsoleSettings.From(builder.Configuration, auth);
        builder.AddConsoleAuth(builder.AddRegistryAuth(auth), auth, console);
        builder.AddHttpHardening(http, auth);
        builder.AddRegistryOpenApi();
        builder.AddRegistryTelemetry();
        // Development's catch-all for files added after start-up would answer GET on a write-only API address with 404 instead of 405.
        builder.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] ??= "true";
        builder.Services.AddRegistryConsole(new Web.Account.SignInMethods(console.HasOpenIdConnect));
        builder.Services.AddHealthChecks().AddNpgSql(settings.ConnectionString, name: "postgresql", tags: ["ready"]);

        var app = builder.Build();
        app.UseMiddleware<RequestLog>();
        app.Use(RequestContextMiddleware.Correlate);
        // The API answers problem details; the console answers with its error pages (ErrorHandling leaves console requests to them).
        app.UseWhen(http => !ConsoleAuth.IsApi(http.Request), console => console.UseConsoleLanguage());
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = Web.Errors.ConsoleErrors.RenderFailure });
        app.UseStatusCodePages();
        app.UseStatusCodePages(status => Web.Errors.ConsoleErrors.Render(status.HttpContext, status.HttpContext.Response.StatusCode));
        app.Use(ConsoleAuth.LeaveApiStatusToProblemDetails);
        app.UseSecurityHeaders(console);
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseResponseCompression();
        app.UseCors(HttpHardening.CorsPolicy);
        app.UseAuthentication();
        app.Use(RequestContextMiddleware.Identify);
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<TextGuardMiddleware>();
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseMiddleware<ConsistencyMiddleware>();

        app.MapOpenApi().DisableRateLimiting();
        if (app.Environment.IsDevelopment()) app.MapScalarApiReference("/scalar", o => o.WithTitle("VitalEvents API")).DisableRateLimiting();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).DisableRateLimiting();
        app.MapPrometheusScrapingEndpoint(Observability.MetricsPath).DisableRateLimiting();
        if (auth.Development == true) DevelopmentTokens.MapIssuer(app, DevelopmentTokens.Key(DevelopmentTokens.KeyPath(app.Configuration)));

        var api = app.MapGroup("/api").AnswersHead();
        foreach (var capability in Capabilities.All) capability.Endpoints(api);
        foreach (var capability in Capabilities.All) capability.RootEndpoints(app);
        app.UseAntiforgery();
        app.MapConsoleAccount(console);
        app.MapRegistryConsole();
        return app;
    }

    /// <summary>The legal figures, from VitalEvents:Law (defaults: Iran's Civil Registration Law and Civil Code).</summary>
    public static RegistryLaw Law(IConfiguration configuration) =>
        configuration.GetSection("VitalEvents:Law").Get<RegistryLaw>() ?? RegistryLaw.Default;

    /// <summary>
    /// Where the data lives: the application's connection from VitalEvents:Database (or VITALEVENTS_DB, which the scripts set),
    /// the owner's from VitalEvents:OwnerDatabase (or VITALEVENTS_OWNER_DB); else the local cluster the scripts run. Reads that may
    /// trail go to VitalEvents:ReadDatabase (or VITALEVENTS_READ_DB) when set. The application's
    /// pool gets the registry's settings (<see cref="StoreSetup.Pooled"/>) where its connection string does not set them.
    /// </summary>
    public static StoreSettings Settings(IConfiguration configuration, IHostEnvironment environment)
    {
        var app = configuration["VitalEvents:Database"] is { Length: > 0 } db ? db : Environment.GetEnvironmentVariable("VITALEVENTS_DB") is { Length: > 0 } e ? e : null;
        var owner = configuration["VitalEvents:OwnerDatabase"] is { Length: > 0 } o ? o
            : Environment.GetEnvironmentVariable("VITALEVENTS_OWNER_DB") is { Length: > 0 } eo ? eo : null;
        var reads = configuration["VitalEvents:ReadDatabase"] is { Length: > 0 } r ? r
            : Environment.GetEnvironmentVariable("VITALEVENTS_READ_DB") is { Length: > 0 } er ? er : null;
        return new StoreSettings(
            StoreSetup.Pooled(app ?? StoreSetup.LocalConnectionString),
            configuration["VitalEvents:Schema"] ?? "vitalevents",
            configuration.GetValue("VitalEvents:ApplySchemaOnStart", environment.IsDevelopment()),
            owner ?? (app is null ? StoreSetup.LocalOwnerConnectionString : app))
        {
            ReadConnectionString = reads,
            ReadWait = TimeSpan.FromMilliseconds(configuration.GetValue("VitalEvents:ReadWaitMilliseconds", 1000)),
        };
    }
}
