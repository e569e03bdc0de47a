using System.Xml.Linq;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace VitalEvents.Tests.Console;

/// <summary>
/// The registry on a real Kestrel port and Debian's Chromium driven by Playwright: each test opens a browser context of its
/// own (its own cookies), signs in through the Development sign-in page and works the console as a person would.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>Where Debian installs Chromium (<c>setup.sh --tests</c>); CHROMIUM_PATH points elsewhere.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public RegistryFactory Registry { get; } = new();
    public string BaseUrl { get; private set; } = "";
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        BaseUrl = Serve(Registry);
        _playwright = await Playwright.CreateAsync();
        _browser = await LaunchAsync(_playwright);
    }

    /// <summary>Starts the registry on a real Kestrel port and gives its base address.</summary>
    public static string Serve(RegistryFactory registry)
    {
        registry.UseKestrel(0);
        registry.StartServer();
        return registry.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        // The machines are shared and slow at times: an expectation waits as long as a page load may take.
        Assertions.SetDefaultExpectTimeout(30_000);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = ChromiumPath,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    }

    /// <summary>A fresh browser context (no cookies) in Persian, as a desk's browser is set up.</summary>
    public async Task<IPage> NewPageAsync(string locale = "fa-IR")
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl, Locale = locale, ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the Development sign-in page and lands on the home page.</summary>
    public async Task<IPage> SignedInAsync(string role, string office = "001", string? user = null)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, role, office, user);
        return page;
    }

    public static async Task SignInAsync(IPage page, string role, string office = "001", string? user = null)
    {
        // A page that sent the visitor to sign in keeps its return address.
        if (!new Uri(page.Url).AbsolutePath.StartsWith("/signin", StringComparison.Ordinal)) await page.GotoAsync("/signin");
        await page.Locator("#f-user").FillAsync(user ?? $"{role}-{office}");
        await page.Locator($"#f-role-{role}").CheckAsync();
        if (await page.Locator("#f-office").IsVisibleAsync()) await page.Locator("#f-office").SelectOptionAsync(office);
        await page.Locator("form:has(#f-user) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin"));
    }

    /// <summary>A Persian text of the console, from its resource file (<c>Text/</c> for the shared ones).</summary>
    public static string Fa(string page, string key, string folder = "")
    {
        var web = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "VitalEvents.Web");
        var file = Directory.EnumerateFiles(folder.Length > 0 ? Path.Combine(web, folder) : web, $"{page}.fa.resx", SearchOption.AllDirectories).Single();
        return XDocument.Load(file).Root!.Elements("data").Single(d => (string?)d.Attribute("name") == key).Element("value")!.Value;
    }

    /// <summary>
    /// Keeps a picture of the page for docs/console.md when VITALEVENTS_SCREENSHOTS names a folder (scripts/screenshots.sh sets it
    /// to docs/images); otherwise nothing.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("VITALEVENTS_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"console-{name}.png"), FullPage = true });
    }

    /// <summary>The axe-core rules a page breaks at serious or critical impact (WCAG 2.1 A and AA).</summary>
    public static async Task<IReadOnlyList<string>> AccessibilityProblemsAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        return result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")
            .ToList();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await Registry.DisposeAsync();
    }
}

/// <summary>The browser tests share one registry and one browser (starting Chromium costs a second).</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
