using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace VitalEvents.Tests;

/// <summary>
/// An OpenID Connect-shaped issuer run for real inside the test process: Kestrel on 127.0.0.1 at a random port, serving
/// a discovery document (issuer, jwks_uri) and a JWKS with one RSA-2048 key (RS256) and one P-256 key (ES256), and
/// minting access tokens with either. What the registry sees of it is what it sees of Keycloak or Azure AD.
/// For the console it is also an authorisation server for one client (<see cref="ConsoleClientId"/>): the authorisation-code
/// flow with PKCE (S256), the person "signing in" at the authority being whoever <see cref="SignInAs"/> names.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    public const string DefaultAudience = "api://vitalevents-test";
    public const string ConsoleClientId = "vitalevents-console";
    public const string ConsoleClientSecret = "console-secret-for-tests";

    /// <summary>The claims of the person who signs in at the authority's login page next (null: nobody can).</summary>
    public IDictionary<string, object>? SignInAs { get; set; }

    /// <summary>How many authorisation codes the token endpoint exchanged.</summary>
    public int CodesExchanged => Volatile.Read(ref _codesExchanged);

    private int _codesExchanged;
    private int _signOuts;

    /// <summary>How often a client sent the person to the authority's end-session endpoint.</summary>
    public int SignOuts => Volatile.Read(ref _signOuts);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PendingCode> _codes = new();

    private sealed record PendingCode(IDictionary<string, object> Claims, string RedirectUri, string? Nonce, string Challenge);

    private readonly WebApplication _app;
    private int _discoveryRequests;
    private int _jwksRequests;

    private TestOidcIssuer(WebApplication app, string authority, RsaSecurityKey rsa, ECDsaSecurityKey ecdsa)
    {
        (_app, Authority, RsaKey, EcKey) = (app, authority, rsa, ecdsa);
    }

    /// <summary>The issuer URL, as the registry's VitalEvents:Auth:Authority names it and as tokens carry it in <c>iss</c>.</summary>
    public string Authority { get; }

    public RsaSecurityKey RsaKey { get; }
    public ECDsaSecurityKey EcKey { get; }

    /// <summary>How often the discovery document and the JWKS were fetched (the registry fetches them itself).</summary>
    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var rsa = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-" + Guid.NewGuid().ToString("N")[..8] };
        var ecdsa = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-" + Guid.NewGuid().ToString("N")[..8] };

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestOidcIssuer? issuer = null;

        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref issuer!._discoveryRequests);
            return Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer.Authority,
                ["jwks_uri"] = $"{issuer.Authority}/.well-known/jwks.json",
                ["token_endpoint"] = $"{issuer.Authority}/token",
                ["authorization_endpoint"] = $"{issuer.Authority}/authorize",
                ["end_session_endpoint"] = $"{issuer.Authority}/logout",
                ["code_challenge_methods_supported"] = new[] { "S256" },
                ["response_modes_supported"] = new[] { "query", "form_post" },
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256 },
            });
        });
        app.MapGet("/.well-known/jwks.json", () =>
        {
            Interlocked.Increment(ref issuer!._jwksRequests);
            var r = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = rsa.KeyId });
            var e = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ecdsa.ECDsa.ExportParameters(false))) { KeyId = ecdsa.KeyId });
            return Json(new
            {
                keys = new object[]
                {
                    new { kty = r.Kty, use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = r.Kid, n = r.N, e = r.E },
                    new { kty = e.Kty, use = "sig", alg = SecurityAlgorithms.EcdsaSha256, kid = e.Kid, crv = e.Crv, x = e.X, y = e.Y },
                },
            });
        });

        app.MapGet("/authorize", (HttpRequest request) => issuer!.Authorize(request.Query));
        app.MapGet("/logout", (string? post_logout_redirect_uri, string? state) =>
        {
            Interlocked.Increment(ref issuer!._signOuts);
            return post_logout_redirect_uri is { Length: > 0 } back ? Results.Redirect($"{back}?state={Uri.EscapeDataString(state ?? "")}") : Results.Ok();
        });
        app.MapPost("/token", async (HttpRequest request) => issuer!.Exchange(await request.ReadFormAsync()));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        issuer = new TestOidcIssuer(app, address.TrimEnd('/'), rsa, ecdsa);
        return issuer;
    }

    // The login page of a real authority, reduced to its answer: the person named by SignInAs has signed in and consents.
    private IResult Authorize(IQueryCollection query)
    {
        if (query["client_id"] != ConsoleClientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256"
            || query["code_challenge"].ToString() is not { Length: 43 } challenge || query["redirect_uri"].ToString() is not { Length: > 0 } redirect
            || !((string?)query["scope"] ?? "").Split(' ').Contains("openid") || SignInAs is null)
            return Results.BadRequest("invalid_request");
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new PendingCode(new Dictionary<string, object>(SignInAs), redirect, query["nonce"], challenge);
        var state = query["state"].ToString();
        if (query["response_mode"] == "form_post")
        {
            var html = $"""
                <!DOCTYPE html><html><body onload="document.forms[0].submit()"><form method="post" action="{System.Net.WebUtility.HtmlEncode(redirect)}">
                <input type="hidden" name="code" value="{code}"><input type="hidden" name="state" value="{System.Net.WebUtility.HtmlEncode(state)}">
                <noscript><button>Continue</button></noscript></form></body></html>
                """;
            return Results.Content(html, "text/html");
        }
        return Results.Redirect($"{redirect}?code={code}&state={Uri.EscapeDataString(state)}");
    }

    private IResult Exchange(IFormCollection form)
    {
        if (form["grant_type"] != "authorization_code" || form["client_id"] != ConsoleClientId || form["client_secret"] != ConsoleClientSecret
            || !_codes.TryRemove(form["code"].ToString(), out var pending) || form["redirect_uri"] != pending.RedirectUri
            || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != pending.Challenge)
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        Interlocked.Increment(ref _codesExchanged);
        var claims = new Dictionary<string, object>(pending.Claims);
        if (pending.Nonce is not null) claims["nonce"] = pending.Nonce;
        return Json(new
        {
            access_token = Mint(pending.Claims),
            token_type = "Bearer",
            expires_in = 600,
            id_token = Mint(claims, audience: ConsoleClientId),
        });
    }

    private static IResult Json(object body) => Results.Text(JsonSerializer.Serialize(body), "application/json");

    /// <summary>
    /// An access token with <paramref name="claims"/> (a string[] value becomes a JSON array), signed with the issuer's
    /// RSA key (RS256) or P-256 key (ES256); the other arguments forge what the tests need to see refused.
    /// </summary>
    public string Mint(IDictionary<string, object> claims, string algorithm = SecurityAlgorithms.RsaSha256, string? audience = DefaultAudience,
        string? issuer = null, DateTimeOffset? expires = null, SigningCredentials? signing = null)
    {
        var now = DateTimeOffset.UtcNow;
        var exp = expires ?? now.AddMinutes(10);
        var notBefore = exp > now ? now.AddSeconds(-5) : exp.AddHours(-1);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Authority,
            Audience = audience,
            Claims = new Dictionary<string, object>(claims),
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = exp.UtcDateTime,
            SigningCredentials = signing ?? algorithm switch
            {
                SecurityAlgorithms.RsaSha256 => new SigningCredentials(RsaKey, SecurityAlgorithms.RsaSha256),
                SecurityAlgorithms.EcdsaSha256 => new SigningCredentials(EcKey, SecurityAlgorithms.EcdsaSha256),
                _ => throw new ArgumentException($"The issuer signs with RS256 or ES256, not {algorithm}.", nameof(algorithm)),
            },
        });
    }

    /// <summary>A token with no expiry at all (which the registry must refuse), signed with the RSA key.</summary>
    public string MintWithoutExpiry(IDictionary<string, object> claims, string? audience = DefaultAudience)
    {
        var payload = new Dictionary<string, object>(claims) { ["iss"] = Authority, ["aud"] = audience!, ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(JsonSerializer.Serialize(payload),
            new SigningCredentials(RsaKey, SecurityAlgorithms.RsaSha256));
    }

    /// <summary>The same claims as a valid token, with header <c>{"alg":"none"}</c> and no signature.</summary>
    public string Unsigned(IDictionary<string, object> claims)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new Dictionary<string, object>(claims)
        {
            ["iss"] = Authority, ["aud"] = DefaultAudience,
            ["iat"] = now.ToUnixTimeSeconds(), ["nbf"] = now.ToUnixTimeSeconds(), ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        };
        return $"{Encode(new { alg = "none", typ = "JWT" })}.{Encode(payload)}.";
    }

    private static string Encode(object value) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        RsaKey.Rsa.Dispose();
        EcKey.ECDsa.Dispose();
    }
}
