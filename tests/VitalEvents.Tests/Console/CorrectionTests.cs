using System.Xml.Linq;
using Microsoft.Playwright;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;
using static VitalEvents.Tests.Console.ConsoleFixture;

namespace VitalEvents.Tests.Console;

/// <summary>Corrections requested in the form, decided in the supervisors' queue, and held births decided there, in Chromium.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CorrectionTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_given_name_corrected_by_one_registrar_and_approved_by_another_supervisor_changes_the_record_and_keeps_the_past()
    {
        var code = await console.Registry.As("registrar").Born(Birth("یاسمین", "احمدی", "female", "1380/03/09"));
        var registrar = await console.SignedInAsync("registrar", "001", "reg-a");

        await registrar.GotoAsync("/corrections/new");
        (await ConsoleFixture.AccessibilityProblemsAsync(registrar)).Should().BeEmpty();
        await registrar.Locator("#f-nationalCode").FillAsync(code);
        await Assertions.Expect(registrar.Locator("#f-nationalCode-person")).ToContainTextAsync("یاسمین احمدی");
        await registrar.Locator("form[data-check] button[type=submit]").ClickAsync();
        await Assertions.Expect(registrar.Locator("table[data-fields]")).ToBeVisibleAsync();
        registrar.Url.Should().EndWith($"/persons/{code}/corrections/new");
        (await ConsoleFixture.AccessibilityProblemsAsync(registrar)).Should().BeEmpty();

        await registrar.Locator("tr[data-field=givenName] a").ClickAsync();
        await Assertions.Expect(registrar.Locator("h1")).ToHaveTextAsync(Fa("CorrectionForm", "Title.Field").Replace("{0}", "نام"));
        (await registrar.Locator("[data-current]").InnerTextAsync()).Should().Be("یاسمین");
        (await ConsoleFixture.AccessibilityProblemsAsync(registrar)).Should().BeEmpty();
        await registrar.Locator("#f-newValue").FillAsync("یاسمن");
        await registrar.Locator("#f-authority-board").CheckAsync();
        await registrar.Locator("#f-decisionReference").FillAsync("HE-001-1404-17");
        await registrar.Locator("#f-reason").FillAsync("خطای رونویسی در ثبت نخست.");
        await registrar.Locator("form[data-check] button[type=submit]").ClickAsync();
        await registrar.WaitForURLAsync(url => url.Contains($"/persons/{code}") && url.Contains("requested=correction"));
        await Assertions.Expect(registrar.Locator("h1")).ToHaveTextAsync("یاسمین احمدی");
        var requested = (await console.Registry.EventsOf(code)).Last().Should().BeOfType<CorrectionRequested>().Subject;
        (requested.Field, requested.OldValue, requested.NewValue, requested.RequestedBy, requested.OfficeCode)
            .Should().Be((Vocabulary.GivenName, "یاسمین", "یاسمن", "reg-a", "001"));

        var supervisor = await console.SignedInAsync("supervisor", "001", "sup-b");
        await supervisor.GotoAsync("/queues/corrections");
        (await ConsoleFixture.AccessibilityProblemsAsync(supervisor)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(supervisor, "correction-queue");
        var row = supervisor.Locator($"tr[data-correction='{requested.CorrectionId}']");
        (await row.Locator("[data-old]").InnerTextAsync()).Should().Be("یاسمین");
        (await row.Locator("[data-new]").InnerTextAsync()).Should().Be("یاسمن");
        (await row.InnerTextAsync()).Should().Contain("reg-a").And.Contain("HE-001-1404-17").And.Contain("خطای رونویسی").And.Contain("هیئت حل اختلاف");
        await row.Locator("a[data-decide]").ClickAsync();
        await Assertions.Expect(supervisor.Locator("button[data-approve]")).ToBeEnabledAsync();
        supervisor.Url.Should().EndWith($"/queues/corrections/{requested.CorrectionId}");
        (await ConsoleFixture.AccessibilityProblemsAsync(supervisor)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(supervisor, "correction-review");
        await supervisor.Locator("button[data-approve]").ClickAsync();
        await Assertions.Expect(supervisor.Locator("[data-decided]")).ToContainTextAsync(Fa("CorrectionQueue", "Decided.approved"));
        supervisor.Url.Should().Contain("decided=approved");
        (await supervisor.Locator("[data-empty]").InnerTextAsync()).Should().Be(Fa("CorrectionQueue", "Empty"));

        await supervisor.Locator("[data-decided] a").ClickAsync();
        await Assertions.Expect(supervisor.Locator("h1")).ToHaveTextAsync("یاسمن احمدی");
        var approval = (await console.Registry.EventsOf(code)).Last().Should().BeOfType<CorrectionApproved>().Subject;
        (approval.OldValue, approval.NewValue, approval.RequestedBy, approval.ApprovedBy).Should().Be(("یاسمین", "یاسمن", "reg-a", "sup-b"));
        var approved = supervisor.Locator("ol.timeline > li").Last;
        (await approved.Locator("ul.changes del").InnerTextAsync()).Should().Be("یاسمین");
        (await approved.Locator("ul.changes ins").InnerTextAsync()).Should().Be("یاسمن");

        // The entry before the approval (the request) shows the record as it stood then: the old name.
        var before = supervisor.Locator("ol.timeline > li").Nth(-2);
        (await before.GetAttributeAsync("data-version")).Should().Be("2");
        await before.Locator("a[data-version-link]").ClickAsync();
        await Assertions.Expect(supervisor.Locator("[data-shown-version]")).ToHaveAttributeAsync("data-shown-version", "2");
        (await supervisor.Locator("h1").InnerTextAsync()).Should().Be("یاسمین احمدی");
    }

    [Fact]
    public async Task A_supervisors_own_request_is_listed_but_cannot_be_decided_by_them_even_by_a_crafted_post()
    {
        var code = await console.Registry.As("registrar").Born(Birth("یاسمین", "احمدی", "female", "1380/03/09"));
        var id = (await console.Registry.As("supervisor", user: "sup-a").PostOk($"/api/persons/{code}/corrections", Correction("givenName", "یاسمن")))
            .Str("correctionId");
        var page = await console.SignedInAsync("supervisor", "001", "sup-a");

        await page.GotoAsync("/queues/corrections");
        var row = page.Locator($"tr[data-correction='{id}']");
        (await row.GetAttributeAsync("data-own")).Should().Be("true");
        (await row.Locator("a[data-decide], button").CountAsync()).Should().Be(0);
        (await page.Locator("[data-own-explained]").InnerTextAsync()).Should().Be(Fa("CorrectionQueue", "Own.Text"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.GotoAsync($"/queues/corrections/{id}");
        (await page.Locator("[data-own-explained]").InnerTextAsync()).Should().Be(Fa("CorrectionReview", "Own.Text"));
        (await page.Locator("button[data-approve]").IsDisabledAsync()).Should().BeTrue();
        (await page.Locator("button[data-reject]").IsDisabledAsync()).Should().BeTrue();
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        var events = await console.Registry.EventCount();
        await page.EvaluateAsync("document.querySelector('button[data-approve]').removeAttribute('disabled')");
        await page.Locator("button[data-approve]").ClickAsync();
        await Assertions.Expect(page.Locator("#form-problems")).ToContainTextAsync(Fa("Refusals", "correction.sameUser", "Text"));
        (await console.Registry.EventCount()).Should().Be(events, "the registry refuses self-approval");
        (await console.Registry.EventsOf(code)).Last().Should().BeOfType<CorrectionRequested>();
    }

    [Fact]
    public async Task A_form_opened_before_the_record_changed_is_refused_with_the_current_value_and_then_resubmitted_knowingly()
    {
        var code = await console.Registry.As("registrar").Born(Birth("یاسمین", "احمدی", "female", "1380/03/09"));
        var page = await console.SignedInAsync("registrar", "001", "reg-a");
        await page.GotoAsync($"/persons/{code}/corrections/new?field=givenName");
        await page.Locator("#f-newValue").FillAsync("یاسی");
        await page.Locator("#f-authority-court").CheckAsync();
        await page.Locator("#f-decisionReference").FillAsync("CT-1404-5512");
        await page.Locator("#f-reason").FillAsync("رأی دادگاه دربارهٔ نام.");

        // Meanwhile another registrar's correction of the same name is approved.
        var other = (await console.Registry.As("registrar", user: "reg-c").PostOk($"/api/persons/{code}/corrections", Correction("givenName", "یاسمن")))
            .Str("correctionId");
        (await console.Registry.As("supervisor", user: "sup-b").PostAsync($"/api/corrections/{other}/approve", null)).EnsureSuccessStatusCode();
        var events = await console.Registry.EventCount();

        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-stale]")).ToBeVisibleAsync();
        (await page.Locator("[data-stale] h2").InnerTextAsync()).Should().Be(Fa("CorrectionForm", "Stale.Title"));
        (await page.Locator("[data-stale]").InnerTextAsync()).Should().Contain(Fa("CorrectionForm", "Stale.Text"));
        (await page.Locator("[data-stale-current]").InnerTextAsync()).Should().Be("یاسمن");
        (await page.Locator("[data-current]").InnerTextAsync()).Should().Be("یاسمن");
        (await page.Locator("#form-problems").InnerTextAsync()).Should().Contain(Fa("CorrectionForm", "Stale.Problem"));
        (await page.Locator("#f-newValue").InputValueAsync()).Should().Be("یاسی", "the registrar's entries are kept");
        (await page.Locator("#f-authority-court").IsCheckedAsync()).Should().BeTrue();
        (await page.Locator("#f-reason").InputValueAsync()).Should().Be("رأی دادگاه دربارهٔ نام.");
        page.Url.Should().NotContain("requested=correction");
        (await console.Registry.EventCount()).Should().Be(events, "nothing is recorded on a stale form");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("requested=correction"));
        var requested = (await console.Registry.EventsOf(code)).Last().Should().BeOfType<CorrectionRequested>().Subject;
        (requested.OldValue, requested.NewValue, requested.Authority, requested.RequestedBy).Should().Be(("یاسمن", "یاسی", "court", "reg-a"));
    }

    [Fact]
    public async Task A_birth_date_correction_names_the_authority_the_law_requires_next_to_its_field()
    {
        var code = await console.Registry.As("registrar").Born(Birth("رضا", "کریمی", "male", "1380/03/09"));
        var page = await console.SignedInAsync("registrar", "001", "reg-a");
        await page.GotoAsync($"/persons/{code}/corrections/new?field=birthDate");
        (await page.Locator("[data-current]").InnerTextAsync()).Should().StartWith("۱۳۸۰/۰۳/۰۹");
        (await page.Locator("#f-authority input[type=radio]").CountAsync()).Should().Be(2, "a birth date is corrected by a court or the commission");
        await page.Locator("#f-newValue").FillAsync("۱۳۷۹/۰۱/۰۱");
        await page.Locator("#f-authority-commission").CheckAsync();
        await page.Locator("#f-decisionReference").FillAsync("CM-1404-0042");
        await page.Locator("#f-reason").FillAsync("رأی دربارهٔ سن.");
        var events = await console.Registry.EventCount();
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator("#f-authority-error")).ToHaveTextAsync(Fa("Refusals", "correction.courtRequired", "Text"));
        (await console.Registry.EventCount()).Should().Be(events);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.Locator("#f-authority-court").CheckAsync();
        await page.Locator("form[data-check] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("requested=correction"));
        var requested = (await console.Registry.EventsOf(code)).Last().Should().BeOfType<CorrectionRequested>().Subject;
        (requested.Field, requested.OldValue, requested.NewValue, requested.Authority).Should().Be(("birthDate", "2001-05-30", "2000-03-20", "court"));
    }

    [Fact]
    public async Task A_birth_held_as_a_suspected_duplicate_is_compared_and_confirmed_as_a_new_person_from_the_queue()
    {
        var registrar = console.Registry.As("registrar");
        var mother = await registrar.Born(Birth("فاطمه", "موسوی", "female", "1370/01/01"));
        var first = await registrar.Born(Birth("حسین", "موسوی", "male", "1403/05/10", mother));
        var holdId = (await registrar.PostOk("/api/births", Birth("حسين", "موسوی", "male", "1403/05/12", mother))).Str("holdId");
        var page = await console.SignedInAsync("supervisor", "001", "sup-1");

        await page.GotoAsync("/queues/births");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        var row = page.Locator($"tr[data-hold='{holdId}']");
        // The held child's name is kept as the registry normalises it (Arabic Yeh as Persian).
        (await row.InnerTextAsync()).Should().Contain("فاطمه موسوی").And.Contain(new string(first.Select(c => (char)('۰' + (c - '0'))).ToArray()));
        await row.Locator("a[data-decide]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-held-child]")).ToBeVisibleAsync();
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        (await page.Locator("[data-held-child] [data-given-name]").InnerTextAsync()).Should().Be("حسین");
        (await page.Locator("[data-held-child]").InnerTextAsync()).Should().Contain("مرد").And.Contain("MC-1404-0001");
        (await page.Locator("[data-existing-link]").GetAttributeAsync("href")).Should().Be($"/persons/{first}");

        await page.Locator("button[data-confirm]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("registered=birth"));
        var child = new Uri(page.Url).AbsolutePath.Split('/').Last();
        child.Should().NotBe(first);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("حسین موسوی");
        (await console.Registry.EventsOf(mother)).Should().ContainSingle(e => e is HeldBirthConfirmed && ((HeldBirthConfirmed)e).ConfirmedBy == "sup-1");
        (await console.Registry.EventsOf(child)).Should().ContainSingle().Which.Should().BeOfType<BirthRegistered>();

        await page.GotoAsync("/queues/births");
        (await page.Locator("[data-empty]").InnerTextAsync()).Should().Be(Fa("HeldBirthQueue", "Empty"));
    }

    [Fact]
    public async Task A_held_birth_rejected_as_a_duplicate_with_a_reason_registers_nobody()
    {
        var registrar = console.Registry.As("registrar");
        var mother = await registrar.Born(Birth("فاطمه", "موسوی", "female", "1370/01/01"));
        await registrar.Born(Birth("حسین", "موسوی", "male", "1403/05/10", mother));
        var holdId = (await registrar.PostOk("/api/births", Birth("حسین", "موسوی", "male", "1403/05/10", mother))).Str("holdId");
        var page = await console.SignedInAsync("supervisor", "001", "sup-1");

        await page.GotoAsync($"/queues/births/{holdId}");
        await page.Locator("button[data-reject]").ClickAsync();
        await Assertions.Expect(page.Locator("#f-reason-error")).Not.ToBeEmptyAsync();
        await page.Locator("#f-reason").FillAsync("همان کودک دو بار ثبت شده است.");
        await page.Locator("button[data-reject]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-decided]")).ToHaveTextAsync(Fa("HeldBirthQueue", "Decided.rejected"));
        var rejected = (await console.Registry.EventsOf(mother)).Last().Should().BeOfType<HeldBirthRejected>().Subject;
        (rejected.Reason, rejected.RejectedBy).Should().Be(("همان کودک دو بار ثبت شده است.", "sup-1"));
        (await registrar.Person(mother))["children"]!.AsArray().Should().ContainSingle();
    }
}
