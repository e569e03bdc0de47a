using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using VitalEvents.Pipeline;
using VitalEvents.Web.Account;

namespace VitalEvents.Api;

/// <summary>
/// How people sign in to the web console (VitalEvents:Console:*): OpenID Connect's authorisation-code flow with PKCE against
/// the registry's authority, the same roles and office claims as the API's tokens; in the Development environment a sign-in
/// page that mints a development token instead. docs/auth.md describes every setting.
/// </summary>
public sealed class ConsoleSettings
{
    public const string Section = "VitalEvents:Console";

    /// <summary>The OIDC authority people sign in at (default: VitalEvents:Auth:Authority).</summary>
    public string? Authority { get; set; }

    /// <summary>Where the discovery document is, when not under the authority.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The console's client id at the authority; without one the console has no OpenID Connect sign-in.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client's secret, for a confidential client (PKCE is used either way).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The scopes asked for, besides <c>openid</c>.</summary>
    public string[] Scopes { get; set; } = ["profile"];

    /// <summary>Refuse discovery over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How long a signed-in session lasts without use; every request renews it.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Where the data-protection keys that protect the session cookie are kept (shared by every instance); default: the data directory.</summary>
    public string? KeysPath { get; set; }

    public bool HasOpenIdConnect => ClientId is { Length: > 0 };

    public static ConsoleSettings From(IConfiguration configuration, AuthSettings auth)
    {
        ConsoleSettings settings;
        try
        {
            settings = configuration.GetSection(Section).Get<ConsoleSettings>(o => o.ErrorOnUnknownConfiguration = true) ?? new ConsoleSettings();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{Section}: {e.Message} The settings are listed in docs/auth.md.", e);
        }
        settings.Authority ??= auth.Authority;
        settings.MetadataAddress ??= auth.MetadataAddress;
        if (settings.HasOpenIdConnect && settings.Authority is not { Length: > 0 } && settings.MetadataAddress is not { Length: > 0 })
            throw new InvalidOperationException($"{Section}:ClientId is set but no authority is: set {Section}:Authority or {AuthSettings.Section}:Authority.");
        if (settings.IdleTimeout < TimeSpan.FromMinutes(1) || settings.IdleTimeout > TimeSpan.FromHours(12))
            throw new InvalidOperationException($"{Section}:IdleTimeout is from 00:01:00 to 12:00:00.");
        return settings;
    }
}

public static class ConsoleAuth
{
    /// <summary>The scheme that picks bearer tokens for the API and the session cookie for the console, by the request.</summary>
    public const string Scheme = "registry";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>Requests for the API and the machine endpoints: bearer tokens only, never the console's cookie (so no cross-site request forgery).</summary>
    /// <summary>The status pages are two: problem details for the API (outer) and the console's pages (inner, re-executed); an API request turns the inner one off.</summary>
    public static Task LeaveApiStatusToProblemDetails(HttpContext http, RequestDelegate next)
    {
        if (IsApi(http.Request) && http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } console) console.Enabled = false;
        return next(http);
    }

    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/fhir") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/health")
        || request.Path.StartsWithSegments(Observability.MetricsPath) || request.Path.StartsWithSegments("/.well-known")
        || request.Path.StartsWithSegments("/scalar") || request.Headers.Authorization.Count > 0;

    public static void AddConsoleAuth(this WebApplicationBuilder builder, AuthenticationBuilder authentication, AuthSettings auth, ConsoleSettings settings)
    {
        builder.Services.AddSingleton(settings);
        var keys = builder.Services.AddDataProtection().SetApplicationName("VitalEvents");
        keys.PersistKeysToFileSystem(new DirectoryInfo(settings.KeysPath ?? Path.Combine(Storage.DataDirectory.Path, "console-keys")));

        authentication.AddPolicyScheme(Scheme, "API bearer token or console session", o =>
            o.ForwardDefaultSelector = http => IsApi(http.Request) ? JwtBearerDefaults.AuthenticationScheme : CookieScheme);
        authentication.AddCookie(CookieScheme, o =>
        {
            var development = builder.Environment.IsDevelopment();
            // __Host-: sent only over HTTPS, for this host and every path, never set by a sibling domain.
            o.Cookie.Name = development ? "vitalevents-session" : "__Host-vitalevents-session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = settings.IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            if (settings.HasOpenIdConnect) o.ForwardChallenge = OidcScheme;
            o.Events.OnRedirectToAccessDenied = context =>
            {
                // The console answers 403 with its own page (the status pages re-execute to it), not a redirect.
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        if (settings.HasOpenIdConnect)
            authentication.AddOpenIdConnect(OidcScheme, o =>
            {
                o.SignInScheme = CookieScheme;
                o.Authority = settings.Authority;
                if (settings.MetadataAddress is { Length: > 0 } metadata) o.MetadataAddress = metadata;
                o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                o.ClientId = settings.ClientId;
                o.ClientSecret = settings.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SaveTokens = false;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.CallbackPath = "/signin-oidc";
                o.SignedOutCallbackPath = "/signout-callback-oidc";
                o.Scope.Clear();
                o.Scope.Add("openid");
                foreach (var scope in settings.Scopes) o.Scope.Add(scope);
                o.TokenValidationParameters.NameClaimType = auth.UserClaim;
                o.TokenValidationParameters.RoleClaimType = auth.RoleClaim;
                o.TokenValidationParameters.ValidAlgorithms = auth.Algorithms;
                o.Events.OnTokenValidated = context =>
                {
                    if (context.Principal?.FindFirst(auth.UserClaim)?.Value is not { Length: > 0 and <= AuthSetup.MaxUserIdLength } user || !TextRules.IsAcceptable(user))
                        context.Fail($"The identity token has no usable '{auth.UserClaim}' claim (the user).");
                    return Task.CompletedTask;
                };
            });
        if (auth.Development == true) builder.Services.AddSingleton<IDevelopmentSignIn, DevelopmentSignIn>();
    }

    /// <summary>Sign-out (a form post, so a link elsewhere cannot sign anyone out) and the language switch.</summary>
    public static void MapConsoleAccount(this WebApplication app, ConsoleSettings settings)
    {
        app.MapPost("/signout", async (HttpContext http, [FromForm] string? returnUrl) =>
            {
                await http.SignOutAsync(CookieScheme);
                if (settings.HasOpenIdConnect && http.User.Identity?.IsAuthenticated == true)
                    return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OidcScheme]);
                return Results.LocalRedirect("/");
            })
            .ExcludeFromDescription();
        app.MapGet("/signin/oidc", (string? returnUrl) => settings.HasOpenIdConnect
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = ReturnUrls.Local(returnUrl) }, [OidcScheme])
                : Results.NotFound())
            .ExcludeFromDescription();
    }

    /// <summary>
    /// Development sign-in: the person picks a user, a role and an office; the registry mints a development token for them and
    /// reads it back exactly as it reads a bearer token, so the session carries what an API caller's token would.
    /// </summary>
    private sealed class DevelopmentSignIn(IConfiguration configuration, AuthSettings auth, IOptionsMonitor<JwtBearerOptions> bearer, TimeProvider clock)
        : IDevelopmentSignIn
    {
        public async Task<ClaimsPrincipal> PrincipalAsync(string user, string role, string office, string? agency = null, string? facility = null)
        {
            var key = DevelopmentTokens.Key(DevelopmentTokens.KeyPath(configuration));
            var token = DevelopmentTokens.Mint(key, user, [role], office.Length == 0 ? null : office, TimeSpan.FromHours(1), clock.GetUtcNow(), claims: auth,
                agency: agency, facility: facility);
            var validation = bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, validation);
            if (!result.IsValid) throw new InvalidOperationException("The development token the registry minted does not validate.", result.Exception);
            var claims = result.ClaimsIdentity.Claims.Where(c => c.Type == auth.UserClaim || c.Type == auth.RoleClaim || c.Type == auth.OfficeClaim || c.Type == auth.AgencyClaim || c.Type == auth.FacilityClaim || c.Type == "name");
            return new ClaimsPrincipal(new ClaimsIdentity(claims, "development", auth.UserClaim, auth.RoleClaim));
        }
    }
}
