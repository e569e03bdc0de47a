using Microsoft.Playwright;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>Registering a death, a foetal death and a guardian's appointment through the registrar desk's forms, in Chromium.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DeathFormTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_death_entered_in_the_form_shows_the_person_deceased()
    {
        var code = await console.Registry.As("registrar").Born(Birth(givenName: "حسن", familyName: "نوری", birthDate: "1330/04/02"));
        var page = await console.SignedInAsync("registrar");
        await page.GotoAsync("/deaths/new");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("ثبت وفات");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-nationalCode").FillAsync(code);
        await Assertions.Expect(page.Locator("#f-nationalCode-person")).ToContainTextAsync("حسن نوری");
        await page.Locator("#f-date").FillAsync("1404/02/01");
        await page.Locator("#f-place-city").FillAsync("تهران");
        await page.Locator("#f-causesIcd10-0").FillAsync("I21.9");
        await page.Locator("#f-causesIcd10-1").FillAsync("heart");
        await page.Locator("#f-certifier").FillAsync("دکتر احمدی");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();

        // A cause that is no ICD-10 code is refused beside its line, and nothing is recorded.
        await Assertions.Expect(page.Locator("#f-causesIcd10-1-error")).ToHaveTextAsync(Refusal("icd10.invalid"));
        (await page.Locator("#f-nationalCode-person").InnerTextAsync()).Should().Contain("حسن نوری");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        (await console.Registry.EventsOf(code)).Should().ContainSingle();

        await page.Locator("#f-causesIcd10-1").FillAsync("i10");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/persons/{code}") && url.Contains("registered=death"));
        (await page.Locator(".person-head .badge.danger").InnerTextAsync()).Should().Be("درگذشته");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        var death = (await console.Registry.EventsOf(code)).OfType<DeathRegistered>().Should().ContainSingle().Subject;
        death.CausesIcd10.Should().Equal("I21.9", "I10");
        death.Should().Match<DeathRegistered>(d => d.Date == new DateOnly(2025, 4, 21) && d.Certifier == "دکتر احمدی" && d.Place.City == "تهران"
            && d.OfficeCode == "001");
    }

    [Fact]
    public async Task A_foetal_death_is_recorded_on_the_mother_and_one_too_early_is_refused()
    {
        var mother = await console.Registry.As("registrar").Born(Birth(givenName: "مریم", familyName: "کریمی", sex: "female", birthDate: "1370/05/10"));
        var page = await console.SignedInAsync("registrar");
        await page.GotoAsync("/foetal-deaths/new");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-motherNationalCode").FillAsync(mother);
        await Assertions.Expect(page.Locator("#f-motherNationalCode-person")).ToContainTextAsync("مریم کریمی");
        await page.Locator("#f-date").FillAsync("1404/02/01");
        await page.Locator("#f-gestationWeeks").FillAsync("۲۰");
        await page.Locator("#f-place-city").FillAsync("تهران");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#f-gestationWeeks-error")).ToHaveTextAsync(Refusal("foetalDeath.tooEarly"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        (await console.Registry.EventsOf(mother)).Should().ContainSingle();

        await page.Locator("#f-gestationWeeks").FillAsync("۳۲");
        await page.Locator("#f-sex-male").CheckAsync();
        await page.Locator("#f-causeIcd10").FillAsync("P95");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/persons/{mother}") && url.Contains("registered=foetalDeath"));
        (await console.Registry.EventsOf(mother)).OfType<FoetalDeathRegistered>().Should()
            .ContainSingle(f => f.GestationWeeks == 32 && f.Sex == "male" && f.Date == new DateOnly(2025, 4, 21));
    }

    [Fact]
    public async Task A_guardian_is_appointed_for_an_orphan_and_not_while_a_parent_lives()
    {
        var registrar = console.Registry.As("registrar");
        var mother = await registrar.Born(Birth(givenName: "مریم", familyName: "کریمی", sex: "female", birthDate: "1370/05/10"));
        var child = await registrar.Born(Birth(givenName: "سارا", familyName: "کریمی", sex: "female", birthDate: "1398/03/01", mother: mother));
        var guardian = await registrar.Born(Birth(givenName: "علی", familyName: "کریمی", birthDate: "1360/01/15"));
        var page = await console.SignedInAsync("registrar");
        await page.GotoAsync("/guardianship/new");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-nationalCode").FillAsync(child);
        await page.Locator("#f-guardianNationalCode").FillAsync(guardian);
        await Assertions.Expect(page.Locator("#f-guardianNationalCode-person")).ToContainTextAsync("علی کریمی");
        await page.Locator("#f-decisionReference").FillAsync("9809-1404-17");
        await page.Locator("#f-date").FillAsync("1404/03/01");
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#form-problems")).ToContainTextAsync(Refusal("guardianship.parentLiving"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        (await console.Registry.EventsOf(child)).Should().ContainSingle();

        await registrar.PostOk("/api/deaths", Death(mother, date: "1404/02/01"));
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/persons/{child}") && url.Contains("registered=guardian"));
        (await page.Locator("main").InnerTextAsync()).Should().Contain("علی کریمی");
        (await console.Registry.EventsOf(child)).OfType<GuardianAppointed>().Should()
            .ContainSingle(g => g.GuardianNationalCode == guardian && g.Authority == "court" && g.DecisionReference == "9809-1404-17");
    }

    private static string Refusal(string code) => RefusalsFa.Value[code];

    private static readonly Lazy<Dictionary<string, string>> RefusalsFa = new(() =>
        System.Xml.Linq.XDocument.Load(Path.Combine(Root(), "src/VitalEvents.Web/Text/Refusals.fa.resx")).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value));

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "VitalEvents.sln"))) dir = dir.Parent;
        return dir.FullName;
    }
}
