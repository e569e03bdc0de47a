using System.Text.Json.Nodes;
using Microsoft.Playwright;
using VitalEvents.Documents;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Console;

/// <summary>
/// The document pages: a registrar issues a shenasnameh from a person's documents and sees it as it prints, with its QR code;
/// a supervisor revokes it; anyone, signed out, checks a QR code's text or a document's id on the public verification page;
/// a citizen issues their own birth certificate in Sahim.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class DocumentPagesTests(ConsoleFixture console) : IAsyncLifetime
{
    public Task InitializeAsync() => console.Registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Registrar => console.Registry.As("registrar", "001", "reg-1");

    private static string Fa(string digits) => string.Concat(digits.Select(c => c is >= '0' and <= '9' ? (char)('۰' + (c - '0')) : c));

    private static string Text(string page, string key) => ConsoleFixture.Fa(page, key, "Documents");

    private Task<JsonNode> IssueAsync(string code, string kind) => Registrar.PostOk($"/api/persons/{code}/documents", new { kind });

    private static Guid IdIn(string url) => Guid.Parse(new Uri(url).AbsolutePath.Split('/')[^1]);

    [Fact]
    public async Task A_registrar_issues_a_shenasnameh_and_sees_it_as_it_prints_with_its_QR_code()
    {
        var code = await Registrar.Born(Birth("کاوه", "محمدی", "male", "1370/05/01"));
        var page = await console.SignedInAsync("registrar", "001", "reg-1");
        await page.GotoAsync($"/persons/{code}/documents");
        (await page.Locator("[data-no-documents]").CountAsync()).Should().Be(1);
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-kind-shenasnameh").CheckAsync();
        (await page.Locator("#f-language-fa").IsCheckedAsync()).Should().BeTrue("a document prints in Persian unless asked otherwise");
        await page.Locator("form:has(#f-kind-shenasnameh) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/documents/*?issued=1");
        var id = IdIn(page.Url);

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("شناسنامهٔ الکترونیکی");
        (await page.Locator("[data-serial]").InnerTextAsync()).Should().MatchRegex("^SHN-۱۴[۰-۹]{2}-۰۰۰۰۰۰۱$");
        (await page.Locator("[data-label-for='givenName']").InnerTextAsync()).Should().Be("نام");
        (await page.Locator("[data-field='givenName']").InnerTextAsync()).Should().Be("کاوه");
        (await page.Locator("[data-label-for='birthDate']").InnerTextAsync()).Should().Be("تاریخ تولد");
        (await page.Locator("[data-field='birthDate']").InnerTextAsync()).Should().Be("۱۳۷۰/۰۵/۰۱ (۱۹۹۱-۰۷-۲۳)");
        (await page.Locator("[data-qr] svg").CountAsync()).Should().Be(1);
        (await page.Locator("[data-qr]").GetAttributeAsync("role")).Should().Be("img");
        (await page.Locator("[data-status]").First.GetAttributeAsync("data-status")).Should().Be("valid");
        (await page.Locator("a[data-pdf]").GetAttributeAsync("href")).Should().Be($"/documents/{id}/pdf");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(page, "document");

        var listed = (await (await Registrar.GetAsync($"/api/persons/{code}/documents")).Json()).AsArray();
        listed.Should().ContainSingle();
        listed[0]!.Str("documentId").Should().Be(id.ToString());
        listed[0]!.Str("kind").Should().Be("shenasnameh");
        listed[0]!.Str("channel").Should().Be("office");
        (await page.Locator("[data-qr-payload]").TextContentAsync()).Should().Be((await (await Registrar.GetAsync($"/api/documents/{id}")).Json()).Str("qr"));

        await page.GotoAsync($"/persons/{code}/documents");
        (await page.Locator($"tr[data-document='{id}'] a[href='/documents/{id}']").CountAsync()).Should().Be(1);
        (await page.Locator($"tr[data-document='{id}'] [data-status]").GetAttributeAsync("data-status")).Should().Be("valid");
    }

    [Fact]
    public async Task The_console_gives_a_documents_PDF_to_staff_and_to_its_holder_only()
    {
        var code = await Registrar.Born(Birth("کاوه", "محمدی", "male", "1370/05/01"));
        var other = await Registrar.Born(Birth("مهتاب", "سلیمی", "female", "1372/01/01"));
        var id = (await IssueAsync(code, "shenasnameh")).Str("documentId");
        var othersId = (await IssueAsync(other, "birthCertificate")).Str("documentId");

        var registrar = await console.SignedInAsync("registrar", "001", "reg-1");
        var pdf = await registrar.APIRequest.GetAsync($"/documents/{id}/pdf");
        pdf.Status.Should().Be(200);
        pdf.Headers["content-type"].Should().Be("application/pdf");
        System.Text.Encoding.ASCII.GetString((await pdf.BodyAsync())[..4]).Should().Be("%PDF");

        var citizen = await console.SignedInAsync("citizen", "", code);
        (await citizen.APIRequest.GetAsync($"/me/documents/{id}/pdf")).Status.Should().Be(200);
        (await citizen.APIRequest.GetAsync($"/me/documents/{othersId}/pdf")).Status.Should().Be(404, "another's document is not found");
    }

    [Fact]
    public async Task A_supervisor_revokes_a_document_and_the_public_page_says_so_while_a_valid_one_verifies_and_a_changed_one_does_not()
    {
        var code = await Registrar.Born(Birth("کاوه", "محمدی", "male", "1370/05/01"));
        var revoked = await IssueAsync(code, "shenasnameh");
        var valid = await IssueAsync(code, "birthCertificate");
        var id = revoked.Str("documentId");

        var supervisor = await console.SignedInAsync("supervisor", "001", "sup-1");
        await supervisor.GotoAsync($"/documents/{id}");
        await supervisor.Locator("#f-category").SelectOptionAsync("fraud");
        await supervisor.Locator("#f-reason").FillAsync("صدور با مدارک جعلی");
        await supervisor.Locator("form:has(#f-reason) button[type=submit]").ClickAsync();
        await Assertions.Expect(supervisor.Locator("#f-confirm-error")).ToHaveTextAsync(Text("DocumentPage", "Confirm.Required"));
        (await (await console.Registry.CreateClient().GetAsync($"/api/documents/{id}/status")).Json()).Str("status").Should().Be("valid");
        (await ConsoleFixture.AccessibilityProblemsAsync(supervisor)).Should().BeEmpty();

        await supervisor.Locator("#f-confirm").CheckAsync();
        await supervisor.Locator("form:has(#f-reason) button[type=submit]").ClickAsync();
        await supervisor.WaitForURLAsync("**?revoked=1");
        (await supervisor.Locator("header [data-status]").GetAttributeAsync("data-status")).Should().Be("revoked");
        (await supervisor.Locator("header [data-revocation-category]").InnerTextAsync()).Should().Contain(Text("DocumentText", "Category.fraud"));
        (await supervisor.Locator("#f-reason").CountAsync()).Should().Be(0, "a revoked document cannot be revoked again");
        var status = await (await console.Registry.CreateClient().GetAsync($"/api/documents/{id}/status")).Json();
        status.Str("status").Should().Be("revoked");
        status.Str("revocationCategory").Should().Be("fraud");

        // Anyone, signed out, in a browser of their own.
        var visitor = await console.NewPageAsync();
        await visitor.GotoAsync("/documents/verify");
        (await visitor.Locator("a[href^='/signin']").CountAsync()).Should().Be(1, "the page is public");
        (await ConsoleFixture.AccessibilityProblemsAsync(visitor)).Should().BeEmpty();

        await visitor.Locator("#f-payload").FillAsync(revoked.Str("qr"));
        await visitor.Locator("form:has(#f-payload) button[type=submit]").ClickAsync();
        await Assertions.Expect(visitor.Locator("section[data-verdict]")).ToHaveAttributeAsync("data-verdict", "revoked");
        (await visitor.Locator(".verdict-word").InnerTextAsync()).Should().Be(Text("VerifyDocumentPage", "Verdict.revoked")).And.Contain("باطل شده");
        (await visitor.Locator("[data-revocation-category]").InnerTextAsync()).Should().Be(Text("DocumentText", "Category.fraud"));
        (await ConsoleFixture.AccessibilityProblemsAsync(visitor)).Should().BeEmpty();

        await visitor.Locator("#f-payload").FillAsync(valid.Str("qr"));
        await visitor.Locator("form:has(#f-payload) button[type=submit]").ClickAsync();
        await Assertions.Expect(visitor.Locator("section[data-verdict]")).ToHaveAttributeAsync("data-verdict", "valid");
        (await visitor.Locator(".verdict-word").InnerTextAsync()).Should().Be(Text("VerifyDocumentPage", "Verdict.valid"));
        (await visitor.Locator("[data-verified-fields] td[data-field='givenName']").InnerTextAsync()).Should().Be("کاوه");
        (await visitor.Locator("[data-verified-fields] td[data-field='nationalCode']").InnerTextAsync()).Should().Be(Fa(code));
        (await visitor.Locator("[data-verified-fields] td[data-field='serialNumber']").InnerTextAsync()).Should().Be(Fa(valid.Str("serialNumber")));
        (await ConsoleFixture.AccessibilityProblemsAsync(visitor)).Should().BeEmpty();
        await ConsoleFixture.ScreenshotAsync(visitor, "document-verified");

        // One character of the signed text changed.
        var payload = valid.Str("qr");
        var at = payload.Length / 2;
        var changed = payload[..at] + (payload[at] == 'A' ? 'B' : 'A') + payload[(at + 1)..];
        await visitor.Locator("#f-payload").FillAsync(changed);
        await visitor.Locator("form:has(#f-payload) button[type=submit]").ClickAsync();
        await Assertions.Expect(visitor.Locator("section[data-verdict]")).ToHaveAttributeAsync("data-verdict", "unsigned");
        (await visitor.Locator(".verdict-word").InnerTextAsync()).Should().Be(Text("VerifyDocumentPage", "Verdict.unsigned"));
        (await visitor.Locator("[data-verified-fields]").CountAsync()).Should().Be(0, "nothing unsigned is shown as the registry's");
        (await visitor.Locator("[data-problem]").CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task A_citizen_issues_their_birth_certificate_and_sees_it_listed()
    {
        var code = await Registrar.Born(Birth("نسرین", "کاظمی", "female", "1362/02/01"));
        var page = await console.SignedInAsync("citizen", "", code);
        await page.GotoAsync("/me/documents");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("سندهای من");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        // A death certificate of a living person is refused, in Persian, next to the kind.
        await page.Locator("#f-kind-deathCertificate").CheckAsync();
        await page.Locator("form:has(#f-kind-deathCertificate) button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#f-kind-error")).ToHaveTextAsync(ConsoleFixture.Fa("Refusals", "document.notDeceased", "Text"));
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.Locator("#f-kind-birthCertificate").CheckAsync();
        await page.Locator("form:has(#f-kind-birthCertificate) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/me/documents/*?issued=1");
        var id = IdIn(page.Url);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("گواهی ولادت");
        (await page.Locator("[data-field='givenName']").InnerTextAsync()).Should().Be("نسرین");
        (await page.Locator("#f-reason").CountAsync()).Should().Be(0, "a citizen revokes nothing");
        (await page.Locator("a[data-pdf]").GetAttributeAsync("href")).Should().Be($"/me/documents/{id}/pdf");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        await page.GotoAsync("/me/documents");
        var row = page.Locator($"tr[data-document='{id}']");
        (await row.GetAttributeAsync("data-kind")).Should().Be("birthCertificate");
        (await row.Locator($"a[href='/me/documents/{id}']").InnerTextAsync()).Should().Be("گواهی ولادت");
        (await row.Locator("a[data-pdf]").GetAttributeAsync("href")).Should().Be($"/me/documents/{id}/pdf");
        (await ConsoleFixture.AccessibilityProblemsAsync(page)).Should().BeEmpty();

        var listed = (await (await Registrar.GetAsync($"/api/persons/{code}/documents")).Json()).AsArray();
        listed.Should().ContainSingle();
        listed[0]!.Str("documentId").Should().Be(id.ToString());
        listed[0]!.Str("channel").Should().Be("online");
    }

    [Fact]
    public async Task The_verify_page_given_an_id_shows_only_where_the_document_stands()
    {
        var code = await Registrar.Born(Birth("کاوه", "محمدی", "male", "1370/05/01"));
        var first = await IssueAsync(code, "shenasnameh");
        var second = await IssueAsync(code, "shenasnameh");

        var visitor = await console.NewPageAsync();
        await visitor.GotoAsync($"/documents/verify?id={first.Str("documentId")}");
        var verdict = visitor.Locator("section[data-verdict]");
        (await verdict.GetAttributeAsync("data-verdict")).Should().Be("superseded");
        (await verdict.Locator(".verdict-word").InnerTextAsync()).Should().Be(Text("DocumentText", "Status.superseded"));
        (await verdict.Locator("[data-superseded-for]").InnerTextAsync()).Should().Be(Text("DocumentText", "Cause.reissued"));
        (await verdict.Locator("[data-superseded-by]").InnerTextAsync()).Should().Be(Fa(second.Str("serialNumber")));
        (await visitor.Locator("td[data-field='givenName']").CountAsync()).Should().Be(0, "an id alone shows nothing personal");
        (await visitor.Locator("main").InnerTextAsync()).Should().NotContain("کاوه");
        (await ConsoleFixture.AccessibilityProblemsAsync(visitor)).Should().BeEmpty();

        await visitor.GotoAsync($"/documents/verify?id={second.Str("documentId")}");
        (await visitor.Locator("section[data-verdict]").GetAttributeAsync("data-verdict")).Should().Be("valid");

        await visitor.GotoAsync($"/documents/verify?id={Guid.NewGuid()}");
        (await visitor.Locator("section[data-verdict]").GetAttributeAsync("data-verdict")).Should().Be("notFound");
    }

    [Fact]
    public async Task The_verify_page_offers_the_camera_and_its_reader_decodes_a_documents_QR_code()
    {
        var code = await Registrar.Born(Birth("کاوه", "محمدی", "male", "1370/05/01"));
        var payload = (await IssueAsync(code, "birthCertificate")).Str("qr");

        var visitor = await console.NewPageAsync();
        await visitor.GotoAsync("/documents/verify");
        await Assertions.Expect(visitor.Locator("button[data-scan-for]")).ToBeVisibleAsync();
        // The reader the camera feeds, given the QR code the document prints, drawn as a frame would be.
        var read = await visitor.EvaluateAsync<string?>(@"async svg => {
            const image = new Image();
            image.src = 'data:image/svg+xml;base64,' + btoa(svg);
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 640;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0, 640, 640);
            return window.veDocumentScan.decode(context.getImageData(0, 0, 640, 640));
        }", DocumentQr.Svg(payload));
        read.Should().Be(payload);
    }
}
