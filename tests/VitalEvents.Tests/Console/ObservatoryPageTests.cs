using Microsoft.Playwright;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>The population observatory in Chromium, on a registry whose async daemon runs: a birth appears in its province's monthly count.</summary>
public sealed class ObservatoryPageTests : IAsyncLifetime
{
    private readonly RegistryFactory _registry = new(new Dictionary<string, string?> { ["VitalEvents:Statistics:Daemon"] = "true" });
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        _baseUrl = ConsoleFixture.Serve(_registry);
        _playwright = await Playwright.CreateAsync();
        _browser = await ConsoleFixture.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await _registry.DisposeAsync();
    }

    [Fact]
    public async Task A_birth_registered_appears_in_its_provinces_monthly_count_within_seconds_with_the_pyramid_the_indicators_and_CSV()
    {
        var birthDay = VitalEvents.Pipeline.Tehran.Today(TimeProvider.System).AddDays(-1);
        var (year, month) = VitalEvents.Domain.SolarHijri.YearMonth(birthDay);
        var mother = await _registry.As("registrar").Born(Birth("مریم", "کاظمی", "female", "1370/05/10"));

        // The birth is registered in the console's form, by a registrar of Tehran.
        var desk = await (await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseUrl, Locale = "fa-IR" })).NewPageAsync();
        await ConsoleFixture.SignInAsync(desk, "registrar");
        await desk.GotoAsync("/births/new");
        await desk.Locator("#f-givenName").FillAsync("آرمان");
        await desk.Locator("#f-familyName").FillAsync("کاظمی");
        await desk.Locator("#f-sex-male").CheckAsync();
        await desk.Locator("#f-birthDate").FillAsync(VitalEvents.Domain.SolarHijri.Format(birthDay));
        await desk.Locator("#f-birthPlace-city").FillAsync("تهران");
        await desk.Locator("#f-motherNationalCode").FillAsync(mother);
        await Assertions.Expect(desk.Locator("#f-motherNationalCode-person")).ToContainTextAsync("مریم کاظمی");
        await desk.Locator("#f-evidence-reference").FillAsync("MC-1405-0001");
        await desk.Locator("form[data-check] button[type=submit]").ClickAsync();
        await desk.WaitForURLAsync(url => url.Contains("registered=birth"));

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseUrl, Locale = "fa-IR" });
        var page = await context.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, "statistician", user: "stat-1");
        (await page.Locator("nav a[href='/statistics']").CountAsync()).Should().Be(1, "the observatory is in a statistician's menu");

        var bar = page.Locator($"[data-monthly] rect[data-month='{month}']");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await page.GotoAsync($"/statistics?province=tehran&measure=births&year={year}");
            if (await bar.GetAttributeAsync("data-count") == "1") break;
            await Task.Delay(500);
        } while (clock.Elapsed < TimeSpan.FromSeconds(30));
        (await bar.GetAttributeAsync("data-count")).Should().Be("1", "the birth is counted in Tehran's month within seconds");

        (await page.Locator("h1").InnerTextAsync()).Should().Be(ConsoleFixture.Fa("ObservatoryPage", "Title"));
        (await page.Locator("[data-places] tr[data-row='001']").GetAttributeAsync("data-total")).Should().Be("1");
        (await page.Locator("[data-pyramid] rect[data-sex=male][data-age='<5']").GetAttributeAsync("data-count")).Should().Be("1");
        (await page.Locator("[data-pyramid] rect[data-sex=female][data-age='35-39']").GetAttributeAsync("data-count")).Should().Be("1", "the mother, born 1370");
        (await page.Locator("[data-indicators] tr[data-indicator-row=total]").InnerTextAsync()).Should().Contain("۱");
        (await page.Locator("[data-lag-events]").GetAttributeAsync("data-lag-events")).Should().Be("0");
        (await page.Locator("text=" + ConsoleFixture.Fa("ObservatoryPage", "Month." + month)).CountAsync()).Should().BeGreaterThan(0, "the axis names Solar Hijri months");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "observatory");

        var csv = await page.APIRequest.GetAsync($"/statistics/csv/table?measure=births&by=month&year={year}&province=tehran");
        csv.Status.Should().Be(200);
        var text = await csv.TextAsync();
        text.TrimStart('\uFEFF').Should().StartWith("key,name,nameEnglish,female,male,unknown,total");
        text.Should().Contain($"\n{month},,,0,1,0,1");
        (await page.APIRequest.GetAsync($"/statistics/csv/indicators?year={year}")).Status.Should().Be(200);

        var registrar = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseUrl, Locale = "fa-IR" });
        var other = await registrar.NewPageAsync();
        await ConsoleFixture.SignInAsync(other, "registrar");
        (await other.APIRequest.GetAsync($"/statistics/csv/indicators?year={year}")).Status.Should().NotBe(200, "the full tables are a statistician's");
    }
}
