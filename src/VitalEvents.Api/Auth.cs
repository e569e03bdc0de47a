using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using VitalEvents.Pipeline;

namespace VitalEvents.Api;

/// <summary>
/// Who may call the registry (VitalEvents:Auth:*): bearer tokens from any OpenID Connect authority (its discovery document
/// and JWKS), signed with an asymmetric algorithm, for the configured issuer and audiences, with the registry's roles,
/// office and feed scopes in claims whose names are configuration. In the Development environment only, the registry also
/// issues tokens of its own (<see cref="DevelopmentTokens"/>). docs/auth.md describes every setting.
/// </summary>
public sealed class AuthSettings
{
    public const string Section = "VitalEvents:Auth";

    /// <summary>The signing algorithms a setting may name: RSA PKCS#1, RSA-PSS and ECDSA. No HMAC, no <c>none</c>.</summary>
    public static readonly IReadOnlySet<string> AsymmetricAlgorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    };

    /// <summary>Accept (and let the CLI mint) development tokens. Default: on in the Development environment; refused anywhere else.</summary>
    public bool? Development { get; set; }

    /// <summary>Where the development signing key is kept (default: jwt-signing-key.pem under the data directory).</summary>
    public string? DevelopmentKeyPath { get; set; }

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

    /// <summary>The claim naming the user (kept with every write and read); a token without it is refused.</summary>
    public string UserClaim { get; set; } = "sub";

    /// <summary>The claim holding the caller's roles (one claim per role, or a JSON array).</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>The claim naming the registry office (county code) the caller acts for; every write needs one.</summary>
    public string OfficeClaim { get; set; } = "office";

    /// <summary>The claim naming the agency (a registered verification client) a verifier acts for.</summary>
    public string AgencyClaim { get; set; } = "agency";

    /// <summary>The claim naming the facility (a registered hospital or maternity unit) a hospital user notifies births for.</summary>
    public string FacilityClaim { get; set; } = "facility";

    /// <summary>The claim holding the caller's scopes (space-separated, as OAuth 2.0 writes them); the feed reads the first it knows.</summary>
    public string ScopeClaim { get; set; } = "scope";

    /// <summary>Signing algorithms accepted: asymmetric only.</summary>
    public string[] Algorithms { get; set; } =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, SecurityAlgorithms.RsaSsaPssSha256,
         SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384];

    /// <summary>How far a token's exp and nbf may be off the registry's clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when tokens come from an OpenID Connect authority (discovery), not only from the development key.</summary>
    public bool HasAuthority => Authority is { Length: > 0 } || MetadataAddress is { Length: > 0 };

    /// <summary>
    /// The settings in configuration, checked: development tokens exist only in Development; unknown keys (a misspelt
    /// setting), HMAC or <c>none</c> algorithms, discovery over plain HTTP while HTTPS is required, and empty claim names
    /// stop the registry at startup with a message naming the setting.
    /// </summary>
    public static AuthSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(Section);
        // The lists are read apart: the binder would append configured items to the defaults (a configured list replaces
        // them), and cannot read a list given as one value.
        string[] lists = [nameof(Issuers), nameof(Audiences), nameof(Algorithms)];
        var scalars = new ConfigurationBuilder().AddInMemoryCollection(section.AsEnumerable(makePathsRelative: true)
            .Where(s => !lists.Any(l => s.Key.Equals(l, StringComparison.OrdinalIgnoreCase) || s.Key.StartsWith(l + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase))))
            .Build();
        AuthSettings settings;
        try
        {
            settings = scalars.Get<AuthSettings>(o => o.ErrorOnUnknownConfiguration = true) ?? new AuthSettings();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{Section}: {e.Message} The settings are listed in docs/auth.md.", e);
        }
        settings.Issuers = List(section, nameof(Issuers)) ?? settings.Issuers;
        settings.Audiences = List(section, nameof(Audiences)) ?? [DevelopmentTokens.Audience];
        settings.Algorithms = List(section, nameof(Algorithms)) ?? new AuthSettings().Algorithms;

        settings.Development ??= environment.IsDevelopment();
        if (settings.Development == true && !environment.IsDevelopment())
            throw new InvalidOperationException(
                $"{Section}:Development is on in the {environment.EnvironmentName} environment: development tokens are accepted only in Development. " +
                $"Configure {Section}:Authority (an OpenID Connect issuer) instead.");
        settings.Check();
        return settings;
    }

    private void Check()
    {
        foreach (var (name, address) in new[] { (nameof(Authority), Authority), (nameof(MetadataAddress), MetadataAddress) })
        {
            if (address is not { Length: > 0 }) continue;
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                throw new InvalidOperationException($"{Section}:{name} '{address}' is not an absolute http(s) URL.");
            if (RequireHttpsMetadata && uri.Scheme != Uri.UriSchemeHttps)
                throw new InvalidOperationException(
                    $"{Section}:{name} '{address}' is plain HTTP while {Section}:RequireHttpsMetadata is on: use HTTPS, or turn it off for an authority on a trusted local network.");
        }
        if (Audiences.Length == 0 || Audiences.Any(string.IsNullOrWhiteSpace))
            throw new InvalidOperationException($"{Section}:Audiences must name at least one audience, and no empty one.");
        if (Algorithms.Length == 0)
            throw new InvalidOperationException($"{Section}:Algorithms must name at least one algorithm.");
        if (Algorithms.FirstOrDefault(a => !AsymmetricAlgorithms.Contains(a)) is { } refused)
            throw new InvalidOperationException(
                $"{Section}:Algorithms names '{refused}': only asymmetric signatures are accepted ({string.Join(", ", AsymmetricAlgorithms)}).");
        foreach (var (name, claim) in new[] { (nameof(UserClaim), UserClaim), (nameof(RoleClaim), RoleClaim), (nameof(OfficeClaim), OfficeClaim), (nameof(ScopeClaim), ScopeClaim), (nameof(AgencyClaim), AgencyClaim), (nameof(FacilityClaim), FacilityClaim) })
            if (string.IsNullOrWhiteSpace(claim)) throw new InvalidOperationException($"{Section}:{name} must name a claim.");
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(10))
            throw new InvalidOperationException($"{Section}:ClockSkew is from 00:00:00 to 00:10:00.");
    }

    /// <summary>
    /// A list setting: indexed items (<c>Audiences:0</c>, <c>VitalEvents__Auth__Audiences__0</c>), or one value holding the
    /// items separated by commas or spaces (<c>VitalEvents__Auth__Audiences=a,b</c>); null when not configured.
    /// </summary>
    private static string[]? List(IConfigurationSection section, string name)
    {
        var list = section.GetSection(name);
        var items = list.GetChildren().Select(c => c.Value).OfType<string>().Select(v => v.Trim()).ToArray();
        if (items.Length > 0) return items;
        return list.Value is { } value ? value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
    }
}

public static class AuthSetup
{
    /// <summary>The longest user id the registry keeps; a longer one (or one with control characters) is refused.</summary>
    public const int MaxUserIdLength = 200;

    public static AuthenticationBuilder AddRegistryAuth(this WebApplicationBuilder builder, AuthSettings settings)
    {
        builder.Services.AddSingleton(settings);
        builder.Services.AddHostedService<AuthStartupCheck>();
        var development = settings.Development == true ? DevelopmentTokens.Key(DevelopmentTokens.KeyPath(builder.Configuration)) : null;
        var authentication = builder.Services.AddAuthentication(ConsoleAuth.Scheme).AddJwtBearer(o =>
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
            o.Events = new JwtBearerEvents
            {
                // Every write and every read is kept with the user who made it: a token that names none is no identity.
                OnTokenValidated = context =>
                {
                    if (context.Principal?.FindFirst(settings.UserClaim)?.Value is not { Length: > 0 and <= MaxUserIdLength } user || !TextRules.IsAcceptable(user))
                        context.Fail($"The token has no usable '{settings.UserClaim}' claim (the user).");
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.RecordPolicy, p => p.RequireRole(Roles.Registrar, Roles.Supervisor))
            .AddPolicy(Roles.SupervisePolicy, p => p.RequireRole(Roles.Supervisor))
            .AddPolicy(Roles.ReadPolicy, p => p.RequireRole(Roles.Registrar, Roles.Supervisor, Roles.Auditor))
            .AddPolicy(Roles.AuditPolicy, p => p.RequireRole(Roles.Auditor))
            .AddPolicy(Roles.FeedPolicy, p => p.RequireRole(Roles.Subscriber, Roles.Auditor, Roles.Admin))
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.CitizenPolicy, p => p.RequireRole(Roles.Citizen))
            .AddPolicy(Roles.VerifyPolicy, p => p.RequireRole(Roles.Verifier))
            .AddPolicy(Roles.NotifyPolicy, p => p.RequireRole(Roles.Hospital))
            .AddPolicy(Roles.StatisticsPolicy, p => p.RequireRole(Roles.Statistician));
        return authentication;
    }

    /// <summary>Says at startup where tokens come from, and warns when nothing can issue one (every request with a token is then 401).</summary>
    private sealed class AuthStartupCheck(AuthSettings settings, ILogger<AuthStartupCheck> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!settings.HasAuthority && settings.Development != true)
                logger.LogWarning("No {Section}:Authority is configured and development tokens are off: every bearer token will be refused. See docs/auth.md.",
                    AuthSettings.Section);
            else
                logger.LogInformation("Bearer tokens from {Authority}{Development}, audiences {Audiences}.",
                    settings.Authority ?? settings.MetadataAddress ?? "no authority", settings.Development == true ? " and the development key" : "",
                    string.Join(", ", settings.Audiences));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
