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

    /// <summary>Where the development key is: VitalEvents:Auth:DevelopmentKeyPath, else jwt-signing-key.pem under the data directory.</summary>
    public static string KeyPath(IConfiguration configuration) =>
        configuration[$"{AuthSettings.Section}:{nameof(AuthSettings.DevelopmentKeyPath)}"] is { Length: > 0 } path
            ? path
            : Path.Combine(DataDirectory.Path, "jwt-signing-key.pem");

    /// <summary>The development signing key (private; the public half verifies).</summary>
    public static ECDsaSecurityKey Key(string path)
    {
        var ecdsa = Integrity.RegistryKey.LoadOrCreate(path);
        return new ECDsaSecurityKey(ecdsa) { KeyId = Integrity.RegistryKey.Id(ecdsa) };
    }

    /// <summary>
    /// A development token for <paramref name="user"/>, with the claim names and the (first) audience of
    /// <paramref name="claims"/> (default: the registry's defaults), so the registry reads it as it reads its authority's.
    /// </summary>
    public static string Mint(ECDsaSecurityKey key, string user, IEnumerable<string> roles, string? office, TimeSpan lifetime, DateTimeOffset now,
        string? scope = null, AuthSettings? claims = null, string? agency = null, string? facility = null)
    {
        if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), "A token's lifetime is positive.");
        claims ??= new AuthSettings();
        var subject = new List<Claim> { new(claims.UserClaim, user) };
        if (claims.UserClaim != "name") subject.Add(new Claim("name", user));
        subject.AddRange(roles.Select(r => new Claim(claims.RoleClaim, r)));
        if (office is not null) subject.Add(new Claim(claims.OfficeClaim, office));
        if (scope is not null) subject.Add(new Claim(claims.ScopeClaim, scope));
        if (agency is not null) subject.Add(new Claim(claims.AgencyClaim, agency));
        if (facility is not null) subject.Add(new Claim(claims.FacilityClaim, facility));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = claims.Audiences.FirstOrDefault() ?? Audience,
            Subject = new ClaimsIdentity(subject),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>The development key's public half as a JWK (what /.well-known/jwks.json lists).</summary>
    public static JsonWebKey PublicJwk(ECDsaSecurityKey key)
    {
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(key.ECDsa.ExportParameters(false))) { KeyId = key.KeyId });
        jwk.Use = JsonWebKeyUseNames.Sig;
        jwk.Alg = SecurityAlgorithms.EcdsaSha256;
        return jwk;
    }

    /// <summary>The discovery document and the JWKS of the development issuer, served while development tokens are on.</summary>
    public static void MapIssuer(IEndpointRouteBuilder app, ECDsaSecurityKey key)
    {
        var jwk = PublicJwk(key);
        var jwks = new { keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, use = jwk.Use, alg = jwk.Alg } } };
        var group = app.MapGroup("/.well-known").WithTags("Development").AllowAnonymous();
        group.MapGet("/openid-configuration", (HttpRequest request) => TypedResults.Ok(new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["jwks_uri"] = $"{request.Scheme}://{request.Host}/.well-known/jwks.json",
                ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.EcdsaSha256 },
            }))
            .WithName("DevelopmentDiscovery").WithSummary("The development issuer's discovery document (Development only).");
        group.MapGet("/jwks.json", () => TypedResults.Ok(jwks))
            .WithName("DevelopmentJwks").WithSummary("The public key that verifies development tokens, as a JWK Set (Development only).");
    }
}
