using System.Net.Http.Json;
using Microsoft.Playwright;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>A facility's /notifications/new and /notifications, and the admins' /admin/facilities, in Chromium.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FacilityPagesTests(ConsoleFixture console) : IAsyncLifetime
{
    private const string FacilityId = "mahdieh-tehran";
    private const string FacilityName = "بیمارستان مهدیه";

    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string Fa(string page, string key) => ConsoleFixture.Fa(page, key);

    /// <summary>A birth two days ago, in Solar Hijri and Persian digits as a person types it.</summary>
    private static readonly DateOnly BirthDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2);

    private static string Persian(string ascii) => string.Concat(ascii.Select(c => char.IsAsciiDigit(c) ? (char)('۰' + (c - '0')) : c));

    private Task RegisterFacilityAsync(string id = FacilityId, string name = FacilityName) =>
        console.Registry.As("admin", null).PostOk("/api/facilities",
            new { id, name, nameEnglish = "Mahdieh Hospital", officeCode = "001", city = "تهران" });

    private Task<string> MotherAsync() =>
        console.Registry.As("registrar").Born(Birth("مریم", "کریمی", "female", "1370/05/10"));

    /// <summary>
    /// Signs in as a facility's user. ConsoleFixture.SignedInAsync cannot name a facility: the development sign-in page's agency
    /// field is the facility claim for the hospital role, so the form is filled here.
    /// </summary>
    private async Task<IPage> HospitalAsync(string facility = FacilityId)
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.Locator("#f-user").FillAsync("midwife-1");
        await page.Locator("#f-role-hospital").CheckAsync();
        await page.Locator("#f-agency").FillAsync(facility);
        await page.Locator("form:has(#f-user) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin"));
        return page;
    }

    private static async Task FillCertificateAsync(IPage page, string mother, string certificate = "۱۴۰۵-۰۰۷۷")
    {
        await page.Locator("#f-certificateNumber").FillAsync(certificate);
        await page.Locator("#f-certifier-name").FillAsync("دکتر زهرا احمدی");
        await page.Locator("#f-certifier-identifier").FillAsync("۱۲۳۴۵۶");
        await page.Locator("#f-sex-female").CheckAsync();
        await page.Locator("#f-birthDate").FillAsync(Persian(SolarHijri.Format(BirthDay)));
        await page.Locator("#f-birthTime").FillAsync("۰۸:۴۵");
        await page.Locator("#f-birthWeightGrams").FillAsync("۳۲۵۰");
        await page.Locator("#f-gestationWeeks").FillAsync("39");
        await page.Locator("#f-motherNationalCode").FillAsync(Persian(mother));
    }

    private static ILocator Submit(IPage page) => page.Locator("form[data-check] button[type=submit]");

    [Fact]
    public async Task A_birth_notified_through_the_form_is_on_the_mothers_stream_and_the_confirmation_says_what_comes_next()
    {
        await RegisterFacilityAsync();
        var mother = await MotherAsync();
        var page = await HospitalAsync();
        await page.GotoAsync("/notifications/new");
        (await page.Locator("h1").InnerTextAsync()).Should().Be(Fa("NotifyBirthPage", "Title"));
        (await page.Locator($"[data-facility={FacilityId}]").InnerTextAsync()).Should().Contain(FacilityName);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await FillCertificateAsync(page, mother);
        await ConsoleFixture.ScreenshotAsync(page, "notify-birth");
        await Submit(page).ClickAsync();

        var done = page.Locator("[data-notified]");
        await Assertions.Expect(done).ToBeVisibleAsync();
        (await done.Locator("h2").InnerTextAsync()).Should().Be(Fa("NotifyBirthPage", "Done.Title"));
        (await done.InnerTextAsync()).Should().Contain("سهیم").And.Contain(Persian(mother));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "birth-notified");

        var notified = (await console.Registry.EventsOf(mother)).Last().Should().BeOfType<BirthNotified>().Subject;
        (await done.GetAttributeAsync("data-notified")).Should().Be(notified.NotificationId.ToString());
        notified.FacilityId.Should().Be(FacilityId);
        notified.CertificateNumber.Should().Be("1405-0077");
        notified.Certifier.Name.Should().Be("دکتر زهرا احمدی");
        notified.Certifier.Identifier.Should().Be("123456");
        notified.Sex.Should().Be("female");
        notified.BirthDate.Should().Be(BirthDay);
        (notified.BirthTime, notified.Plurality, notified.MultipleBirthOrder).Should().Be(("08:45", 1, (int?)null));
        (notified.BirthWeightGrams, notified.GestationWeeks).Should().Be((3250, 39));
        (notified.NotifiedBy, notified.Format).Should().Be(("midwife-1", "json"));
    }

    [Fact]
    public async Task A_mother_who_is_not_registered_is_refused_beside_her_field_and_nothing_is_recorded()
    {
        await RegisterFacilityAsync();
        var unregistered = NationalCode.Issue("274", 4242)!;
        var page = await HospitalAsync();
        await page.GotoAsync("/notifications/new");
        await FillCertificateAsync(page, unregistered);
        var before = await console.Registry.EventCount();

        await Submit(page).ClickAsync();

        var error = page.Locator("[data-error-for=f-motherNationalCode]");
        await Assertions.Expect(error).ToHaveTextAsync(ConsoleFixture.Fa("Refusals", "parent.notFound", "Text"));
        (await page.Locator("#f-motherNationalCode").GetAttributeAsync("aria-invalid")).Should().Be("true");
        (await page.Locator("[data-notified]").CountAsync()).Should().Be(0);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        (await console.Registry.EventCount()).Should().Be(before);
        var listed = await (await console.Registry.AsHospital(FacilityId).GetAsync("/api/birth-notifications")).Json();
        listed["total"]!.GetValue<long>().Should().Be(0);
    }

    [Fact]
    public async Task The_facility_sees_its_notifications_by_status_and_the_childs_code_once_a_parent_confirmed()
    {
        await RegisterFacilityAsync();
        var mother = await MotherAsync();
        var other = await console.Registry.As("registrar").Born(Birth("لیلا", "نادری", "female", "1368/02/01"));
        var ours = await console.Registry.AsHospital(FacilityId).PostOk("/api/birth-notifications", new
        {
            certificateNumber = "C-1", certifier = new { name = "زهرا احمدی", identifier = "123456" }, sex = "male",
            birthDate = SolarHijri.Format(BirthDay), motherNationalCode = mother,
        });
        await console.Registry.AsHospital(FacilityId).PostOk("/api/birth-notifications", new
        {
            certificateNumber = "C-2", certifier = new { name = "زهرا احمدی", identifier = "123456" }, sex = "female",
            birthDate = SolarHijri.Format(BirthDay), motherNationalCode = other,
        });
        // Another facility's notification is not this one's to see.
        await RegisterFacilityAsync("arash-tehran", "بیمارستان آرش");
        await console.Registry.AsHospital("arash-tehran").PostOk("/api/birth-notifications", new
        {
            certificateNumber = "A-1", certifier = new { name = "مینا رحیمی", identifier = "654321" }, sex = "female",
            birthDate = SolarHijri.Format(BirthDay.AddDays(-1)), motherNationalCode = mother,
        });
        var confirmed = await console.Registry.AsCitizen(mother)
            .PostOk($"/api/me/birth-notifications/{ours.Str("notificationId")}/confirm", new { givenName = "آرش" });
        var child = confirmed.Str("nationalCode");

        var page = await HospitalAsync();
        await page.GotoAsync("/notifications");
        var rows = page.Locator("table[data-notifications=pending] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        (await rows.Locator("[data-mother]").InnerTextAsync()).Should().Be(Persian(other));
        (await rows.InnerTextAsync()).Should().Contain(Fa("NotificationsPage", "ChildCode.None"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("[data-status-filter=registered]").ClickAsync();
        var registered = page.Locator($"table[data-notifications=registered] tr[data-notification='{ours.Str("notificationId")}']");
        await Assertions.Expect(registered).ToHaveCountAsync(1);
        (await page.Locator("table[data-notifications=registered] tbody tr").CountAsync()).Should().Be(1);
        (await registered.Locator("[data-child]").InnerTextAsync()).Should().Be(Persian(child));
        (await registered.Locator("[data-mother]").InnerTextAsync()).Should().Be(Persian(mother));
        (await registered.InnerTextAsync()).Should().Contain(Fa("NotificationsPage", "Status.registered"));
        (await page.Locator("[data-status-filter=registered]").GetAttributeAsync("aria-current")).Should().Be("page");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "notifications");

        await page.Locator("[data-status-filter=heldForReview]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-empty]")).ToHaveTextAsync(Fa("NotificationsPage", "Empty.heldForReview"));
    }

    [Fact]
    public async Task An_admin_registers_changes_and_suspends_a_facility_and_its_form_then_refuses_notifications()
    {
        var mother = await MotherAsync();
        var admin = await console.SignedInAsync("admin", user: "admin-1");
        await admin.GotoAsync("/admin/facilities");
        (await admin.Locator("h1").InnerTextAsync()).Should().Be(Fa("FacilitiesPage", "Title"));
        (await ConsoleFixture.AccessibilityProblemsAsync(admin)).Should().BeEmpty();

        await admin.Locator("#f-id").FillAsync(FacilityId);
        await admin.Locator("#f-name").FillAsync(FacilityName);
        await admin.Locator("#f-nameEnglish").FillAsync("Mahdieh Hospital");
        await admin.Locator("#f-officeCode").SelectOptionAsync("001");
        await admin.Locator("#f-city").FillAsync("تهران");
        await admin.Locator("form:has(#f-id) button[type=submit]").ClickAsync();
        await Assertions.Expect(admin.Locator("[data-done]")).ToHaveTextAsync(string.Format(Fa("FacilitiesPage", "Registered"), FacilityName));
        await Assertions.Expect(admin.Locator($"tr[data-facility={FacilityId}]")).ToHaveAttributeAsync("data-status", "active");
        var registered = await (await console.Registry.As("admin", null).GetAsync($"/api/facilities/{FacilityId}")).Json();
        (registered.Str("officeCode"), registered.Str("city"), registered.Str("createdBy")).Should().Be(("001", "تهران", "admin-1"));

        // The same id again is refused beside the id, in Persian.
        await admin.Locator("#f-id").FillAsync(FacilityId);
        await admin.Locator("#f-name").FillAsync("دیگری");
        await admin.Locator("#f-nameEnglish").FillAsync("Another");
        await admin.Locator("#f-officeCode").SelectOptionAsync("001");
        await admin.Locator("#f-city").FillAsync("تهران");
        await admin.Locator("form:has(#f-id) button[type=submit]").ClickAsync();
        await Assertions.Expect(admin.Locator("[data-error-for=f-id]")).ToHaveTextAsync(ConsoleFixture.Fa("Refusals", "facility.exists", "Text"));
        (await ConsoleFixture.AccessibilityProblemsAsync(admin)).Should().BeEmpty();

        await admin.GotoAsync($"/admin/facilities?facility={FacilityId}");
        await admin.Locator("#f-city").FillAsync("ری");
        await admin.Locator("form:has(#f-city) button[type=submit]").ClickAsync();
        await Assertions.Expect(admin.Locator("[data-done]")).ToHaveTextAsync(string.Format(Fa("FacilitiesPage", "Changed"), FacilityName));
        (await ConsoleFixture.AccessibilityProblemsAsync(admin)).Should().BeEmpty();
        await admin.Locator($"tr[data-facility={FacilityId}] [data-suspend]").ClickAsync();
        await Assertions.Expect(admin.Locator($"tr[data-facility={FacilityId}]")).ToHaveAttributeAsync("data-status", "suspended");
        await Assertions.Expect(admin.Locator("[data-done]")).ToHaveTextAsync(string.Format(Fa("FacilitiesPage", "Suspended"), FacilityName));
        (await ConsoleFixture.AccessibilityProblemsAsync(admin)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(admin, "facilities");
        var suspended = await (await console.Registry.As("admin", null).GetAsync($"/api/facilities/{FacilityId}")).Json();
        (suspended.Str("status"), suspended.Str("city"), suspended.Str("nameEnglish")).Should().Be(("suspended", "ری", "Mahdieh Hospital"));

        var hospital = await HospitalAsync();
        await hospital.GotoAsync("/notifications/new");
        await Assertions.Expect(hospital.Locator("[data-facility-refused]"))
            .ToContainTextAsync(ConsoleFixture.Fa("Refusals", "birthNotification.facilitySuspended", "Text"));
        (await hospital.Locator("#f-motherNationalCode").CountAsync()).Should().Be(0);
        (await ConsoleFixture.AccessibilityProblemsAsync(hospital)).Should().BeEmpty();

        await admin.Locator($"tr[data-facility={FacilityId}] [data-resume]").ClickAsync();
        await Assertions.Expect(admin.Locator($"tr[data-facility={FacilityId}]")).ToHaveAttributeAsync("data-status", "active");
        await hospital.GotoAsync("/notifications/new");
        await FillCertificateAsync(hospital, mother);
        await Submit(hospital).ClickAsync();
        await Assertions.Expect(hospital.Locator("[data-notified]")).ToBeVisibleAsync();
        (await console.Registry.EventsOf(mother)).Last().Should().BeOfType<BirthNotified>()
            .Which.BirthPlace.City.Should().Be("ری");
    }

    [Fact]
    public async Task A_form_sent_after_its_facility_was_suspended_is_refused_in_Persian_and_records_nothing()
    {
        await RegisterFacilityAsync();
        var mother = await MotherAsync();
        var page = await HospitalAsync();
        await page.GotoAsync("/notifications/new");
        await FillCertificateAsync(page, mother);
        var response = await console.Registry.As("admin", null).PutAsJsonAsync($"/api/facilities/{FacilityId}",
            new { name = FacilityName, nameEnglish = "Mahdieh Hospital", officeCode = "001", city = "تهران", status = "suspended" });
        response.EnsureSuccessStatusCode();
        var before = await console.Registry.EventCount();

        await Submit(page).ClickAsync();

        await Assertions.Expect(page.Locator("[data-facility-refused=\"birthNotification.facilitySuspended\"]"))
            .ToContainTextAsync(ConsoleFixture.Fa("Refusals", "birthNotification.facilitySuspended", "Text"));
        (await page.Locator("#f-motherNationalCode").CountAsync()).Should().Be(0);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        (await console.Registry.EventCount()).Should().Be(before);
    }

    [Fact]
    public async Task A_user_of_a_facility_that_is_not_registered_is_told_so_on_both_pages()
    {
        await RegisterFacilityAsync();
        var page = await HospitalAsync("no-such-hospital");
        var unknown = ConsoleFixture.Fa("Refusals", "birthNotification.facilityUnknown", "Text");

        await page.GotoAsync("/notifications/new");
        await Assertions.Expect(page.Locator("[data-facility-refused=\"birthNotification.facilityUnknown\"]")).ToContainTextAsync(unknown);
        (await page.Locator("form[data-check]").CountAsync()).Should().Be(0);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.GotoAsync("/notifications");
        await Assertions.Expect(page.Locator("[data-facility-refused]")).ToContainTextAsync(unknown);
        (await page.Locator("table").CountAsync()).Should().Be(0);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
    }
}
