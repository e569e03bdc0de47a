using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using VitalEvents.Pipeline;

namespace VitalEvents.Api;

/// <summary>
/// Who may call the registry (VitalEvents:Auth:*): bearer tokens from any OpenID Connect authority (its discovery document
/// and JWKS), signed with an asymmetric algorithm, for the configured issuer and audiences, with the registry's roles,
/// office and feed scopes in claims whose names are configuration. In the Development environment only, the registry also
/// issues tokens of its own (<see cref="DevelopmentTokens"/>).
/// </summary>
public sealed class AuthSettings
{
    public const string Section = "VitalEvents:Auth";

    /// <summary>Accept (and let the CLI mint) development tokens. Default: on in the Development environment; refused anywhere else.</summary>
    public bool? Development { get; set; }

    /// <summary>The OIDC authority (issuer URL): its /.well-known/openid-configuration gives the issuer and the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>Where the discovery document is, when not under the authority.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Refuse discovery over plain HTTP (on by default; off only for an authority on a trusted local network).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Issuers to accept besides the one discovery names (the <c>iss</c> claim).</summary>
    public string[] Issuers { get; set; } = [];

    /// <summary>Audiences a token must name one of (the <c>aud</c> claim).</summary>
    public string[] Audiences { get; set; } = [DevelopmentTokens.Audience];

    public string UserClaim { get; set; } = "sub";
    public string RoleClaim { get; set; } = "role";
    public string OfficeClaim { get; set; } = "office";

    /// <summary>The claim holding the caller's scopes (space-separated, as OAuth 2.0 writes them); the feed reads the first it knows.</summary>
    public string ScopeClaim { get; set; } = "scope";

    /// <summary>Signing algorithms accepted: asymmetric only.</summary>
    public string[] Algorithms { get; set; } =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, SecurityAlgorithms.RsaSsaPssSha256,
         SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384];

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The settings in configuration, checked against the environment: development tokens exist only in Development.</summary>
    public static AuthSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = configuration.GetSection(Section).Get<AuthSettings>() ?? new AuthSettings();
        settings.Development ??= environment.IsDevelopment();
        if (settings.Development == true && !environment.IsDevelopment())
            throw new InvalidOperationException(
                $"{Section}:Development is on in the {environment.EnvironmentName} environment: development tokens are accepted only in Development. " +
                $"Configure {Section}:Authority (an OpenID Connect issuer) instead.");
        return settings;
    }
}

public static class AuthSetup
{
    public static void AddRegistryAuth(this WebApplicationBuilder builder, AuthSettings settings)
    {
        builder.Services.AddSingleton(settings);
        var development = settings.Development == true ? DevelopmentTokens.Key(DevelopmentTokens.KeyPath(builder.Configuration)) : null;
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            if (settings.Authority is { Length: > 0 } authority) o.Authority = authority;
            if (settings.MetadataAddress is { Length: > 0 } metadata) o.MetadataAddress = metadata;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuers = [.. settings.Issuers, .. development is null ? [] : new[] { DevelopmentTokens.Issuer }],
                ValidateAudience = true,
                ValidAudiences = settings.Audiences,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidAlgorithms = settings.Algorithms,
                IssuerSigningKeys = development is null ? [] : [development],
                RoleClaimType = settings.RoleClaim,
                NameClaimType = settings.UserClaim,
                ClockSkew = settings.ClockSkew,
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.RecordPolicy, p => p.RequireRole(Roles.Registrar, Roles.Supervisor))
            .AddPolicy(Roles.SupervisePolicy, p => p.RequireRole(Roles.Supervisor))
            .AddPolicy(Roles.ReadPolicy, p => p.RequireRole(Roles.Registrar, Roles.Supervisor, Roles.Auditor))
            .AddPolicy(Roles.AuditPolicy, p => p.RequireRole(Roles.Auditor))
            .AddPolicy(Roles.FeedPolicy, p => p.RequireRole(Roles.Subscriber, Roles.Auditor, Roles.Admin))
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin));
    }
}
