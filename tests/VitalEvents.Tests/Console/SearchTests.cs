using Microsoft.Playwright;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>Finding people through the search page: Arabic letters typed for Persian ones, paging, empty and no-result states.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SearchTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task SearchAsync(IPage page, string? givenName = null, string? familyName = null)
    {
        if (givenName is not null) await page.Locator("#f-givenName").FillAsync(givenName);
        if (familyName is not null) await page.Locator("#f-familyName").FillAsync(familyName);
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/search?"));
    }

    [Fact]
    public async Task A_name_typed_with_Arabic_Yeh_or_Kaf_finds_the_Persian_spelling()
    {
        var registrar = console.Registry.As("registrar");
        var ali = await registrar.Born(Birth("علی", "کریمی", "male", "1370/05/10"));
        var other = await registrar.Born(Birth("مریم", "رضایی", "female", "1372/01/01"));
        var page = await console.SignedInAsync("registrar");
        await page.GotoAsync("/search");
        (await page.Locator("[data-empty]").InnerTextAsync()).Should().Be("برای جست‌وجو در دفتر ثبت، دست‌کم یک نام را در بالا بنویسید.");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await SearchAsync(page, givenName: "علي");
        "علي".Should().NotBe("علی", "the query is typed with Arabic Yeh (U+064A)");
        (await page.Locator("tr[data-hit]").CountAsync()).Should().Be(1);
        var row = page.Locator($"tr[data-hit='{ali}']");
        (await row.InnerTextAsync()).Should().Contain("علی کریمی").And.Contain("۱۳۷۰/۰۵/۱۰").And.Contain("مرد").And.Contain("در قید حیات");
        (await row.Locator("a").GetAttributeAsync("href")).Should().Be($"/persons/{ali}");
        (await row.Locator("a").InnerTextAsync()).Should().Be(ToPersianDigits(ali));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "search");

        await page.GotoAsync("/search");
        await SearchAsync(page, familyName: "كريمي");
        (await page.Locator("tr[data-hit]").CountAsync()).Should().Be(1);
        (await page.Locator($"tr[data-hit='{ali}']").IsVisibleAsync()).Should().BeTrue();
        (await page.Locator($"tr[data-hit='{other}']").CountAsync()).Should().Be(0);
        // The filters are in the address: the search can be shared, and the box keeps what was typed.
        new Uri(page.Url).Query.Should().Contain("familyName=" + Uri.EscapeDataString("كريمي"));
        (await page.Locator("#f-familyName").InputValueAsync()).Should().Be("كريمي");

        await page.Locator($"tr[data-hit='{ali}'] a").ClickAsync();
        await page.WaitForURLAsync($"**/persons/{ali}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("علی کریمی");
        await page.GoBackAsync();
        await page.WaitForURLAsync(url => url.Contains("familyName="));
        await Assertions.Expect(page.Locator($"tr[data-hit='{ali}']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Results_are_paged_with_previous_and_next_in_Persian_digits()
    {
        var registrar = console.Registry.As("registrar");
        var codes = new List<string>();
        for (var i = 0; i < 23; i++) codes.Add(await registrar.Born(Birth(Numbered("مهرداد", i), "کریمی", "male", "1365/01/01")));
        var page = await console.SignedInAsync("auditor", user: "auditor-1");
        await page.GotoAsync("/search");
        await SearchAsync(page, familyName: "کریمی");

        (await page.Locator("tr[data-hit]").CountAsync()).Should().Be(20);
        (await page.Locator("[data-range]").InnerTextAsync()).Should().Be("نتیجه‌های ۱ تا ۲۰؛ نتیجه‌های بیشتر در صفحهٔ بعد");
        (await page.Locator("[data-page-previous]").CountAsync()).Should().Be(0);
        var first = await page.Locator("tr[data-hit]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.hit)");

        await page.Locator("[data-page-next]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("page=2"));
        await Assertions.Expect(page.Locator("tr[data-hit]")).ToHaveCountAsync(3);
        (await page.Locator("[data-range]").InnerTextAsync()).Should().Be("نتیجه‌های ۲۱ تا ۲۳");
        (await page.Locator("nav.pager [data-page]").InnerTextAsync()).Should().Be("صفحهٔ ۲");
        (await page.Locator("[data-page-next]").CountAsync()).Should().Be(0);
        var second = await page.Locator("tr[data-hit]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.hit)");
        first.Concat(second).Should().BeEquivalentTo(codes, "every person is on exactly one page");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("[data-page-previous]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("page=2"));
        await Assertions.Expect(page.Locator("tr[data-hit]")).ToHaveCountAsync(20);
    }

    [Fact]
    public async Task A_search_without_a_name_says_what_to_give_and_one_that_finds_nobody_says_so()
    {
        await console.Registry.As("registrar").Born(Birth("علی", "کریمی"));
        var page = await console.SignedInAsync("supervisor");
        var response = await page.GotoAsync("/search?birthYear=1404");
        response!.Status.Should().Be(400);
        (await page.Locator("#form-problems p").InnerTextAsync()).Should().Be("برای جست‌وجو دست‌کم نام، نام خانوادگی یا نام پدر را بنویسید.");
        (await page.Locator("tr[data-hit]").CountAsync()).Should().Be(0);

        await page.GotoAsync("/search");
        await SearchAsync(page, familyName: "زمانی‌نژاد");
        (await page.Locator("[data-no-results]").InnerTextAsync()).Should().StartWith("کسی با این مشخصات در دفتر ثبت نیست.");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
    }

    private static string ToPersianDigits(string ascii) => string.Concat(ascii.Select(c => char.IsAsciiDigit(c) ? (char)('۰' + (c - '0')) : c));
}
