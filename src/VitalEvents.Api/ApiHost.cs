using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.IdentityModel.Tokens;
using Microsoft.OpenApi;
using VitalEvents.Domain;
using VitalEvents.Integrity;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Api;

/// <summary>Builds the registry's web host: wiring, auth, OpenAPI, health.</summary>
public static class ApiHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = Settings(builder.Configuration, builder.Environment);

        builder.Services.AddVitalEvents(settings, Law(builder.Configuration));
        Feeds.Nats.NatsRelaySetup.AddNatsRelay(builder.Services, builder.Configuration);
        builder.Services.AddIntegrity(Integrity(builder.Configuration));
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ErrorHandling>();

        var key = SigningKey.LoadOrCreate(builder.Configuration["VitalEvents:SigningKeyPath"] ?? SigningKey.DefaultPath);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = SigningKey.Issuer,
                ValidAudience = SigningKey.Audience,
                IssuerSigningKey = key,
                RoleClaimType = "role",
                NameClaimType = "sub",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.RecordPolicy, p => p.RequireRole(Roles.Registrar, Roles.Supervisor))
            .AddPolicy(Roles.SupervisePolicy, p => p.RequireRole(Roles.Supervisor))
            .AddPolicy(Roles.ReadPolicy, p => p.RequireRole(Roles.Registrar, Roles.Supervisor, Roles.Auditor))
            .AddPolicy(Roles.FeedPolicy, p => p.RequireRole(Roles.Subscriber, Roles.Auditor, Roles.Admin))
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin));

        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "VitalEvents", Version = "v1", Description = "National civil-status registry, event-sourced." };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
            };
            return Task.CompletedTask;
        }));
        builder.Services.AddHealthChecks().AddNpgSql(settings.ConnectionString, name: "postgresql", tags: ["ready"]);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RequestContextMiddleware>();
        app.MapOpenApi();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapVitalEvents();
        IntegrityEndpoints.Map(app);
        return app;
    }

    /// <summary>The checkpoint signing key (VitalEvents:Integrity:KeyPath) and how often checkpoints are signed.</summary>
    public static IntegritySettings Integrity(IConfiguration configuration) => new(
        configuration["VitalEvents:Integrity:KeyPath"] ?? RegistryKey.DefaultPath(SigningKey.DataDirectory),
        TimeSpan.FromSeconds(configuration.GetValue("VitalEvents:Integrity:CheckpointSeconds", 60)),
        TimeSpan.FromSeconds(configuration.GetValue("VitalEvents:Integrity:SettleSeconds", 5)));

    /// <summary>The legal figures, from VitalEvents:Law (defaults: Iran's Civil Registration Law and Civil Code).</summary>
    public static RegistryLaw Law(IConfiguration configuration) =>
        configuration.GetSection("VitalEvents:Law").Get<RegistryLaw>() ?? RegistryLaw.Default;

    /// <summary>
    /// Where the data lives: the application's connection from VITALEVENTS_DB (or VitalEvents:Database), the owner's from
    /// VITALEVENTS_OWNER_DB (or VitalEvents:OwnerDatabase); else the local cluster the scripts run.
    /// </summary>
    public static StoreSettings Settings(IConfiguration configuration, IHostEnvironment environment)
    {
        var app = Environment.GetEnvironmentVariable("VITALEVENTS_DB") is { Length: > 0 } db ? db : configuration["VitalEvents:Database"];
        var owner = Environment.GetEnvironmentVariable("VITALEVENTS_OWNER_DB") is { Length: > 0 } o ? o : configuration["VitalEvents:OwnerDatabase"];
        return new StoreSettings(
            app ?? StoreSetup.LocalConnectionString,
            configuration["VitalEvents:Schema"] ?? "vitalevents",
            configuration.GetValue("VitalEvents:ApplySchemaOnStart", environment.IsDevelopment()),
            owner ?? (app is null ? StoreSetup.LocalOwnerConnectionString : app));
    }
}
