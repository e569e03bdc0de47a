using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using VitalEvents.Api;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>The claims of an access token, with the registry's default claim names unless told otherwise.</summary>
internal static class TokenClaims
{
    public static Dictionary<string, object> Of(string user, string[] roles, string? office = null, object? scope = null,
        string userClaim = "sub", string roleClaim = "role", string officeClaim = "office", string scopeClaim = "scope")
    {
        var claims = new Dictionary<string, object> { [userClaim] = user, [roleClaim] = roles };
        if (office is not null) claims[officeClaim] = office;
        if (scope is not null) claims[scopeClaim] = scope;
        return claims;
    }

    public static HttpClient Bearer(this RegistryFactory registry, string token)
    {
        var client = registry.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>
/// A registry in the Production environment whose tokens come from <see cref="TestOidcIssuer"/>, a real OIDC-shaped issuer
/// on a random local port: the registry finds its keys through discovery, as it would Keycloak's or Azure AD's.
/// </summary>
public class ExternalAuthority : IAsyncLifetime
{
    public TestOidcIssuer Issuer { get; private set; } = null!;
    public RegistryFactory Registry { get; private set; } = null!;

    /// <summary>Settings beyond the authority's (claim names, for one).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Extra => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Issuer = await TestOidcIssuer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["VitalEvents:ApplySchemaOnStart"] = "true",
            ["VitalEvents:Auth:Authority"] = Issuer.Authority,
            ["VitalEvents:Auth:RequireHttpsMetadata"] = "false",
            ["VitalEvents:Auth:Audiences:0"] = TestOidcIssuer.DefaultAudience,
        };
        foreach (var (key, value) in Extra) settings[key] = value;
        Registry = new RegistryFactory(settings);
        await Registry.ResetAsync();
    }

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

/// <summary>The same, with the claim names of a Keycloak-style authority.</summary>
public sealed class ExternalAuthorityWithOwnClaimNames : ExternalAuthority
{
    protected override IReadOnlyDictionary<string, string?> Extra => new Dictionary<string, string?>
    {
        ["VitalEvents:Auth:UserClaim"] = "preferred_username",
        ["VitalEvents:Auth:RoleClaim"] = "roles",
        ["VitalEvents:Auth:OfficeClaim"] = "registry_office",
        ["VitalEvents:Auth:ScopeClaim"] = "scp",
    };
}

/// <summary>Production auth: tokens of an external OIDC authority, and nothing else.</summary>
public sealed class ExternalAuthorityTests(ExternalAuthority authority) : IClassFixture<ExternalAuthority>, IAsyncLifetime
{
    private const string NoOne = "0012345679";
    private TestOidcIssuer Issuer => authority.Issuer;
    private RegistryFactory Registry => authority.Registry;

    public Task InitializeAsync() => Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Client(string role, string? office = "001", string algorithm = SecurityAlgorithms.RsaSha256, object? scope = null) =>
        Registry.Bearer(Issuer.Mint(TokenClaims.Of($"{role}-{algorithm}", [role], office, scope), algorithm));

    [Fact]
    public async Task RS256_and_ES256_tokens_from_the_authority_are_accepted()
    {
        var registrar = Client("registrar", "001", SecurityAlgorithms.RsaSha256);
        var code = await registrar.Born();

        var auditor = Client("auditor", office: null, SecurityAlgorithms.EcdsaSha256);
        var person = await auditor.Person(code);
        person.Str("nationalCode").Should().Be(code);

        (await Client("registrar", "001", SecurityAlgorithms.EcdsaSha256).PostAsJsonAsync("/api/births", Birth("مریم", "احمدی", "female")))
            .StatusCode.Should().Be(HttpStatusCode.Created, "an ES256 registrar writes too");
        (await Client("auditor", null, SecurityAlgorithms.RsaSha256).GetAsync($"/api/persons/{code}")).StatusCode.Should().Be(HttpStatusCode.OK);
        Issuer.DiscoveryRequests.Should().BeGreaterThan(0, "the registry found the keys through the authority's discovery document");
        Issuer.JwksRequests.Should().BeGreaterThan(0);
    }

    public static TheoryData<string> Refused() =>
    [
        "wrong audience", "wrong issuer", "expired", "no expiry", "unknown key", "unknown key under a known kid", "alg none",
        "HS256 with a random secret", "HS256 with the RSA public key as the secret", "no user claim",
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_token_that_is_not_the_authority_s_for_this_registry_is_401(string forgery)
    {
        var claims = TokenClaims.Of("mallory", ["registrar", "auditor", "admin"], "001");
        var token = forgery switch
        {
            "wrong audience" => Issuer.Mint(claims, audience: "api://some-other-service"),
            "wrong issuer" => Issuer.Mint(claims, issuer: "http://127.0.0.1:1/realms/elsewhere"),
            "expired" => Issuer.Mint(claims, SecurityAlgorithms.EcdsaSha256, expires: DateTimeOffset.UtcNow.AddMinutes(-5)),
            "no expiry" => Issuer.MintWithoutExpiry(claims),
            "unknown key" => Issuer.Mint(claims, signing: new SigningCredentials(
                new RsaSecurityKey(RSA.Create(2048)) { KeyId = "someone-else" }, SecurityAlgorithms.RsaSha256)),
            "unknown key under a known kid" => Issuer.Mint(claims, signing: new SigningCredentials(
                new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = Issuer.EcKey.KeyId }, SecurityAlgorithms.EcdsaSha256)),
            "alg none" => Issuer.Unsigned(claims),
            "HS256 with a random secret" => Issuer.Mint(claims, signing: new SigningCredentials(
                new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)), SecurityAlgorithms.HmacSha256)),
            // The classic confusion: the public key, which anyone can fetch, used as an HMAC secret under the RSA key's kid.
            "HS256 with the RSA public key as the secret" => Issuer.Mint(claims, signing: new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Issuer.RsaKey.Rsa.ExportSubjectPublicKeyInfoPem())) { KeyId = Issuer.RsaKey.KeyId },
                SecurityAlgorithms.HmacSha256)),
            "no user claim" => Issuer.Mint(new Dictionary<string, object> { ["role"] = new[] { "auditor" } }),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
        var client = Registry.Bearer(token);

        var read = await client.GetAsync($"/api/persons/{NoOne}");
        await read.ShouldBeProblem(HttpStatusCode.Unauthorized, "auth.unauthenticated");
        read.Headers.WwwAuthenticate.Should().Contain(h => h.Scheme == "Bearer");
        var write = await Registry.AppendsNothing(() => client.PostAsJsonAsync("/api/births", Birth()));
        await write.ShouldBeProblem(HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Fact]
    public async Task A_development_token_is_refused_outside_Development_even_for_the_right_audience()
    {
        var key = DevelopmentTokens.Key(Registry.KeyPath);
        var token = DevelopmentTokens.Mint(key, "dev-user", ["registrar"], "001", TimeSpan.FromHours(1), DateTimeOffset.UtcNow,
            claims: new AuthSettings { Audiences = [TestOidcIssuer.DefaultAudience] });

        await (await Registry.Bearer(token).GetAsync($"/api/persons/{NoOne}")).ShouldBeProblem(HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/jwks.json")]
    public async Task The_development_issuer_does_not_exist_outside_Development(string path)
    {
        (await Registry.CreateClient().GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Feed_scopes_come_from_the_space_separated_scope_claim()
    {
        var registrar = Client("registrar");
        var person = await registrar.Born(Birth("حسن", "نوری", "male", "1330/01/01"));
        await registrar.PostOk("/api/deaths", Death(person));

        var response = await Client("subscriber", office: null, scope: "openid pension").GetAsync("/api/feed");
        await response.ShouldHaveStatus(HttpStatusCode.OK);
        var death = (await response.Json())["events"]!.AsArray().Should().ContainSingle("the pension scope sees deaths alone").Subject!;
        death.Str("type").Should().Be("death_registered.v2");
        death["data"]!.AsObject().Should().NotContainKey("causesIcd10");

        var asArray = await Client("subscriber", office: null, scope: new[] { "openid", "pension" }).GetAsync("/api/feed");
        (await asArray.Json())["events"]!.AsArray().Should().ContainSingle("a JSON array of scopes reads the same");
        await (await Client("subscriber", office: null, scope: "openid profile").GetAsync("/api/feed"))
            .ShouldBeProblem(HttpStatusCode.Forbidden, "feed.noScope");
        await (await Client("subscriber", office: null, scope: "openidpension").GetAsync("/api/feed"))
            .ShouldBeProblem(HttpStatusCode.Forbidden, "feed.noScope");
    }
}

/// <summary>Claim names are configuration: roles, office, user and scopes are read from the claims the authority uses.</summary>
public sealed class OwnClaimNamesTests(ExternalAuthorityWithOwnClaimNames authority) : IClassFixture<ExternalAuthorityWithOwnClaimNames>, IAsyncLifetime
{
    private TestOidcIssuer Issuer => authority.Issuer;
    private RegistryFactory Registry => authority.Registry;

    public Task InitializeAsync() => Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Client(string user, string role, string? office, string? scope = null) =>
        Registry.Bearer(Issuer.Mint(KeycloakStyle(user, role, office, scope)));

    private static Dictionary<string, object> KeycloakStyle(string user, string role, string? office, string? scope = null)
    {
        var claims = TokenClaims.Of(user, [role], office, scope, "preferred_username", "roles", "registry_office", "scp");
        claims["sub"] = Guid.NewGuid().ToString();
        return claims;
    }

    [Fact]
    public async Task Roles_office_and_user_come_from_the_configured_claims()
    {
        var registrar = Client("kc-registrar", "registrar", "001");
        var code = await registrar.Born();
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/persons/{code}");
        read.Headers.Add("X-Purpose", "checking the record");
        await (await registrar.SendAsync(read)).ShouldHaveStatus(HttpStatusCode.OK);

        var log = await Client("kc-auditor", "auditor", null).GetAsync($"/api/access-log?nationalCode={code}");
        await log.ShouldHaveStatus(HttpStatusCode.OK);
        var entry = (await log.Json())["entries"]!.AsArray().Should().ContainSingle().Subject!;
        entry.Str("userId").Should().Be("kc-registrar", "the user is the preferred_username claim, not sub");
        entry.Str("officeCode").Should().Be("001", "the office is the registry_office claim");
    }

    [Fact]
    public async Task A_write_for_another_office_is_403_outside_jurisdiction()
    {
        var response = await Registry.AppendsNothing(() => Client("kc-registrar", "registrar", "001").PostAsJsonAsync("/api/births", Birth(office: "002")));
        await response.ShouldBeProblem(HttpStatusCode.Forbidden, "office.outsideJurisdiction");
    }

    [Fact]
    public async Task A_write_without_the_office_claim_is_403_office_required()
    {
        var response = await Registry.AppendsNothing(() => Client("kc-registrar", "registrar", null).PostAsJsonAsync("/api/births", Birth()));
        await response.ShouldBeProblem(HttpStatusCode.Forbidden, "office.required");

        var defaultNamed = KeycloakStyle("kc-registrar", "registrar", null);
        defaultNamed["office"] = "001";
        var underDefaultName = await Registry.AppendsNothing(() => Registry.Bearer(Issuer.Mint(defaultNamed)).PostAsJsonAsync("/api/births", Birth()));
        await underDefaultName.ShouldBeProblem(HttpStatusCode.Forbidden, "office.required");

        var twoOffices = KeycloakStyle("kc-registrar", "registrar", null);
        twoOffices["registry_office"] = new[] { "001", "002" };
        var ambiguous = await Registry.AppendsNothing(() => Registry.Bearer(Issuer.Mint(twoOffices)).PostAsJsonAsync("/api/births", Birth()));
        await ambiguous.ShouldBeProblem(HttpStatusCode.Forbidden, "office.required");
    }

    [Fact]
    public async Task Claims_under_the_default_names_count_for_nothing()
    {
        var roleUnderDefaultName = new Dictionary<string, object> { ["preferred_username"] = "kc-registrar", ["role"] = "registrar", ["registry_office"] = "001" };
        await (await Registry.Bearer(Issuer.Mint(roleUnderDefaultName)).PostAsJsonAsync("/api/births", Birth()))
            .ShouldBeProblem(HttpStatusCode.Forbidden, "auth.forbidden");

        var userUnderDefaultName = TokenClaims.Of("kc-registrar", ["registrar"], "001", roleClaim: "roles", officeClaim: "registry_office");
        await (await Registry.Bearer(Issuer.Mint(userUnderDefaultName)).GetAsync("/api/persons/0012345679"))
            .ShouldBeProblem(HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Fact]
    public async Task Feed_scopes_come_from_the_configured_scope_claim()
    {
        (await Client("pension-fund", "subscriber", null, "openid pension").GetAsync("/api/feed")).StatusCode.Should().Be(HttpStatusCode.OK);
        var underDefaultName = KeycloakStyle("pension-fund", "subscriber", null);
        underDefaultName["scope"] = "openid pension";
        await (await Registry.Bearer(Issuer.Mint(underDefaultName)).GetAsync("/api/feed")).ShouldBeProblem(HttpStatusCode.Forbidden, "feed.noScope");
    }
}

/// <summary>Development tokens: the published JWKS, and the CLI that mints them only in Development.</summary>
public sealed class DevelopmentTokenTests(RegistryFactory registry) : IClassFixture<RegistryFactory>
{
    [Fact]
    public async Task The_published_JWKS_verifies_a_development_token_with_a_stock_library()
    {
        var client = registry.CreateClient();
        var discovery = JsonNode.Parse(await client.GetStringAsync("/.well-known/openid-configuration"))!;
        discovery.Str("issuer").Should().Be(DevelopmentTokens.Issuer);
        var jwksUri = new Uri(discovery.Str("jwks_uri"));
        var jwksJson = await client.GetStringAsync(jwksUri.PathAndQuery);
        var jwks = new JsonWebKeySet(jwksJson);
        jwks.Keys.Should().ContainSingle().Which.Should().Match<JsonWebKey>(k => k.Kty == "EC" && k.Crv == "P-256" && k.Alg == "ES256" && !k.HasPrivateKey);
        jwksJson.Should().NotContain("\"d\"", "the private half is never published");

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = discovery.Str("issuer"),
            ValidAudience = DevelopmentTokens.Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        };
        var handler = new JsonWebTokenHandler();
        var result = await handler.ValidateTokenAsync(registry.Token("registrar", "001", "dev-1"), parameters);
        result.IsValid.Should().BeTrue(result.Exception?.Message);
        result.Claims["sub"].Should().Be("dev-1");

        var stranger = DevelopmentTokens.Mint(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = jwks.Keys[0].Kid },
            "dev-1", ["registrar"], "001", TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        (await handler.ValidateTokenAsync(stranger, parameters)).IsValid.Should().BeFalse("another key's signature does not verify");
    }

    private async Task<(int Exit, string Out, string Err)> Cli(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        _ = registry.Services; // the registry has created (or loaded) the development key before the CLI reads it
        var start = CliProcess.Start(args);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("VitalEvents__Auth__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["VitalEvents__Auth__DevelopmentKeyPath"] = registry.KeyPath;
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return await CliProcess.RunAsync(start);
    }

    private static Dictionary<string, string?> Env(string dotnet, string aspnetcore) =>
        new() { ["DOTNET_ENVIRONMENT"] = dotnet, ["ASPNETCORE_ENVIRONMENT"] = aspnetcore };

    private static readonly string[] Registrar = ["token", "--role", "registrar", "--office", "001", "--user", "cli-registrar"];

    [Fact]
    public async Task In_Development_the_CLI_prints_a_token_the_API_accepts()
    {
        var (exit, output, error) = await Cli(Env("Development", "Development"), Registrar);
        exit.Should().Be(0, error);
        var token = output.Trim();
        token.Split('.').Should().HaveCount(3);

        var response = await registry.Bearer(token).GetAsync("/api/persons/0012345679");
        await response.ShouldBeProblem(HttpStatusCode.NotFound, "person.notFound");
    }

    [Fact]
    public async Task The_CLI_mints_a_citizens_token_for_their_national_code_and_a_verifiers_for_their_agency()
    {
        var citizen = await registry.As("registrar").Born();
        var (exit, output, error) = await Cli(Env("Development", "Development"), ["token", "--role", "citizen", "--national-code", citizen]);
        exit.Should().Be(0, error);
        new JsonWebToken(output.Trim()).Subject.Should().Be(citizen);
        var me = await registry.Bearer(output.Trim()).GetAsync("/api/me");
        await me.ShouldHaveStatus(HttpStatusCode.OK);

        (await Cli(Env("Development", "Development"), ["token", "--role", "citizen", "--user", "someone"])).Exit.Should().Be(2);
        (await Cli(Env("Development", "Development"), ["token", "--role", "citizen", "--national-code", "1234567890"])).Exit.Should().Be(2);
        var verifier = await Cli(Env("Development", "Development"), ["token", "--role", "verifier", "--user", "client-1", "--agency", "bank-melli"]);
        verifier.Exit.Should().Be(0, verifier.Err);
        new JsonWebToken(verifier.Out.Trim()).GetClaim("agency").Value.Should().Be("bank-melli");
    }

    [Fact]
    public async Task The_CLI_mints_with_the_configured_claim_names_and_audience()
    {
        var (exit, output, error) = await Cli(new Dictionary<string, string?>(Env("Development", "Development"))
        {
            ["VitalEvents__Auth__RoleClaim"] = "roles",
            ["VitalEvents__Auth__OfficeClaim"] = "registry_office",
            ["VitalEvents__Auth__Audiences"] = "api://registry,api://other",
        }, Registrar);
        exit.Should().Be(0, error);
        var token = new JsonWebToken(output.Trim());
        token.Alg.Should().Be("ES256");
        token.Audiences.Should().Equal("api://registry");
        token.GetClaim("roles").Value.Should().Be("registrar");
        token.GetClaim("registry_office").Value.Should().Be("001");
        token.TryGetClaim("role", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("Production", "Production", null)]
    [InlineData("Development", "Production", null)]
    [InlineData("Production", "Development", null)]
    [InlineData("Staging", "Staging", null)]
    [InlineData("Production", "Production", "true")]
    [InlineData("Development", "Development", "false")]
    public async Task Outside_Development_the_CLI_refuses_and_prints_no_token(string dotnet, string aspnetcore, string? developmentSetting)
    {
        var environment = Env(dotnet, aspnetcore);
        if (developmentSetting is not null) environment["VitalEvents__Auth__Development"] = developmentSetting;

        var (exit, output, error) = await Cli(environment, Registrar);

        exit.Should().NotBe(0);
        output.Should().BeEmpty("no token is printed");
        error.Should().Contain("Development");
    }
}

/// <summary>Settings that cannot be right stop the registry at startup, with a message naming the setting.</summary>
public sealed class AuthSettingsTests
{
    private static AuthSettings From(string environment, params (string Key, string? Value)[] settings) =>
        AuthSettings.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build(),
            new HostingEnvironment { EnvironmentName = environment });

    [Fact]
    public void Development_tokens_in_a_non_Development_environment_stop_the_registry_at_startup()
    {
        var start = () => ApiHost.Build(["--environment", "Production", "--VitalEvents:Auth:Development=true"]);

        start.Should().Throw<InvalidOperationException>()
            .WithMessage("VitalEvents:Auth:Development is on in the Production environment: development tokens are accepted only in Development.*");
    }

    [Fact]
    public void Defaults_are_the_registry_s_own()
    {
        var development = From("Development");
        development.Development.Should().BeTrue();
        development.Audiences.Should().Equal(DevelopmentTokens.Audience);
        development.Algorithms.Should().Equal("RS256", "RS384", "RS512", "PS256", "ES256", "ES384");
        (development.UserClaim, development.RoleClaim, development.OfficeClaim, development.ScopeClaim).Should().Be(("sub", "role", "office", "scope"));
        development.RequireHttpsMetadata.Should().BeTrue();
        development.ClockSkew.Should().Be(TimeSpan.FromSeconds(30));
        From("Production").Development.Should().BeFalse();
    }

    [Fact]
    public void A_configured_list_replaces_the_default_instead_of_adding_to_it()
    {
        var indexed = From("Production", ("VitalEvents:Auth:Audiences:0", "api://registry"), ("VitalEvents:Auth:Algorithms:0", "RS256"));
        indexed.Audiences.Should().Equal(["api://registry"], "the development audience is not accepted beside the configured one");
        indexed.Algorithms.Should().Equal("RS256");

        var oneValue = From("Production", ("VitalEvents:Auth:Audiences", "api://registry, 7f1c0a52-0000-4000-8000-000000000001"),
            ("VitalEvents:Auth:Issuers", "https://sts.windows.net/tenant/ https://login.microsoftonline.com/tenant/v2.0"));
        oneValue.Audiences.Should().Equal("api://registry", "7f1c0a52-0000-4000-8000-000000000001");
        oneValue.Issuers.Should().Equal("https://sts.windows.net/tenant/", "https://login.microsoftonline.com/tenant/v2.0");
    }

    [Theory]
    [InlineData("VitalEvents:Auth:Algorithms:0", "HS256", "only asymmetric signatures")]
    [InlineData("VitalEvents:Auth:Algorithms:0", "none", "only asymmetric signatures")]
    [InlineData("VitalEvents:Auth:Audience", "api://registry", "'Audience'")]
    [InlineData("VitalEvents:Auth:Authority", "http://idp.example/realms/registry", "RequireHttpsMetadata")]
    [InlineData("VitalEvents:Auth:Authority", "idp.example", "absolute")]
    [InlineData("VitalEvents:Auth:RoleClaim", " ", "RoleClaim")]
    [InlineData("VitalEvents:Auth:ClockSkew", "01:00:00", "ClockSkew")]
    public void A_setting_that_cannot_be_right_stops_the_registry_at_startup(string key, string value, string message)
    {
        var read = () => From("Production", (key, value));
        read.Should().Throw<InvalidOperationException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void Plain_HTTP_discovery_is_allowed_once_turned_off_explicitly()
    {
        var settings = From("Production", ("VitalEvents:Auth:Authority", "http://keycloak:8080/realms/registry"), ("VitalEvents:Auth:RequireHttpsMetadata", "false"));
        settings.HasAuthority.Should().BeTrue();
    }
}
