using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Playwright;
using VitalEvents.Tests.Verifications;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>The verifier's /verify (one person, a batch file) and the admin's /admin/agencies, in Chromium.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class VerificationPagesTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string Fa(string page, string key) =>
        XDocument.Load(Path.Combine(Root(), $"src/VitalEvents.Web/{page}.fa.resx")).Root!.Elements("data").Single(d => d.Attribute("name")!.Value == key).Element("value")!.Value;

    private static string Root([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "../../.."));

    private async Task<IPage> VerifierAsync(string agency)
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.Locator("#f-user").FillAsync("teller-1");
        await page.Locator("#f-role-verifier").CheckAsync();
        await page.Locator("#f-agency").FillAsync(agency);
        await page.Locator("form:has(#f-user) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin"));
        return page;
    }

    [Fact]
    public async Task An_agency_verifies_a_person_in_the_console_and_the_citizen_sees_that_verification_in_their_portal()
    {
        var code = await console.Registry.As("registrar").Born(Birth("علی", "رضایی", "male", "1355/01/15"));
        var agency = await console.Registry.RegisterAgencyAsync(answers: ["birthDate", "givenName", "familyName", "alive"]);
        var teller = await VerifierAsync(agency);
        await teller.GotoAsync("/verify");
        await teller.Locator("#f-nationalCode").FillAsync(code);
        await teller.Locator("#f-purpose").SelectOptionAsync("account-opening");
        await teller.Locator("#f-birthDate").FillAsync("۱۳۵۵/۰۱/۱۵");
        await teller.Locator("#f-givenName").FillAsync("علی");
        await teller.Locator("form:has(#f-nationalCode) button[type=submit]").ClickAsync();
        await Assertions.Expect(teller.Locator("[data-answer] tr[data-alive] td")).ToHaveTextAsync(Fa("Verifications/VerifyPage", "Alive.true"));

        var citizen = await console.SignedInAsync("citizen", "", code);
        await citizen.GotoAsync("/me/access");
        var row = citizen.Locator("tr[data-reader=agency][data-resource=verification]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        (await row.Locator("[data-purpose]").InnerTextAsync()).Should().Be("account-opening");
        (await row.InnerTextAsync()).Should().Contain("بانک ملی ایران").And.NotContain("teller-1");
        (await ConsoleFixture.AccessibilityProblemsAsync(citizen)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_verifier_verifies_one_person_and_sees_matches_only_and_the_verification_is_logged()
    {
        var code = await console.Registry.As("registrar").Born(Birth("علی", "رضایی", "male", "1355/01/15"));
        var agency = await console.Registry.RegisterAgencyAsync(answers: ["birthDate", "givenName", "familyName", "alive"]);
        var page = await VerifierAsync(agency);

        await page.GotoAsync("/verify");
        (await page.Locator("h1").InnerTextAsync()).Should().Be(Fa("Verifications/VerifyPage", "Title"));
        (await page.Locator("#f-fatherName").CountAsync()).Should().Be(0, "the agency may not ask the father's name");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.Locator("#f-nationalCode").FillAsync(code);
        await page.Locator("#f-purpose").SelectOptionAsync("account-opening");
        await page.Locator("#f-birthDate").FillAsync("۱۳۵۵/۰۱/۱۵");
        await page.Locator("#f-givenName").FillAsync("علي");
        await page.Locator("#f-familyName").FillAsync("رضائی");
        await page.Locator("form:has(#f-nationalCode) button[type=submit]").ClickAsync();

        var answer = page.Locator("[data-answer]");
        await Assertions.Expect(answer.Locator("tr[data-match=familyName] td")).ToHaveTextAsync(Fa("Verifications/VerifyPage", "Match.similar"));
        (await answer.Locator("tr[data-match=givenName] td").InnerTextAsync()).Should().Be(Fa("Verifications/VerifyPage", "Match.exact"));
        (await answer.Locator("tr[data-match=birthDate] td").InnerTextAsync()).Should().Be(Fa("Verifications/VerifyPage", "Match.true"));
        (await answer.Locator("tr[data-alive] td").InnerTextAsync()).Should().Be(Fa("Verifications/VerifyPage", "Alive.true"));
        (await answer.InnerTextAsync()).Should().NotContain("رضایی");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        var log = await console.Registry.As("auditor", office: null).GetAsync($"/api/access-log?nationalCode={code}");
        var entry = (await log.Json())["entries"]!.AsArray().Single()!;
        (entry.Str("agency"), entry.Str("purpose"), entry.Str("resource")).Should().Be((agency, "account-opening", "verification"));
        entry.Str("query").Should().Be($"id={await answer.GetAttributeAsync("data-answer")} asked=birthDate,givenName,familyName");
    }

    [Fact]
    public async Task A_verifier_uploads_a_csv_batch_sees_its_summary_and_downloads_the_answers()
    {
        var code = await console.Registry.As("registrar").Born(Birth("مریم", "کریمی", "female", "1372/01/01"));
        var page = await VerifierAsync(await console.Registry.RegisterAgencyAsync());
        var file = Path.Combine(Path.GetTempPath(), $"batch-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, $"nationalCode,purpose,givenName\n{code},account-opening,مریم\n{code},account-opening,زهرا\n12345,account-opening,مریم\n");
        try
        {
            await page.GotoAsync("/verify");
            await page.Locator("#batch-file").SetInputFilesAsync(file);
            await page.Locator("form:has(#batch-file) button[type=submit]").ClickAsync();

            var summary = page.Locator("[data-batch-result] [data-summary]");
            await Assertions.Expect(summary).ToHaveTextAsync(string.Format(Fa("Verifications/VerifyPage", "Batch.Summary"), "۳", "۲", "۱"));
            var href = (await page.Locator("[data-download]").GetAttributeAsync("href"))!;
            var csv = Encoding.UTF8.GetString(Convert.FromBase64String(href[(href.IndexOf(',') + 1)..])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            csv.Select(l => l.Split(',')[0]).Should().Equal("line", "2", "3", "4");
            csv[1].Split(',')[3].Should().Be("exact");
            csv[2].Split(',')[3].Should().Be("different");
            csv[3].Split(',')[10].Should().Be("nationalCode.invalidFormat");
            (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_verifier_of_a_suspended_agency_is_told_so()
    {
        var agency = await console.Registry.RegisterAgencyAsync();
        await console.Registry.As("admin", office: null).PostOk($"/api/agencies/{agency}/suspend", new { });
        var page = await VerifierAsync(agency);

        await page.GotoAsync("/verify");

        await Assertions.Expect(page.Locator("[data-no-agency]")).ToHaveTextAsync(Fa("Text/Refusals", "verification.agencySuspended"));
        (await page.Locator("#f-nationalCode").CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task An_admin_registers_an_agency_changes_its_quota_suspends_it_and_reads_the_change_log()
    {
        var page = await console.SignedInAsync("admin", user: "admin-1");
        await page.GotoAsync("/admin/agencies");
        (await page.Locator("h1").InnerTextAsync()).Should().Be(Fa("Admin/AgenciesPage", "Title"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-id").FillAsync("bank-melli");
        await page.Locator("#f-name").FillAsync("بانک ملی ایران");
        await page.Locator("#f-nameEnglish").FillAsync("Bank Melli Iran");
        await page.Locator("#f-purposes").FillAsync("account-opening, loan");
        await page.Locator("#f-dailyQuota").FillAsync("۵۰۰۰");
        await page.Locator("#f-ratePerSecond").FillAsync("50");
        await page.Locator("input[name=answers][value=birthDate]").CheckAsync();
        await page.Locator("input[name=answers][value=alive]").CheckAsync();
        await page.Locator("form:has(#f-id) button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-done]")).ToHaveTextAsync(string.Format(Fa("Admin/AgenciesPage", "Registered"), "بانک ملی ایران"));
        var agency = await (await console.Registry.As("admin", office: null).GetAsync("/api/agencies/bank-melli")).Json();
        agency["dailyQuota"]!.GetValue<int>().Should().Be(5000);
        agency["answers"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("birthDate", "alive");

        await page.GotoAsync("/admin/agencies?agency=bank-melli");
        await page.Locator("#f-dailyQuota").FillAsync("8000");
        await page.Locator("form:has(#f-dailyQuota) button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToHaveTextAsync(string.Format(Fa("Admin/AgenciesPage", "Changed"), "بانک ملی ایران"));
        await page.Locator("tr[data-agency=bank-melli] [data-suspend]").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-agency=bank-melli]")).ToHaveAttributeAsync("data-status", "suspended");

        await page.GotoAsync("/admin/agencies?agency=bank-melli");
        var changes = page.Locator("[data-changes] tbody tr");
        (await changes.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.change)")).Should().Equal("suspended", "changed", "registered");
        (await page.Locator("tr[data-change=changed]").InnerTextAsync()).Should().Contain("۵۰۰۰").And.Contain("۸۰۰۰");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
    }
}
