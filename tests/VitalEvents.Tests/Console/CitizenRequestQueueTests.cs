using Microsoft.Playwright;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;
using static VitalEvents.Tests.Console.ConsoleFixture;

namespace VitalEvents.Tests.Console;

/// <summary>Registrars review citizens' requests (take one up as a correction, or decline it); auditors seal access-log entries, in Chromium.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CitizenRequestQueueTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_registrar_takes_up_a_citizens_request_as_a_correction_and_declines_another_saying_why()
    {
        var code = await console.Registry.As("registrar").Born(Birth("نسرین", "کاظمی", "female", "1362/02/01"));
        var citizen = console.Registry.AsCitizen(code);
        var given = (await citizen.PostOk("/api/me/requests", new { field = "givenName", newValue = "نسترن", reason = "اشتباه در رونویسی", evidence = new[] { "EV-1404-51" } })).Str("requestId");
        var family = (await citizen.PostOk("/api/me/requests", new { field = "familyName", newValue = "کاظم‌پور", reason = "حکم دادگاه" })).Str("requestId");

        var registrar = await console.SignedInAsync("registrar", "001", "reg-a");
        await registrar.GotoAsync("/desk");
        await registrar.Locator("a[href='/queues/citizen-requests']").ClickAsync();
        await Assertions.Expect(registrar.Locator($"tr[data-citizen-request='{given}']")).ToBeVisibleAsync();
        (await AccessibilityProblemsAsync(registrar)).Should().BeEmpty();
        await ScreenshotAsync(registrar, "citizen-requests");
        (await registrar.Locator($"tr[data-citizen-request='{given}']").InnerTextAsync()).Should().Contain("نسرین").And.Contain("نسترن");

        await registrar.Locator($"tr[data-citizen-request='{given}'] a[data-review]").ClickAsync();
        await Assertions.Expect(registrar.Locator("a[data-take-up]")).ToBeVisibleAsync();
        (await registrar.Locator("dl[data-citizen-request]").InnerTextAsync()).Should().Contain("EV-1404-51").And.Contain("اشتباه در رونویسی");
        (await AccessibilityProblemsAsync(registrar)).Should().BeEmpty();
        await registrar.Locator("a[data-take-up]").ClickAsync();
        await Assertions.Expect(registrar.Locator("section[data-citizen-request]")).ToBeVisibleAsync();
        (await registrar.Locator("#f-newValue").InputValueAsync()).Should().Be("نسترن");
        (await AccessibilityProblemsAsync(registrar)).Should().BeEmpty();
        await registrar.Locator("#f-authority-board").CheckAsync();
        await registrar.Locator("#f-decisionReference").FillAsync("HE-001-1404-30");
        await registrar.Locator("#f-reason").FillAsync("به درخواست شخص و با مدرک پیوست.");
        await registrar.Locator("form[data-check] button[type=submit]").ClickAsync();
        await registrar.WaitForURLAsync(url => url.Contains($"/persons/{code}") && url.Contains("requested=correction"));
        var requested = (await console.Registry.EventsOf(code)).Last().Should().BeOfType<CorrectionRequested>().Subject;
        (requested.CitizenRequestId, requested.NewValue, requested.RequestedBy).Should().Be((Guid.Parse(given), "نسترن", "reg-a"));

        await registrar.GotoAsync($"/queues/citizen-requests/{family}");
        await registrar.Locator("button[data-decline]").ClickAsync();
        await Assertions.Expect(registrar.Locator("#f-reason-error")).ToBeVisibleAsync();
        (await AccessibilityProblemsAsync(registrar)).Should().BeEmpty();
        await registrar.Locator("#f-reason").FillAsync("حکم دادگاه پیوست نشده است.");
        await registrar.Locator("button[data-decline]").ClickAsync();
        await Assertions.Expect(registrar.Locator("[data-declined]")).ToBeVisibleAsync();
        (await registrar.Locator("[data-empty]").InnerTextAsync()).Should().Be(Fa("CitizenRequestQueue", "Empty"));
        (await console.Registry.EventsOf(code)).Last().Should().BeOfType<CitizenRequestDeclined>()
            .Which.Should().Be(new CitizenRequestDeclined(Guid.Parse(family), Vocabulary.FamilyName, "reg-a", "حکم دادگاه پیوست نشده است."));
    }

    [Fact]
    public async Task An_auditor_seals_a_read_until_a_date_and_lifts_the_seal()
    {
        var registrarApi = console.Registry.As("registrar", "001", "reg-a");
        var code = await registrarApi.Born(Birth("نسرین", "کاظمی", "female", "1362/02/01"));
        await registrarApi.Person(code);
        var citizen = console.Registry.AsCitizen(code);
        async Task<int> Visible() => (await citizen.GetAsync("/api/me/access-log").ContinueWith(t => t.Result.Json()).Unwrap())["total"]!.GetValue<int>();
        (await Visible()).Should().Be(1);

        var auditor = await console.SignedInAsync("auditor", "001", "aud-1");
        await auditor.GotoAsync($"/audit/access?nationalCode={code}");
        var row = auditor.Locator("tr[data-entry]").First;
        await row.Locator("a[href$='/seal']").ClickAsync();
        await Assertions.Expect(auditor.Locator("[data-seal=none]")).ToBeVisibleAsync();
        (await AccessibilityProblemsAsync(auditor)).Should().BeEmpty();
        var until = SolarHijri.Format(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(40));
        await auditor.Locator("#f-until").FillAsync(until);
        await auditor.Locator("#f-reason").FillAsync("پروندهٔ امنیتی ۱۴۰۴-۹");
        await auditor.Locator("button[data-seal-submit]").ClickAsync();
        await Assertions.Expect(auditor.Locator("[data-sealed-done]")).ToBeVisibleAsync();
        await Assertions.Expect(auditor.Locator("td[data-sealed=true]")).ToHaveCountAsync(1);
        (await Visible()).Should().Be(0);

        await auditor.Locator("td[data-sealed=true] a").ClickAsync();
        await Assertions.Expect(auditor.Locator("[data-seal=inForce]")).ToContainTextAsync("امنیتی");
        (await auditor.Locator("[data-seal=inForce]").InnerTextAsync()).Should().Contain("aud-1");
        (await AccessibilityProblemsAsync(auditor)).Should().BeEmpty();
        await auditor.Locator("#f-liftReason").FillAsync("تحقیق بسته شد");
        await auditor.Locator("button[data-lift]").ClickAsync();
        await Assertions.Expect(auditor.Locator("[data-sealed-done]")).ToBeVisibleAsync();
        await Assertions.Expect(auditor.Locator("td[data-sealed=true]")).ToHaveCountAsync(0);
        (await Visible()).Should().Be(1);
    }
}
