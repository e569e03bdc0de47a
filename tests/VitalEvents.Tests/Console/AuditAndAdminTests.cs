using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>The auditor's pages (integrity, access log, history) and the admin's subscriptions, in Chromium.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditAndAdminTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Verification_shows_an_intact_register_and_then_the_event_altered_behind_its_back()
    {
        var code = await console.Registry.As("registrar").Born(Birth("علی", "کریمی", "male", "1370/05/10"));
        var page = await console.SignedInAsync("auditor", user: "aud-1");
        await page.GotoAsync("/audit/integrity");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("یکپارچگی دفتر ثبت");
        (await page.Locator("[data-unsigned]").InnerTextAsync()).Should().Be("۱");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("form.verify button[type=submit]").ClickAsync();
        var ok = page.Locator("[data-verified=ok]");

        await Assertions.Expect(ok).ToContainTextAsync("دفتر ثبت دست‌نخورده است");
        (await ok.InnerTextAsync()).Should().Contain("۱ رویداد از ۱ نفر");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "integrity");

        await console.Registry.AsSuperuser(
            $"update {{schema}}.mt_events set data = jsonb_set(data, '{{GivenName}}', '\"حسن\"') where stream_id = '{code}' and version = 1");
        await page.GotoAsync("/audit/integrity");
        await page.Locator("form.verify button[type=submit]").ClickAsync();
        var broken = page.Locator("[data-verified=broken]");
        await Assertions.Expect(broken).ToContainTextAsync("در دفتر ثبت دست برده شده است");
        var problem = page.Locator($"tr[data-kind=altered][data-stream='{code}'][data-version='1']");
        (await problem.InnerTextAsync()).Should().Contain("داده، زمان یا نوع رویداد پس از ثبت تغییر کرده است.");
        (await problem.Locator($"a[href='/persons/{code}?version=1']").CountAsync()).Should().Be(1);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_registrars_read_in_the_console_is_in_the_access_log_by_national_code_and_by_user()
    {
        var code = await console.Registry.As("registrar").Born(Birth("مریم", "رضایی", "female", "1372/01/01"));
        var registrar = await console.SignedInAsync("registrar", user: "reg-1");
        await registrar.GotoAsync($"/persons/{code}");
        (await registrar.Locator("h1").InnerTextAsync()).Should().Be("مریم رضایی");

        var page = await console.SignedInAsync("auditor", user: "aud-1");
        await page.GotoAsync("/audit/access");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.Locator("#f-nationalCode").FillAsync(code);
        await page.Locator("form.filters button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("nationalCode="));
        var read = page.Locator("tr[data-user='reg-1'][data-resource=snapshot]");
        await Assertions.Expect(read).ToHaveCountAsync(1);
        (await read.InnerTextAsync()).Should().Contain("ثبات").And.Contain("پرونده").And.Contain("نمایش داده شد").And.Contain("تهران");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "access-log");

        await page.GotoAsync("/audit/access");
        await page.Locator("#f-user").FillAsync("reg-1");
        await page.Locator("form.filters button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("user=reg-1"));
        await Assertions.Expect(page.Locator($"tr[data-code='{code}'][data-resource=snapshot]")).ToHaveCountAsync(1);
        (await page.Locator("tr[data-entry]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.user)")).Should().OnlyContain(u => u == "reg-1");

        // The auditor's own read of the history, filtered, is recorded too, with its filters.
        await page.GotoAsync($"/audit/history?code={code}&types=birth_registered.v1");
        await Assertions.Expect(page.Locator("tr[data-version='1'][data-type='birth_registered.v1']")).ToContainTextAsync("ثبت ولادت");
        (await page.Locator("tr[data-version='1'] a[data-version-link]").GetAttributeAsync("href")).Should().Be($"/persons/{code}?version=1");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.GotoAsync($"/audit/history?code={code}&types=death_registered.v2");
        await Assertions.Expect(page.Locator("[data-no-results]")).ToHaveTextAsync("هیچ رویدادی با این پالایه‌ها پیدا نشد.");
        await page.GotoAsync($"/audit/access?user=aud-1");
        await Assertions.Expect(page.Locator($"tr[data-code='{code}'][data-resource=history]")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task A_subscription_is_created_paused_and_resumed_through_the_page()
    {
        var page = await console.SignedInAsync("admin", user: "admin-1");
        await page.GotoAsync("/admin/subscriptions");
        (await page.Locator("[data-no-subscriptions]").IsVisibleAsync()).Should().BeTrue();
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-name").FillAsync("Pension fund");
        await page.Locator("#f-url").FillAsync("http://127.0.0.1:9/hooks/registry");
        await page.Locator("#f-secret").FillAsync("short");
        await page.Locator("#f-scope").SelectOptionAsync("pension");
        await page.Locator("form[data-check] button[type=submit]").Last.ClickAsync();
        await Assertions.Expect(page.Locator("#f-secret-error")).ToHaveTextAsync("رمز باید ۱۶ تا ۵۰۰ نویسه باشد.");

        await page.Locator("#f-secret").FillAsync("a-secret-of-thirty-two-characters");
        await page.Locator("form[data-check] button[type=submit]").Last.ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("اشتراک Pension fund ساخته شد");
        var admin = console.Registry.As("admin");
        var created = (await (await admin.GetAsync("/api/subscriptions")).Json()).AsArray().Single()!;
        created.Str("scope").Should().Be("pension");
        var row = page.Locator($"tr[data-subscription='{created.Str("id")}']");
        (await row.GetAttributeAsync("data-status")).Should().Be("active");
        (await row.InnerTextAsync()).Should().Contain("در حال ارسال");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "subscriptions");

        await row.Locator("[data-pause]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("متوقف شد");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "paused");
        (await page.Locator("[data-done]").InnerTextAsync()).Should().Be("اشتراک Pension fund در جایگاه ۰ متوقف شد.");
        (await Status(admin, created)).Should().Be("paused");

        await row.Locator("[data-resume]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("دوباره در حال ارسال است");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "active");
        (await Status(admin, created)).Should().Be("active");
    }

    private static async Task<string> Status(HttpClient admin, JsonNode subscription) =>
        (await (await admin.GetAsync($"/api/subscriptions/{subscription.Str("id")}")).Json()).Str("status");

    [Theory]
    [InlineData("/audit/access")]
    [InlineData("/audit/integrity")]
    [InlineData("/admin/subscriptions")]
    public async Task A_registrar_gets_the_403_page_for_the_auditors_and_admins_pages(string path)
    {
        var page = await console.SignedInAsync("registrar");
        var response = await page.GotoAsync(path);
        response!.Status.Should().Be(403);
        (await page.Locator(".error-page").GetAttributeAsync("data-status")).Should().Be("403");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("اجازهٔ دیدن این صفحه را ندارید");
    }
}
