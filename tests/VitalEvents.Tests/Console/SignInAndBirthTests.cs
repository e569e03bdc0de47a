using Microsoft.Playwright;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>Signing in for each role and registering a birth through the form, in Chromium.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInAndBirthTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("registrar", "میز ثبت")]
    [InlineData("supervisor", "صف اصلاحات")]
    [InlineData("auditor", "یکپارچگی دفتر")]
    [InlineData("admin", "اشتراک‌ها")]
    public async Task Each_role_signs_in_and_sees_its_own_work_in_Persian(string role, string link)
    {
        var page = await console.SignedInAsync(role, user: $"{role}-7");

        (await page.Locator("html").GetAttributeAsync("lang")).Should().Be("fa");
        (await page.Locator("html").GetAttributeAsync("dir")).Should().Be("rtl");
        (await page.Locator("[data-user]").GetAttributeAsync("data-user")).Should().Be($"{role}-7");
        (await page.Locator("nav.nav").InnerTextAsync()).Should().Contain(link);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, $"home-{role}");
    }

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_sign_in_and_back()
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync("/births/new");
        page.Url.Should().Contain("/signin");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "signin");
        await ConsoleFixture.SignInAsync(page, "registrar");
        await page.WaitForURLAsync("**/births/new");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("ثبت ولادت");

        await page.GotoAsync("/desk");
        (await page.Locator("main a[href='/marriages/new']").CountAsync()).Should().Be(1);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "desk");
    }

    [Fact]
    public async Task A_role_without_the_right_gets_the_403_page_in_its_language()
    {
        var page = await console.SignedInAsync("subscriber");
        var response = await page.GotoAsync("/births/new");
        response!.Status.Should().Be(403);
        (await page.Locator(".error-page").GetAttributeAsync("data-status")).Should().Be("403");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("اجازهٔ دیدن این صفحه را ندارید");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "forbidden");

        await page.Locator("a.language").ClickAsync();
        await page.WaitForURLAsync("**/births/new");
        (await page.Locator("html").GetAttributeAsync("dir")).Should().Be("ltr");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("You may not see this page");
    }

    [Fact]
    public async Task A_birth_entered_in_the_form_opens_the_childs_page()
    {
        var mother = (await console.Registry.As("registrar").PostOk("/api/births",
            Birth(givenName: "مریم", familyName: "کریمی", sex: "female", birthDate: "1370/05/10")))["nationalCode"]!.GetValue<string>();
        var page = await console.SignedInAsync("registrar");
        await page.GotoAsync("/births/new");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-givenName").FillAsync("سارا");
        await page.Locator("#f-familyName").FillAsync("کریمی");
        await page.Locator("#f-sex-female").CheckAsync();
        await page.Locator("#f-birthDate").FillAsync("۱۴۰۴/۰۲/۱۵");
        await page.Locator("#f-birthPlace-city").FillAsync("تهران");
        // The mother's code in Persian digits: the lookup shows who she is as it is typed.
        await page.Locator("#f-motherNationalCode").FillAsync(ToPersianDigits(mother));
        await Assertions.Expect(page.Locator("#f-motherNationalCode-person")).ToContainTextAsync("مریم کریمی");
        await page.Locator("#f-evidence-reference").FillAsync("MC-1404-0099");
        await ConsoleFixture.ScreenshotAsync(page, "birth-form");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/persons/") && url.Contains("registered=birth"));
        (await page.Locator("h1").InnerTextAsync()).Should().Be("سارا کریمی");
        (await page.Locator("[data-registered]").IsVisibleAsync()).Should().BeTrue();
        (await page.Locator("main").InnerTextAsync()).Should().Contain("مریم کریمی");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "person");
        var code = new Uri(page.Url).AbsolutePath.Split('/').Last();
        (await console.Registry.EventsOf(code)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_birth_that_looks_like_a_registered_child_of_the_same_mother_is_held_and_the_page_says_so()
    {
        var registrar = console.Registry.As("registrar");
        var mother = await registrar.Born(Birth("فاطمه", "موسوی", "female", "1370/01/01"));
        var first = await registrar.Born(Birth("حسین", "موسوی", "male", "1403/05/10", mother));
        var page = await console.SignedInAsync("registrar");
        await page.GotoAsync("/births/new");
        await page.Locator("#f-givenName").FillAsync("حسين");
        await page.Locator("#f-familyName").FillAsync("موسوی");
        await page.Locator("#f-sex-male").CheckAsync();
        await page.Locator("#f-birthDate").FillAsync("1403/05/12");
        await page.Locator("#f-birthPlace-city").FillAsync("تهران");
        await page.Locator("#f-motherNationalCode").FillAsync(mother);
        await page.Locator("#f-evidence-reference").FillAsync("MC-1403-0512");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();

        var notice = page.Locator("[data-held]");
        await Assertions.Expect(notice).ToBeVisibleAsync();
        (await notice.Locator("h2").InnerTextAsync()).Should().Be("برای بررسی سرپرست معلق شد");
        (await notice.Locator($"a[href='/persons/{first}']").CountAsync()).Should().Be(1);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        (await console.Registry.EventsOf(mother)).Last().Should().BeOfType<Domain.BirthHeldForReview>();
    }

    private static string ToPersianDigits(string ascii) => string.Concat(ascii.Select(c => char.IsAsciiDigit(c) ? (char)('۰' + (c - '0')) : c));
}
