using Microsoft.Playwright;

namespace VitalEvents.Tests.Console;

/// <summary>
/// Production sign-in: the console sends the person to the OpenID Connect authority (authorisation code with PKCE) and back; the
/// session cookie carries what the identity token said, under the same claim names and roles as the API.
/// </summary>
public sealed class OpenIdConnectSignInTests : IAsyncLifetime
{
    private TestOidcIssuer _issuer = null!;
    private RegistryFactory _registry = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _base = "";

    public async Task InitializeAsync()
    {
        _issuer = await TestOidcIssuer.StartAsync();
        _registry = new RegistryFactory(new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["VitalEvents:ApplySchemaOnStart"] = "true",
            ["VitalEvents:Auth:Authority"] = _issuer.Authority,
            ["VitalEvents:Auth:RequireHttpsMetadata"] = "false",
            ["VitalEvents:Auth:Audiences:0"] = TestOidcIssuer.DefaultAudience,
            ["VitalEvents:Auth:RoleClaim"] = "roles",
            ["VitalEvents:Auth:OfficeClaim"] = "registry_office",
            ["VitalEvents:Console:ClientId"] = TestOidcIssuer.ConsoleClientId,
            ["VitalEvents:Console:ClientSecret"] = TestOidcIssuer.ConsoleClientSecret,
            ["VitalEvents:Console:RequireHttpsMetadata"] = "false",
        });
        _base = ConsoleFixture.Serve(_registry);
        await _registry.ResetAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await ConsoleFixture.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _registry.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task A_registrar_signs_in_at_the_authority_and_comes_back_to_the_page_they_asked_for()
    {
        _issuer.SignInAs = new Dictionary<string, object> { ["sub"] = "oidc-registrar-9", ["roles"] = new[] { "registrar" }, ["registry_office"] = "001" };
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _base, Locale = "fa-IR" });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/signin");
        (await page.Locator("#f-user").CountAsync()).Should().Be(0, "outside Development nobody picks their own role");
        (await page.Locator("a[href^='/signin/oidc']").CountAsync()).Should().Be(1);

        // A page that needs a session sends the person straight to the authority, and the authority back to it.
        await page.GotoAsync("/births/new");
        await page.WaitForURLAsync("**/births/new");

        _issuer.CodesExchanged.Should().Be(1);
        (await page.Locator("[data-user]").GetAttributeAsync("data-user")).Should().Be("oidc-registrar-9");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("ثبت ولادت");
        var session = (await context.CookiesAsync()).Single(c => c.Name == "__Host-vitalevents-session");
        session.HttpOnly.Should().BeTrue();
        session.Secure.Should().BeTrue();
        session.SameSite.Should().Be(SameSiteAttribute.Lax);
        session.Path.Should().Be("/");

        // Signing out ends the console's session (and asks the authority to end its own).
        await page.GotoAsync("/");
        await page.Locator("form.signout button").ClickAsync();
        await Assertions.Expect(page.Locator("[data-user]")).ToHaveCountAsync(0);
        new Uri(page.Url).AbsolutePath.Should().Be("/");
        _issuer.SignOuts.Should().Be(1);
        (await context.CookiesAsync()).Should().NotContain(c => c.Name == "__Host-vitalevents-session");
    }

    [Fact]
    public async Task A_person_the_authority_gives_no_registry_role_is_signed_in_but_refused_the_desk()
    {
        _issuer.SignInAs = new Dictionary<string, object> { ["sub"] = "someone-else" };
        var page = await (await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _base })).NewPageAsync();
        await page.GotoAsync("/signin/oidc?returnUrl=%2Fbirths%2Fnew");
        await page.WaitForURLAsync("**/births/new");
        (await page.Locator(".error-page").GetAttributeAsync("data-status")).Should().Be("403");
    }
}
