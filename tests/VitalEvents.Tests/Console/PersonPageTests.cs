using Microsoft.Playwright;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>The person page: the booklet, the timeline in the page's language, the record at an earlier version or date and what changed since.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PersonPageTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_timeline_speaks_the_pages_language_and_an_earlier_version_shows_the_record_as_it_was()
    {
        var registrar = console.Registry.As("registrar");
        var husband = (await registrar.PostOk("/api/births", Birth(givenName: "رضا", familyName: "احمدی", birthDate: "1370/01/01")))["nationalCode"]!.GetValue<string>();
        var wife = (await registrar.PostOk("/api/births", Birth(givenName: "لیلا", familyName: "صادقی", sex: "female", birthDate: "1372/02/02")))["nationalCode"]!.GetValue<string>();
        await registrar.PostOk("/api/marriages", Marriage(husband, wife, date: "1403/06/01"));

        var page = await console.SignedInAsync("registrar");
        await page.GotoAsync($"/persons/{wife}");
        var entries = page.Locator("ol.timeline > li");
        await Assertions.Expect(entries).ToHaveCountAsync(2);
        (await entries.Nth(0).Locator(".summary").InnerTextAsync()).Should().StartWith("ولادت ثبت شد: لیلا صادقی، دختر، زادهٔ ۱۳۷۲/۰۲/۰۲");
        (await entries.Nth(1).Locator(".summary").InnerTextAsync()).Should().Contain("ازدواج دائم در ۱۴۰۳/۰۶/۰۱ ثبت شد");
        (await page.Locator("main").InnerTextAsync()).Should().Contain("رضا احمدی");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        // Version 1: the record before the marriage, and the difference with today's.
        await entries.Nth(0).Locator("a[data-version-link]").ClickAsync();
        await page.WaitForURLAsync("**version=1");
        (await page.Locator("[data-shown-version]").GetAttributeAsync("data-shown-version")).Should().Be("1");
        (await page.Locator(".person-head").InnerTextAsync()).Should().Contain("مجرد");
        (await page.Locator("table[data-diff] tr[data-field=maritalStatus]").InnerTextAsync()).Should().Contain("وضعیت تأهل");
        (await entries.Nth(1).GetAttributeAsync("class")).Should().Be("later");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "person-version");

        // Any two versions, compared field by field.
        await page.GotoAsync($"/persons/{wife}");
        await page.Locator("#f-from").FillAsync("۱");
        await page.Locator("#f-to").FillAsync("2");
        await page.Locator("form[data-compare] button").ClickAsync();
        await Assertions.Expect(page.Locator("table[data-diff] caption")).ToHaveTextAsync("تفاوت‌های نسخهٔ ۱ و نسخهٔ ۲");
        (await page.Locator("table[data-diff] tr[data-field=maritalStatus]").InnerTextAsync()).Should().Contain("مجرد").And.Contain("متأهل");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.GotoAsync($"/persons/{wife}?from=1&to=9");
        (await page.Locator("[data-past-error]").InnerTextAsync()).Should().Be("نسخه‌های این پرونده از ۱ تا ۲ است.");

        // A date before the registration: the page says so and shows today's record.
        await page.GotoAsync($"/persons/{wife}?asOf=۱۳۹۰/۰۱/۰۱");
        (await page.Locator("[data-past-error]").InnerTextAsync()).Should().Contain("هنوز ثبت نشده بود");

        // The same page in English.
        await page.Locator("a.language").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/persons/{wife}"));
        (await page.Locator("ol.timeline > li .summary").Nth(1).InnerTextAsync()).Should().StartWith("Marriage (Permanent) registered on 1403/06/01");
    }

    [Fact]
    public async Task A_national_code_nobody_holds_is_the_404_page_and_a_malformed_one_too()
    {
        var page = await console.SignedInAsync("registrar");
        (await page.GotoAsync("/persons/0000000000"))!.Status.Should().Be(404);
        (await page.Locator(".error-page").GetAttributeAsync("data-status")).Should().Be("404");
        (await page.GotoAsync("/persons/12345"))!.Status.Should().Be(404);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
    }
}
