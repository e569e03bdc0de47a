using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using VitalEvents.Storage;

namespace VitalEvents.Api;

/// <summary>
/// Tokens the registry issues itself, in the Development environment only: ES256 with a P-256 key created on first use
/// under the data directory. Its public key is published as a JWKS with a discovery document, as any OIDC issuer does.
/// </summary>
public static class DevelopmentTokens
{
    public const string Issuer = "urn:vitalevents:development";
    public const string Audience = "vitalevents";

    public static string KeyPath(IConfiguration configuration) =>
        configuration["VitalEvents:Auth:DevelopmentKeyPath"] ?? Path.Combine(DataDirectory.Path, "jwt-signing-key.pem");

    /// <summary>The development signing key (private; the public half verifies).</summary>
    public static ECDsaSecurityKey Key(string path)
    {
        var ecdsa = Integrity.RegistryKey.LoadOrCreate(path);
        return new ECDsaSecurityKey(ecdsa) { KeyId = Integrity.RegistryKey.Id(ecdsa) };
    }

    public static string Mint(ECDsaSecurityKey key, string user, IEnumerable<string> roles, string? office, TimeSpan lifetime, DateTimeOffset now,
        string? scope = null, AuthSettings? claims = null)
    {
        claims ??= new AuthSettings();
        var subject = new List<Claim> { new(claims.UserClaim, user), new("name", user) };
        subject.AddRange(roles.Select(r => new Claim(claims.RoleClaim, r)));
        if (office is not null) subject.Add(new Claim(claims.OfficeClaim, office));
        if (scope is not null) subject.Add(new Claim(claims.ScopeClaim, scope));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(subject),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>The discovery document and the JWKS of the development issuer, served while development tokens are on.</summary>
    public static void MapIssuer(IEndpointRouteBuilder app, ECDsaSecurityKey key)
    {
        var group = app.MapGroup("/.well-known").WithTags("Development").AllowAnonymous();
        group.MapGet("/openid-configuration", (HttpRequest request) => TypedResults.Ok(new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["jwks_uri"] = $"{request.Scheme}://{request.Host}/.well-known/jwks.json",
                ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.EcdsaSha256 },
            }))
            .WithName("DevelopmentDiscovery").WithSummary("The development issuer's discovery document (Development only).");
        group.MapGet("/jwks.json", () =>
            {
                var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(key.ECDsa.ExportParameters(false))) { KeyId = key.KeyId });
                return TypedResults.Ok(new { keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, use = "sig", alg = SecurityAlgorithms.EcdsaSha256 } } });
            })
            .WithName("DevelopmentJwks").WithSummary("The public key that verifies development tokens, as a JWK Set (Development only).");
    }
}
