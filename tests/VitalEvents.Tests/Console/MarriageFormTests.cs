using Microsoft.Playwright;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>Registering a marriage, finding a person's marriages and changing one through the registrar desk's forms, in Chromium.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class MarriageFormTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private Task<string> Adult(string givenName, string familyName, string sex, string birthDate = "1370/05/10") =>
        console.Registry.As("registrar").Born(Birth(givenName: givenName, familyName: familyName, sex: sex, birthDate: birthDate));

    [Fact]
    public async Task A_marriage_entered_in_the_form_is_on_both_records()
    {
        var husband = await Adult("رضا", "احمدی", "male", "1368/02/11");
        var wife = await Adult("نرگس", "موسوی", "female");
        var page = await console.SignedInAsync("registrar");
        await page.GotoAsync("/marriages/new");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("ثبت ازدواج");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-husbandNationalCode").FillAsync(Persian(husband));
        await Assertions.Expect(page.Locator("#f-husbandNationalCode-person")).ToContainTextAsync("رضا احمدی");
        await page.Locator("#f-wifeNationalCode").FillAsync(wife);
        await Assertions.Expect(page.Locator("#f-wifeNationalCode-person")).ToContainTextAsync("نرگس موسوی");
        await page.Locator("#f-date").FillAsync("۱۴۰۳/۰۶/۰۱");
        (await page.Locator("#f-termEnds").IsVisibleAsync()).Should().BeFalse();
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains($"/persons/{husband}") && url.Contains("registered=marriage"));
        var spouse = page.Locator("ul.relatives li[data-marriage]");
        await Assertions.Expect(spouse).ToContainTextAsync("نرگس موسوی");
        (await spouse.InnerTextAsync()).Should().Contain("دائم");
        var married = (await console.Registry.EventsOf(wife)).OfType<MarriageRegistered>().Should().ContainSingle().Subject;
        married.Should().Match<MarriageRegistered>(m => m.HusbandNationalCode == husband && m.Kind == "permanent"
            && m.Date == new DateOnly(2024, 8, 22) && m.OfficeCode == "001");
        (await console.Registry.EventsOf(husband)).OfType<MarriageRegistered>().Should().ContainSingle(m => m.MarriageId == married.MarriageId);
    }

    [Fact]
    public async Task A_married_womans_second_marriage_is_refused_beside_her_code()
    {
        var first = await Adult("رضا", "احمدی", "male", "1368/02/11");
        var second = await Adult("حمید", "کاظمی", "male", "1365/09/30");
        var wife = await Adult("نرگس", "موسوی", "female");
        await console.Registry.As("registrar").PostOk("/api/marriages", Marriage(first, wife, date: "1402/01/20"));
        var recorded = await console.Registry.EventCount();
        var page = await console.SignedInAsync("registrar");
        await page.GotoAsync("/marriages/new");

        await page.Locator("#f-husbandNationalCode").FillAsync(second);
        await page.Locator("#f-wifeNationalCode").FillAsync(wife);
        await page.Locator("#f-date").FillAsync("1403/06/01");
        await page.Locator("#f-kind-temporary").CheckAsync();
        await page.Locator("#f-termEnds").FillAsync("1404/06/01");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();

        var error = page.Locator("#f-wifeNationalCode-error");
        await Assertions.Expect(error).ToHaveTextAsync("این زن هم‌اکنون در ازدواج است؛ زن نمی‌تواند هم‌زمان در دو ازدواج باشد.");
        (await page.Locator(".field.invalid #f-wifeNationalCode").CountAsync()).Should().Be(1);
        (await page.Locator(".field.invalid").CountAsync()).Should().Be(1);
        (await page.Locator("#f-wifeNationalCode").GetAttributeAsync("aria-invalid")).Should().Be("true");
        (await page.Locator("#f-husbandNationalCode").GetAttributeAsync("aria-invalid")).Should().BeNull();
        await ConsoleFixture.ScreenshotAsync(page, "marriage-refused");
        await Assertions.Expect(page.Locator("#form-problems")).ToBeFocusedAsync();
        // The form keeps what was typed and says again who the wife is.
        (await page.Locator("#f-wifeNationalCode-person").InnerTextAsync()).Should().Contain("نرگس موسوی");
        (await page.Locator("#f-termEnds").InputValueAsync()).Should().Be("1404/06/01");
        page.Url.Should().EndWith("/marriages/new");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        (await console.Registry.EventCount()).Should().Be(recorded);
    }

    [Fact]
    public async Task A_divorce_is_recorded_from_the_persons_marriages()
    {
        var husband = await Adult("رضا", "احمدی", "male", "1368/02/11");
        var wife = await Adult("نرگس", "موسوی", "female");
        var id = (await console.Registry.As("registrar").PostOk("/api/marriages", Marriage(husband, wife, date: "1400/01/20"))).Str("marriageId");
        var page = await console.SignedInAsync("registrar");
        await page.GotoAsync("/marriages");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.Locator("#f-code").FillAsync("1234567890");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#f-code-error")).Not.ToBeEmptyAsync();
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-code").FillAsync(wife);
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        var row = page.Locator($"tr[data-marriage='{id}']");
        await Assertions.Expect(row.Locator("[data-status]")).ToHaveTextAsync("برقرار");
        (await row.InnerTextAsync()).Should().Contain("رضا احمدی");
        (await row.Locator("a", new() { HasText = "ثبت بذل مدت" }).CountAsync()).Should().Be(0);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await row.Locator("a", new() { HasText = "ثبت طلاق" }).ClickAsync();

        await page.WaitForURLAsync($"**/marriages/{id}/divorce?from={wife}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("ثبت طلاق");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        // Revocable without the end of the waiting period: refused beside that field, in Persian.
        await page.Locator("#f-kind-revocable").CheckAsync();
        await page.Locator("#f-date").FillAsync("1403/03/01");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#f-waitingPeriodEnds-error"))
            .ToHaveTextAsync("طلاق رجعی به تاریخ پایان عده نیاز دارد که پس از تاریخ طلاق باشد.");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        (await console.Registry.EventsOf(wife)).OfType<DivorceRegistered>().Should().BeEmpty();

        await page.Locator("#f-waitingPeriodEnds").FillAsync("۱۴۰۳/۰۶/۰۱");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/persons/{wife}") && url.Contains("registered=divorce"));
        (await page.Locator($"li[data-marriage='{id}']").InnerTextAsync()).Should().Contain("طلاق رجعی");
        var divorce = (await console.Registry.EventsOf(husband)).OfType<DivorceRegistered>().Should().ContainSingle().Subject;
        divorce.Should().Match<DivorceRegistered>(d => d.Kind == "revocable" && d.Date == new DateOnly(2024, 5, 21) && d.WaitingPeriodEnds == new DateOnly(2024, 8, 22));

        // Within the waiting period the listing offers a return, and its page records it.
        await page.GotoAsync($"/marriages?code={wife}");
        await row.Locator("a", new() { HasText = "ثبت رجوع" }).ClickAsync();
        await page.WaitForURLAsync($"**/marriages/{id}/return?from={wife}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("ثبت رجوع");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.Locator("#f-date").FillAsync("1403/07/01");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#f-date-error")).Not.ToBeEmptyAsync();
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.Locator("#f-date").FillAsync("1403/04/01");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("registered=return"));
        (await console.Registry.EventsOf(wife)).OfType<MarriageResumed>().Should().ContainSingle(r => r.MarriageId == Guid.Parse(id));
    }

    [Fact]
    public async Task A_temporary_marriage_offers_a_waiver_and_an_annulment_each_on_its_page()
    {
        var husband = await Adult("رضا", "احمدی", "male", "1368/02/11");
        var wife = await Adult("نرگس", "موسوی", "female");
        var id = (await console.Registry.As("registrar").PostOk("/api/marriages",
            Marriage(husband, wife, date: "1403/01/20", kind: "temporary", termEnds: "1410/01/20"))).Str("marriageId");
        var page = await console.SignedInAsync("registrar");

        foreach (var (change, title) in new[] { ("annulment", "ثبت فسخ نکاح"), ("term-waiver", "ثبت بذل مدت") })
        {
            await page.GotoAsync($"/marriages?code={husband}");
            await page.Locator($"tr[data-marriage='{id}'] a", new() { HasText = title }).ClickAsync();
            await page.WaitForURLAsync($"**/marriages/{id}/{change}?from={husband}");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
            (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
            if (change == "annulment")
            {
                await page.Locator("#f-grounds").FillAsync("عیب موجب فسخ");
                await page.Locator("#f-decisionReference").FillAsync("D-1403-55");
            }
            await page.Locator("#f-date").FillAsync("1410/01/01");
            await page.Locator("form[data-check] button[type=submit]").ClickAsync();
            await Assertions.Expect(page.Locator("#f-date-error")).Not.ToBeEmptyAsync();
            (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        }
        (await console.Registry.EventsOf(wife)).Should().HaveCount(2);

        await page.Locator("#f-date").FillAsync("1403/05/01");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/persons/{husband}") && url.Contains("registered=termWaiver"));
        (await console.Registry.EventsOf(wife)).OfType<MarriageTermWaived>().Should().ContainSingle(w => w.Date == new DateOnly(2024, 7, 22));
        await page.GotoAsync($"/marriages/{id}/annulment");
        (await page.Locator("[data-not-in-force]").IsVisibleAsync()).Should().BeTrue();
        (await page.Locator("form[data-check]").CountAsync()).Should().Be(0);
    }

    private static string Persian(string ascii) => string.Concat(ascii.Select(c => char.IsAsciiDigit(c) ? (char)('۰' + (c - '0')) : c));
}
