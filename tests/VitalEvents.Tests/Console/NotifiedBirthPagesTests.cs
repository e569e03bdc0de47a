using System.Net.Http.Json;
using Hl7.Fhir.Serialization;
using Microsoft.Playwright;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>
/// Births a facility notified: the mother, or the father married to her, confirms online with the child's given name and gets
/// the child's national code; a registrar completes one at the office from the queue of notified births.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class NotifiedBirthPagesTests(ConsoleFixture console) : IAsyncLifetime
{
    private const string Facility = "tehran-mehr";

    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string Fa(string digits) => string.Concat(digits.Select(c => c is >= '0' and <= '9' ? (char)('۰' + (c - '0')) : c));

    /// <summary>A facility of office 001, a married couple, and a birth the facility notified for the wife.</summary>
    private async Task<(string Husband, string Wife, Guid Notification)> NotifiedAsync(int daysAgo = 2)
    {
        (await console.Registry.As("admin", null, "admin-1").PostAsJsonAsync("/api/facilities",
            new { id = Facility, name = "بیمارستان مهر", nameEnglish = "Mehr Hospital", officeCode = "001", city = "تهران" })).EnsureSuccessStatusCode();
        var registrar = console.Registry.As("registrar", "001", "reg-1");
        var husband = await registrar.Born(Birth("بهرام", "شاهرخی", "male", "1360/05/01"));
        var wife = await registrar.Born(Birth("نسرین", "کاظمی", "female", "1362/02/01"));
        await registrar.PostOk("/api/marriages", Marriage(husband, wife, "1400/06/01"));
        var birthDate = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(3.5)).AddDays(-daysAgo).ToString("yyyy-MM-dd");
        var notified = await console.Registry.AsHospital(Facility).PostOk("/api/birth-notifications", new
        {
            certificateNumber = "MC-88-1001", certifier = new { name = "دکتر لیلا احمدی", identifier = "12345" }, sex = "female", birthDate,
            motherNationalCode = wife, birthTime = "08:40", birthWeightGrams = 3200, gestationWeeks = 39,
        });
        return (husband, wife, Guid.Parse(notified["notificationId"]!.GetValue<string>()));
    }

    private async Task<IPage> CitizenAsync(string nationalCode)
    {
        var page = await console.SignedInAsync("citizen", "", nationalCode);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/me");
        return page;
    }

    [Fact]
    public async Task A_FHIR_bundle_from_the_hospital_becomes_a_registered_child_once_the_mother_confirms_in_the_console()
    {
        (await console.Registry.As("admin", null, "admin-1").PostAsJsonAsync("/api/facilities",
            new { id = "imam-khomeini", name = "بیمارستان امام خمینی", nameEnglish = "Imam Khomeini Hospital", officeCode = "001", city = "تهران" })).EnsureSuccessStatusCode();
        var mother = await console.Registry.As("registrar", "001", "reg-1").Born(Birth("سارا", "نیکو", "female", "1375/01/01"));
        var bundle = BirthNotifications.BirthBundles.Document(mother);
        var born = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(3.5)).AddDays(-1).ToString("yyyy-MM-dd");
        BirthNotifications.BirthBundles.Child(bundle).BirthDateElement = new Hl7.Fhir.Model.Date(born)
        {
            Extension = [new Hl7.Fhir.Model.Extension(VitalEvents.BirthNotifications.FhirBirthBundle.BirthTimeExtension, new Hl7.Fhir.Model.FhirDateTime($"{born}T09:15:00+03:30"))],
        };
        using var content = new StringContent(new Hl7.Fhir.Serialization.BaseFhirJsonSerializer(Hl7.Fhir.Model.ModelInfo.ModelInspector).SerializeToString(bundle),
            System.Text.Encoding.UTF8, "application/fhir+json");
        var posted = await console.Registry.AsHospital("imam-khomeini").PostAsync("/fhir/Bundle", content);
        posted.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());
        var id = Guid.Parse(posted.Headers.Location!.ToString().Split('/')[^1]);

        var page = await CitizenAsync(mother);
        await page.GotoAsync("/me/births");
        await page.Locator($"table[data-my-births] tr[data-notification='{id}'] a[data-confirm]").ClickAsync();
        await page.WaitForURLAsync($"**/me/births/{id}");
        await page.Locator($"#{VitalEvents.Web.Shared.FormErrors.IdOf("givenName")}").FillAsync("نگار");
        await page.Locator("button[data-confirm]").ClickAsync();
        var registered = page.Locator("[data-registered]");
        await Assertions.Expect(registered).ToHaveCountAsync(1);
        var code = (await registered.GetAttributeAsync("data-registered"))!;
        code.Should().StartWith("001");
        (await page.Locator("[data-child-code]").InnerTextAsync()).Should().Be(Fa(code));

        var birth = (await console.Registry.EventsOf(code)).OfType<BirthRegistered>().Single();
        (birth.GivenName, birth.FamilyName, birth.MotherNationalCode, birth.NotificationId, birth.LateRegistration, birth.BirthTime)
            .Should().Be(("نگار", "نیکو", mother, id, false, "09:15"));
        (await console.Registry.EventsOf(mother)).OfType<BirthNotificationCompleted>().Single().Channel.Should().Be(BirthNotificationChannels.Online);
    }

    [Fact]
    public async Task The_mother_confirms_with_a_Persian_name_after_a_Latin_one_is_refused_and_gets_the_childs_code()
    {
        var (husband, wife, id) = await NotifiedAsync();
        var page = await CitizenAsync(wife);

        await page.GotoAsync("/me/births");
        var row = page.Locator($"table[data-my-births] tr[data-notification='{id}']");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        (await row.Locator("[data-family-name]").InnerTextAsync()).Should().Be("شاهرخی", "the child takes the husband's family name");
        (await row.InnerTextAsync()).Should().Contain("دختر").And.Contain("۰۸:۴۰").And.Contain(Facility);
        (await row.GetAttributeAsync("data-late")).Should().BeNull();
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await row.Locator("a[data-confirm]").ClickAsync();
        await page.WaitForURLAsync($"**/me/births/{id}");
        (await page.Locator("[data-certificate]").InnerTextAsync()).Should().Be("MC-88-1001");
        (await page.Locator("[data-mother]").InnerTextAsync()).Should().Be($"نسرین کاظمی ({Fa(wife)})");
        (await page.Locator("[data-father]").InnerTextAsync()).Should().Be($"بهرام شاهرخی ({Fa(husband)})");
        (await page.Locator("[data-weight]").InnerTextAsync()).Should().Be("۳۲۰۰ گرم");
        (await page.Locator("[data-family-name-why]").InnerTextAsync()).Should().Be(ConsoleFixture.Fa("ConfirmBirthPage", "FamilyName.Father"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        var name = page.Locator($"#{VitalEvents.Web.Shared.FormErrors.IdOf("givenName")}");
        await name.FillAsync("Arezoo");
        await page.Locator("button[data-confirm]").ClickAsync();
        await Assertions.Expect(page.Locator("#f-givenName-error")).ToHaveTextAsync(ConsoleFixture.Fa("Refusals", "givenName.notPersian", "Text"));
        (await console.Registry.EventsOf(wife)).OfType<BirthNotificationCompleted>().Should().BeEmpty("nothing is registered");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await name.FillAsync("آرزو");
        await page.Locator("button[data-confirm]").ClickAsync();
        var registered = page.Locator("[data-registered]");
        await Assertions.Expect(registered).ToHaveCountAsync(1);
        var code = (await registered.GetAttributeAsync("data-registered"))!;
        (await page.Locator("[data-child-code]").InnerTextAsync()).Should().Be(Fa(code));
        (await page.Locator("[data-late]").CountAsync()).Should().Be(0);
        var birth = (await console.Registry.EventsOf(code)).OfType<BirthRegistered>().Single();
        (birth.GivenName, birth.FamilyName, birth.MotherNationalCode, birth.FatherNationalCode, birth.NotificationId).Should().Be(("آرزو", "شاهرخی", wife, husband, id));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("a[data-child-record]").ClickAsync();
        await page.WaitForURLAsync($"**/me/family/{code}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("آرزو شاهرخی");

        // Nothing waits any more, and the confirmation page says it is done.
        await page.GotoAsync("/me/births");
        await Assertions.Expect(page.Locator("[data-empty]")).ToHaveTextAsync(ConsoleFixture.Fa("MyBirthsPage", "Empty"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.GotoAsync($"/me/births/{id}");
        await Assertions.Expect(page.Locator("[data-completed]")).ToHaveTextAsync(ConsoleFixture.Fa("ConfirmBirthPage", "Completed"));
        (await page.Locator("[data-child-code]").InnerTextAsync()).Should().Be(Fa(code));
    }

    [Fact]
    public async Task The_father_married_to_the_mother_confirms_a_late_registration_and_a_refused_name_is_refused()
    {
        var (husband, wife, id) = await NotifiedAsync(daysAgo: 20);
        var page = await CitizenAsync(husband);

        await page.GotoAsync("/me/births");
        var row = page.Locator($"tr[data-notification='{id}']");
        (await row.GetAttributeAsync("data-late")).Should().Be("true");
        await Assertions.Expect(row.Locator("[data-late-notice]")).ToHaveTextAsync(ConsoleFixture.Fa("MyBirthsPage", "Late"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await row.Locator("a[data-confirm]").ClickAsync();
        await page.WaitForURLAsync($"**/me/births/{id}");
        await Assertions.Expect(page.Locator("[data-late-notice]")).ToHaveTextAsync(ConsoleFixture.Fa("ConfirmBirthPage", "Late.Notice"));
        await page.Locator("#f-givenName").FillAsync("شاه");
        await page.Locator("button[data-confirm]").ClickAsync();
        await Assertions.Expect(page.Locator("#f-givenName-error")).ToHaveTextAsync(ConsoleFixture.Fa("Refusals", "givenName.refused", "Text"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-givenName").FillAsync("سارا");
        await page.Locator("button[data-confirm]").ClickAsync();
        var registered = page.Locator("[data-registered]");
        await Assertions.Expect(registered).ToHaveCountAsync(1);
        var code = (await registered.GetAttributeAsync("data-registered"))!;
        await Assertions.Expect(page.Locator("[data-late]")).ToHaveTextAsync(ConsoleFixture.Fa("ConfirmBirthPage", "Registered.Late"));
        var birth = (await console.Registry.EventsOf(code)).OfType<BirthRegistered>().Single();
        (birth.GivenName, birth.FatherNationalCode, birth.LateRegistration).Should().Be(("سارا", husband, true));
        (await console.Registry.EventsOf(wife)).OfType<BirthNotificationCompleted>().Single().Channel.Should().Be("online");
    }

    [Fact]
    public async Task A_stranger_opening_the_confirmation_page_is_refused()
    {
        var (_, _, id) = await NotifiedAsync();
        var stranger = await console.Registry.As("registrar", "001", "reg-1").Born(Birth("مهتاب", "سلیمی", "female", "1370/01/01"));
        var page = await CitizenAsync(stranger);

        var response = await page.GotoAsync($"/me/births/{id}");
        response!.Status.Should().Be(403);
        (await page.Locator("h1").InnerTextAsync()).Should().Be(ConsoleFixture.Fa("Common", "Error.403.Title", "Text"));
        (await page.Locator("[data-refused]").InnerTextAsync()).Should().Be(ConsoleFixture.Fa("Refusals", "birthNotification.notYourChild", "Text"));
        (await page.Locator("main").InnerTextAsync()).Should().NotContain("MC-88-1001").And.NotContain("نسرین");
        (await page.Locator("main form").CountAsync()).Should().Be(0);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_registrar_completes_a_notified_birth_from_the_queue_and_one_of_another_office_is_refused()
    {
        var (husband, wife, id) = await NotifiedAsync();
        var other = await console.SignedInAsync("registrar", "002", "reg-2");
        await other.GotoAsync($"/queues/notified-births/{id}");
        await Assertions.Expect(other.Locator("[data-other-office]")).ToHaveCountAsync(1);
        await other.Locator("#f-givenName").FillAsync("آرزو");
        await other.Locator("button[data-complete]").ClickAsync();
        await Assertions.Expect(other.Locator("#form-problems")).ToContainTextAsync(ConsoleFixture.Fa("Refusals", "office.outsideJurisdiction", "Text"));
        (await ConsoleFixture.AccessibilityProblemsAsync(other)).Should().BeEmpty();
        (await console.Registry.EventsOf(wife)).OfType<BirthNotificationCompleted>().Should().BeEmpty("nothing is registered");

        var page = await console.SignedInAsync("registrar", "001", "reg-1");
        await page.GotoAsync("/queues/notified-births");
        // Notified two days ago: not yet past the follow-up time, so only in the view of every pending one.
        await Assertions.Expect(page.Locator("[data-empty]")).ToHaveTextAsync(ConsoleFixture.Fa("NotifiedBirthQueue", "Empty.FollowUp"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.Locator("#f-all").CheckAsync();
        await page.Locator("form[data-filters] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("all=true"));
        var row = page.Locator($"table[data-queue='notified-births'] tr[data-notification='{id}']");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        (await row.InnerTextAsync()).Should().Contain(Fa(wife)).And.Contain(Facility).And.Contain("۰ روز");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await row.Locator("a[data-complete]").ClickAsync();
        await page.WaitForURLAsync($"**/queues/notified-births/{id}");
        (await page.Locator("[data-certifier]").InnerTextAsync()).Should().Contain("دکتر لیلا احمدی");
        (await page.Locator("[data-family-name]").InnerTextAsync()).Should().Be("شاهرخی");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.Locator("#f-givenName").FillAsync("Arezoo");
        await page.Locator("button[data-complete]").ClickAsync();
        await Assertions.Expect(page.Locator("#f-givenName-error")).ToHaveTextAsync(ConsoleFixture.Fa("Refusals", "givenName.notPersian", "Text"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.Locator("#f-givenName").FillAsync("آرزو");
        await page.Locator("button[data-complete]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("registered=birth"));
        var code = new Uri(page.Url).AbsolutePath.Split('/').Last();
        var birth = (await console.Registry.EventsOf(code)).OfType<BirthRegistered>().Single();
        (birth.GivenName, birth.FamilyName, birth.FatherNationalCode, birth.OfficeCode).Should().Be(("آرزو", "شاهرخی", husband, "001"));
        (await console.Registry.EventsOf(wife)).OfType<BirthNotificationCompleted>().Single().Channel.Should().Be("office");

        // Registered: in the queue's registered view, linked to the child.
        await page.GotoAsync("/queues/notified-births?status=registered");
        await Assertions.Expect(page.Locator($"tr[data-notification='{id}'] a[href='/persons/{code}']")).ToHaveCountAsync(1);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
    }
}
