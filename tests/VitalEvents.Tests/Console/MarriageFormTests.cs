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
        await Assertions.Expect(page.Locator("#form-problems")).ToBeFocusedAsync();
        // The form keeps what was typed and says again who the wife is.
        (await page.Locator("#f-wifeNationalCode-person").InnerTextAsync()).Should().Contain("نرگس موسوی");
        (await page.Locator("#f-termEnds").InputValueAsync()).Should().Be("1404/06/01");
        page.Url.Should().EndWith("/marriages/new");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        (await console.Registry.EventCount()).Should().Be(recorded);
    }

    private static string Persian(string ascii) => string.Concat(ascii.Select(c => char.IsAsciiDigit(c) ? (char)('۰' + (c - '0')) : c));
}
