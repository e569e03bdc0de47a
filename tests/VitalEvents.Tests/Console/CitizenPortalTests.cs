using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using VitalEvents.Domain;
using VitalEvents.Domain.Corrections;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>
/// Sahim, the citizen portal: a citizen signs in with their national code and reads their booklet, their minor child's, the
/// history of their record and who read it, and files a correction request; a stranger's record is refused.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CitizenPortalTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string Fa(string digits) => string.Concat(digits.Select(c => c is >= '0' and <= '9' ? (char)('۰' + (c - '0')) : c));

    /// <summary>A wife and husband married, their minor child, the wife's adult son from before, and a stranger.</summary>
    private async Task<(string Husband, string Wife, string Child, string AdultSon, string Stranger)> FamilyAsync()
    {
        var registrar = console.Registry.As("registrar", "001", "reg-1");
        var husband = await registrar.Born(Birth("بهرام", "شاهرخی", "male", "1360/05/01"));
        var wife = await registrar.Born(Birth("نسرین", "کاظمی", "female", "1362/02/01"));
        var adultSon = await registrar.Born(Birth("کاوه", "کاظمی", "male", "1382/01/01", mother: wife));
        await registrar.PostOk("/api/marriages", Marriage(husband, wife, "1400/06/01"));
        var child = await registrar.Born(Birth("پرستو", "شاهرخی", "female", "1403/03/01", mother: wife, father: husband));
        var stranger = await registrar.Born(Birth("مهتاب", "سلیمی", "female", "1370/01/01"));
        return (husband, wife, child, adultSon, stranger);
    }

    private async Task<IPage> CitizenAsync(string nationalCode)
    {
        var page = await console.SignedInAsync("citizen", "", nationalCode);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/me");
        return page;
    }

    [Fact]
    public async Task A_citizen_sees_their_booklet_opens_their_childs_record_and_is_refused_a_strangers()
    {
        var (husband, wife, child, adultSon, stranger) = await FamilyAsync();
        var page = await CitizenAsync(wife);

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("نسرین کاظمی");
        var identity = page.Locator("dl[data-identity]");
        (await identity.Locator("[data-national-code]").InnerTextAsync()).Should().Be(Fa(wife));
        (await identity.Locator("[data-birth-date] time").InnerTextAsync()).Should().Be("۱۳۶۲/۰۲/۰۱");
        (await identity.Locator("[data-birth-date]").InnerTextAsync()).Should().Contain("۱۹۸۳-۰۴-۲۱");
        (await identity.Locator("[data-marital]").InnerTextAsync()).Should().Be("متأهل");
        (await identity.Locator("[data-alive]").InnerTextAsync()).Should().Be("در قید حیات");
        var links = await page.Locator("ul[data-family] a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        links.Should().BeEquivalentTo($"/me/family/{husband}", $"/me/family/{child}");
        (await page.Locator($"li[data-code='{adultSon}']").InnerTextAsync()).Should().Contain("کاوه کاظمی").And.Contain(Fa(adultSon));
        (await page.Locator($"li[data-code='{adultSon}'] a").CountAsync()).Should().Be(0, "an adult child's record is their own");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "citizen-record");

        await page.Locator($"a[href='/me/family/{child}']").ClickAsync();
        await page.WaitForURLAsync($"**/me/family/{child}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("پرستو شاهرخی");
        (await page.Locator("[data-father-name]").InnerTextAsync()).Should().Be("بهرام");
        (await page.Locator("[data-mother-name]").InnerTextAsync()).Should().Be("نسرین");
        (await page.Locator("[data-birth-date] time").InnerTextAsync()).Should().Be("۱۴۰۳/۰۳/۰۱");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        // The child's access log holds the mother's read.
        var childLog = await console.Registry.AsCitizen(child).GetFromJsonAsync<JsonNode>("/api/me/access-log");
        childLog!["items"]!.AsArray().Should().Contain(e => e!["detail"]!.GetValue<string>() == "relative" && e["roles"]!.AsArray().Any(r => r!.GetValue<string>() == "citizen"));

        // The current spouse's record: only what the two share.
        await page.GotoAsync("/me");
        await page.Locator($"a[href='/me/family/{husband}']").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("بهرام شاهرخی");
        (await page.Locator("ul[data-family] li").EvaluateAllAsync<string[]>("items => items.map(li => li.dataset.code)")).Should().BeEquivalentTo(wife, child);
        (await page.Locator("ul[data-family] a").CountAsync()).Should().Be(0, "a relative's booklet opens no further records");

        var refused = await page.GotoAsync($"/me/family/{stranger}");
        refused!.Status.Should().Be(403);
        (await page.Locator("h1").InnerTextAsync()).Should().Be("شما اجازهٔ دیدن این پرونده را ندارید");
        (await page.Locator("[data-refused]").InnerTextAsync()).Should()
            .Be("شما فقط پروندهٔ خود، فرزندان زیر سن قانونی و همسر کنونی‌تان را می‌توانید ببینید؛ این پرونده هیچ‌یک از آن‌ها نیست.");
        (await page.Locator("main").InnerTextAsync()).Should().NotContain("مهتاب");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_citizen_sees_who_read_their_record_and_why_and_the_history_of_their_record()
    {
        var (_, wife, _, _, _) = await FamilyAsync();
        var registrar = console.Registry.As("registrar", "001", "reg-1");
        using (var read = new HttpRequestMessage(HttpMethod.Get, $"/api/persons/{wife}"))
        {
            read.Headers.Add("X-Purpose", "marriage file 1404-88");
            (await registrar.SendAsync(read)).EnsureSuccessStatusCode();
        }

        var page = await CitizenAsync(wife);
        await page.Locator("nav.nav a[href='/me/access']").ClickAsync();
        await page.WaitForURLAsync("**/me/access");
        var rows = page.Locator("table[data-access-log] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        // Newest first: the citizen's own read of /me, then the registrar's.
        (await rows.Nth(0).GetAttributeAsync("data-reader")).Should().Be("self");
        (await rows.Nth(0).InnerTextAsync()).Should().Contain("خودتان").And.Contain("پروندهٔ شما");
        var office = rows.Nth(1);
        (await office.GetAttributeAsync("data-reader")).Should().Be("office");
        (await office.Locator("[data-purpose]").InnerTextAsync()).Should().Be("marriage file 1404-88");
        (await office.InnerTextAsync()).Should().Contain($"{Offices.Find("001")!.County} (۰۰۱)").And.Contain("ثبات").And.NotContain("reg-1");
        (await page.Locator("main").InnerTextAsync()).Should().Contain("پیش از دادن پاسخ ثبت می‌شود").And.Contain("پس از پایان مهر");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "citizen-access");

        // The same list in English.
        await page.Locator("a.language").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Who has read my record");
        (await rows.Nth(0).InnerTextAsync()).Should().Contain("You").And.Contain("Your record");
        var county = Offices.Find("001")!;
        (await rows.Nth(1).InnerTextAsync()).Should().Contain($"{county.CountyEnglish ?? county.County} (001)").And.Contain("marriage file 1404-88");
        await page.Locator("a.language").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("چه کسانی پروندهٔ مرا دیده‌اند");

        await page.Locator("nav.nav a[href='/me/history']").ClickAsync();
        await page.WaitForURLAsync("**/me/history");
        var entries = page.Locator("ol.timeline > li");
        await Assertions.Expect(entries).ToHaveCountAsync(4);
        (await entries.Nth(0).Locator(".summary").InnerTextAsync()).Should().StartWith("ولادت ثبت شد: نسرین کاظمی، دختر، زادهٔ ۱۳۶۲/۰۲/۰۱");
        (await entries.Nth(2).Locator(".summary").InnerTextAsync()).Should().Contain("ازدواج دائم در ۱۴۰۰/۰۶/۰۱ ثبت شد");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_citizen_files_a_correction_request_and_sees_it_filed()
    {
        var (_, wife, _, _, _) = await FamilyAsync();
        var page = await CitizenAsync(wife);
        await page.Locator("nav.nav a[href='/me/requests']").ClickAsync();
        await page.WaitForURLAsync("**/me/requests");
        (await page.Locator("[data-no-requests]").InnerTextAsync()).Should().Be("هنوز درخواستی ثبت نکرده‌اید.");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-field").SelectOptionAsync("birthDate");
        await page.Locator("form[data-choose-field] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**field=birthDate");
        (await page.Locator("[data-current-value] time").InnerTextAsync()).Should().Be("۱۳۶۲/۰۲/۰۱");
        await page.Locator($"#{Web.Shared.FormErrors.IdOf("newValue")}").FillAsync("۱۳۶۲/۰۲/۱۱");
        await page.Locator("#f-reason").FillAsync("روز تولد در شناسنامه اشتباه نوشته شده است.");
        await page.Locator("#f-evidence").FillAsync("MC-1362-0211\n\nHE-001-1404-9");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await page.Locator("form[data-check] button[type=submit].primary").ClickAsync();

        await page.WaitForURLAsync("**filed=birthDate");
        (await page.Locator("[data-filed]").InnerTextAsync()).Should().Be("درخواست شما برای اصلاح «تاریخ تولد» ثبت شد.");
        var filed = page.Locator("li[data-field=birthDate]");
        (await filed.GetAttributeAsync("data-status")).Should().Be("filed");
        (await filed.Locator("[data-request-status]").InnerTextAsync()).Should().Be("ثبت شد");
        (await filed.Locator("[data-current] time").InnerTextAsync()).Should().Be("۱۳۶۲/۰۲/۰۱");
        (await filed.Locator("[data-asked] time").InnerTextAsync()).Should().Be("۱۳۶۲/۰۲/۱۱");
        (await filed.Locator("[data-evidence] li").AllInnerTextsAsync()).Should().Equal("MC-1362-0211", "HE-001-1404-9");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        var request = (await console.Registry.EventsOf(wife)).OfType<CitizenRequestFiled>().Should().ContainSingle().Subject;
        (request.Field, request.NewValue).Should().Be(("birthDate", "1983-05-01"));
        request.Evidence.Should().Equal("MC-1362-0211", "HE-001-1404-9");

        // The same field again: the registry refuses it, and the form says why.
        await page.GotoAsync("/me/requests?field=birthDate");
        await page.Locator("#f-newValue").FillAsync("1362/02/12");
        await page.Locator("#f-reason").FillAsync("دوباره");
        await page.Locator("form[data-check] button[type=submit].primary").ClickAsync();
        await Assertions.Expect(page.Locator("#form-problems")).ToContainTextAsync("درخواستی برای اصلاح این مشخصه هم‌اکنون در دست بررسی است.");
        (await console.Registry.EventsOf(wife)).OfType<CitizenRequestFiled>().Should().ContainSingle();

        // The booklet lists it among the pending requests.
        await page.GotoAsync("/me");
        (await page.Locator("[data-pending-requests] li[data-status=filed]").InnerTextAsync()).Should().Contain("تاریخ تولد").And.Contain("۱۳۶۲/۰۲/۱۱");

        // Declined by the office: the badge and the office's reason; no longer pending.
        await console.Registry.As("registrar", "001", "reg-1").PostOk($"/api/citizen-requests/{request.RequestId}/decline", new { reason = "گواهی ولادت پیوست نشده است." });
        await page.GotoAsync("/me/requests");
        var declined = page.Locator($"li[data-request='{request.RequestId}']");
        (await declined.Locator("[data-request-status]").InnerTextAsync()).Should().Be("اداره نپذیرفت");
        (await declined.Locator("[data-outcome]").InnerTextAsync()).Should().Be("گواهی ولادت پیوست نشده است.");
        await page.GotoAsync("/me");
        (await page.Locator("[data-pending-requests] li").CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task The_identity_page_fits_a_phone_screen()
    {
        var (_, wife, _, _, _) = await FamilyAsync();
        var page = await CitizenAsync(wife);
        await page.SetViewportSizeAsync(360, 740);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("نسرین کاظمی");
        var (scroll, client) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("document.documentElement.clientWidth"));
        client.Should().Be(360);
        scroll.Should().BeLessThanOrEqualTo(client, "the identity page scrolls only downwards at 360 px");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
    }
}
