using Microsoft.Playwright;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>A birth registered with the keyboard alone: skip link, Tab order, radio buttons, the Solar Hijri calendar, Enter to send.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class KeyboardTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_registrar_registers_a_birth_without_the_mouse()
    {
        var father = (await console.Registry.As("registrar").PostOk("/api/births",
            Birth(givenName: "حسین", familyName: "نوری", birthDate: "1365/03/20")))["nationalCode"]!.GetValue<string>();
        var page = await console.NewPageAsync();
        await page.GotoAsync("/signin");
        await TabTo(page, "f-user");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("keyboard-registrar");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/signin"));

        await page.GotoAsync("/births/new");
        // The page puts the person at its heading, so the first Tab is the form's first field, past the menu.
        (await page.EvaluateAsync<string>("document.activeElement.tagName")).Should().Be("H1");
        await page.Keyboard.PressAsync("Tab");
        (await Focused(page)).Should().Be("f-givenName");
        await page.Keyboard.TypeAsync("نگار");
        await page.Keyboard.PressAsync("Tab");
        (await Focused(page)).Should().Be("f-familyName");
        await page.Keyboard.TypeAsync("نوری");
        await page.Keyboard.PressAsync("Tab");
        (await Focused(page)).Should().StartWith("f-sex-");
        await page.Keyboard.PressAsync(await Focused(page) == "f-sex-female" ? "Space" : "ArrowDown");
        (await page.Locator("#f-sex-female").IsCheckedAsync()).Should().BeTrue();

        // The calendar: opened from its button, a week back with an arrow, chosen with Enter.
        await TabTo(page, "f-birthDate");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.dataset.pickFor")).Should().Be("f-birthDate");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".calendar[role=dialog]")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".calendar")).ToHaveCountAsync(0);
        (await Focused(page)).Should().Be("f-birthDate");
        var chosen = await page.Locator("#f-birthDate").InputValueAsync();
        chosen.Should().MatchRegex("^[۰-۹0-9]{4}/[۰-۹0-9]{2}/[۰-۹0-9]{2}$");
        (await page.Locator("#f-birthDate-twin").InnerTextAsync()).Should().MatchRegex("[۰-۹0-9]{4}-[۰-۹0-9]{2}-[۰-۹0-9]{2}");

        await TabTo(page, "f-birthPlace-city");
        await page.Keyboard.TypeAsync("کرج");
        await TabTo(page, "f-fatherNationalCode");
        await page.Keyboard.TypeAsync(father);
        await Assertions.Expect(page.Locator("#f-fatherNationalCode-person")).ToContainTextAsync("حسین نوری");
        await TabTo(page, "f-evidence-reference");
        await page.Keyboard.TypeAsync("MC-1404-7777");
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync(url => url.Contains("registered=birth"));
        (await page.Locator("h1").InnerTextAsync()).Should().Be("نگار نوری");
        var code = new Uri(page.Url).AbsolutePath.Split('/').Last();
        var events = await console.Registry.EventsOf(code);
        events.Should().ContainSingle().Which.Should().BeOfType<Domain.BirthRegistered>()
            .Which.FatherNationalCode.Should().Be(father);
    }

    private static Task<string> Focused(IPage page) => page.EvaluateAsync<string>("document.activeElement.id || document.activeElement.className");

    /// <summary>Presses Tab until the element is focused: it must be reachable in the page's tab order.</summary>
    private static async Task TabTo(IPage page, string id)
    {
        for (var i = 0; i < 60; i++)
        {
            if (await Focused(page) == id) return;
            await page.Keyboard.PressAsync("Tab");
        }
        throw new InvalidOperationException($"#{id} is not reachable with Tab.");
    }
}
