using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace VitalEvents.Api;

/// <summary>Mints bearer tokens signed with the local development key.</summary>
public static class Tokens
{
    public const string OfficeClaim = "office";

    public static string Mint(SecurityKey key, string user, IEnumerable<string> roles, string? office, TimeSpan lifetime, DateTimeOffset now,
        string? scope = null)
    {
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, user), new("name", user) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        if (office is not null) claims.Add(new Claim(OfficeClaim, office));
        if (scope is not null) claims.Add(new Claim("scope", scope));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SigningKey.Issuer,
            Audience = SigningKey.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
