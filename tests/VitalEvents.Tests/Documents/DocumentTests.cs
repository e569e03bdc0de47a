using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Documents;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Documents;

/// <summary>
/// Documents issued from the record: every kind, serial numbers without gaps, a status that follows the person's stream
/// (re-issue, correction, death, revocation), and public endpoints that give nothing personal beyond the signed claims.
/// </summary>
public sealed class DocumentTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar", "001", "reg-a");
    private readonly HttpClient _supervisor = registry.As("supervisor", "001", "sup-a");
    private readonly HttpClient _public = registry.CreateClient();

    public Task InitializeAsync() => registry.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonNode> IssueAsync(string code, string kind, string? marriageId = null, string language = "fa", HttpClient? as_ = null) =>
        await (as_ ?? _registrar).PostOk($"/api/persons/{code}/documents", new { kind, marriageId, language });

    private async Task<JsonNode> StatusAsync(string id) => await (await _public.GetAsync($"/api/documents/{id}/status")).Json();

    private async Task<JsonNode> VerifyAsync(string payload)
    {
        var response = await _public.PostAsJsonAsync("/api/documents/verify", new { payload });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Json();
    }

    private static Dictionary<string, string> Fields(JsonNode document) =>
        document["fields"]!.AsArray().ToDictionary(f => f!.Str("name"), f => f!.Str("value"));

    private async Task<(string Husband, string Wife, string MarriageId)> CoupleAsync()
    {
        var husband = await _registrar.Born(Birth("کاوه", "محمدی‌نیا", "male", "1370/05/01"));
        var wife = await _registrar.Born(Birth("پریسا", "کاظمی", "female", "1372/02/01"));
        var marriage = await _registrar.PostOk("/api/marriages", Marriage(husband, wife, "1400/06/01"));
        return (husband, wife, marriage.Str("marriageId"));
    }

    [Fact]
    public async Task Every_kind_is_issued_with_its_printed_fields_and_a_gapless_serial_per_kind()
    {
        var (husband, wife, marriageId) = await CoupleAsync();
        var child = await _registrar.Born(Birth("علی‌رضا", "محمدی‌نیا", "male", "1402/03/01", mother: wife, father: husband));

        var birth = await IssueAsync(child, "birthCertificate");
        Fields(birth).Should().Contain(new Dictionary<string, string>
        {
            ["nationalCode"] = child, ["givenName"] = "علی‌رضا", ["familyName"] = "محمدی‌نیا", ["sex"] = "male", ["fatherName"] = "کاوه",
            ["motherName"] = "پریسا", ["fatherNationalCode"] = husband, ["motherNationalCode"] = wife,
        });
        birth.Str("serialNumber").Should().MatchRegex(@"^BIR-\d{4}-0000001$");
        (await IssueAsync(husband, "birthCertificate")).Str("serialNumber").Should().EndWith("-0000002");

        var marriage = await IssueAsync(wife, "marriageCertificate", marriageId);
        Fields(marriage).Should().Contain(new Dictionary<string, string>
        {
            ["husbandNationalCode"] = husband, ["husbandName"] = "کاوه محمدی‌نیا", ["wifeNationalCode"] = wife, ["wifeName"] = "پریسا کاظمی",
            ["marriageKind"] = "permanent",
        });
        marriage.Str("serialNumber").Should().EndWith("-0000001");

        var shenasnameh = await IssueAsync(husband, "shenasnameh", language: "both");
        Fields(shenasnameh).Should().Contain(new Dictionary<string, string>
        {
            ["marriage.1.spouseNationalCode"] = wife, ["marriage.1.spouseName"] = "پریسا کاظمی", ["child.1.nationalCode"] = child,
            ["child.1.givenName"] = "علی‌رضا",
        });

        await _registrar.PostOk("/api/divorces", new { marriageId, date = "1403/01/10", kind = "irrevocable", waitingPeriodEnds = "1403/04/10", officeCode = "001" });
        var divorce = await IssueAsync(husband, "divorceCertificate", marriageId);
        Fields(divorce)["divorceKind"].Should().Be("irrevocableDivorce");

        await _registrar.PostOk("/api/deaths", Death(husband, "1404/02/01"));
        var death = await IssueAsync(husband, "deathCertificate");
        Fields(death).Should().Contain("deathDate", "2025-04-21");

        var issued = (await registry.EventsOf(husband)).OfType<DocumentIssued>().ToList();
        issued.Select(d => d.Kind).Should().Equal("birthCertificate", "shenasnameh", "divorceCertificate", "deathCertificate");
        issued.Should().AllSatisfy(d => d.ContentSha256.Should().Be(Domain.Documents.DocumentContent.Sha256(d.DocumentId, d.Kind, d.SerialNumber, d.Fields)));
    }

    [Fact]
    public async Task Refusals_are_problems_and_record_nothing()
    {
        var (husband, _, marriageId) = await CoupleAsync();
        var before = await registry.EventCount();
        async Task Refused(object body, HttpStatusCode status, string code)
        {
            var response = await _registrar.PostAsJsonAsync($"/api/persons/{husband}/documents", body);
            response.StatusCode.Should().Be(status);
            (await response.Content.ReadAsStringAsync()).Should().Contain(code);
        }
        await Refused(new { kind = "passport" }, HttpStatusCode.BadRequest, "kind");
        await Refused(new { kind = "marriageCertificate" }, HttpStatusCode.BadRequest, "document.marriageRequired");
        await Refused(new { kind = "marriageCertificate", marriageId = Guid.NewGuid() }, HttpStatusCode.NotFound, "document.marriageNotFound");
        await Refused(new { kind = "divorceCertificate", marriageId }, HttpStatusCode.Conflict, "document.notDivorced");
        await Refused(new { kind = "deathCertificate" }, HttpStatusCode.Conflict, "document.notDeceased");
        await Refused(new { kind = "birthCertificate", marriageId }, HttpStatusCode.BadRequest, "document.marriageNotApplicable");
        await Refused(new { kind = "birthCertificate", language = "de" }, HttpStatusCode.BadRequest, "language");
        (await _registrar.PostAsJsonAsync($"/api/persons/{NationalCode.Issue("001", 9999)}/documents", new { kind = "birthCertificate" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await registry.EventCount()).Should().Be(before);
        (await IssueAsync(husband, "birthCertificate")).Str("serialNumber").Should().EndWith("-0000001", "a refused issue takes no serial number");
    }

    [Fact]
    public async Task A_reissued_shenasnameh_supersedes_the_one_before_and_a_correction_supersedes_what_prints_the_field()
    {
        var (husband, wife, _) = await CoupleAsync();
        var first = await IssueAsync(wife, "shenasnameh");
        var second = await IssueAsync(wife, "shenasnameh");
        var status = await StatusAsync(first.Str("documentId"));
        status.Str("status").Should().Be("superseded");
        status.Str("supersededFor").Should().Be("reissued");
        status.Str("supersededBy").Should().Be(second.Str("documentId"));

        var birth = await IssueAsync(wife, "birthCertificate");
        var correction = await _registrar.PostOk($"/api/persons/{wife}/corrections", Correction("givenName", "پریناز"));
        (await StatusAsync(birth.Str("documentId"))).Str("status").Should().Be("valid", "a correction takes effect only when approved");
        await _supervisor.PostOk($"/api/corrections/{correction.Str("correctionId")}/approve", new { });

        foreach (var id in new[] { birth.Str("documentId"), second.Str("documentId") })
        {
            var now = await StatusAsync(id);
            now.Str("status").Should().Be("superseded");
            now.Str("supersededFor").Should().Be("correction");
        }
        var events = await registry.EventsOf(wife);
        var approved = events.Select((e, i) => (e, i)).Single(x => x.e is CorrectionApproved).i;
        events.Skip(approved + 1).OfType<DocumentSuperseded>().Should().HaveCount(2, "the supersessions are written with the approval, in its transaction");
        (await VerifyAsync(birth.Str("qr")))["status"]!.Str("status").Should().Be("superseded");
    }

    [Fact]
    public async Task A_change_a_document_does_not_print_leaves_it_valid_and_a_death_supersedes_the_shenasnameh()
    {
        var (husband, wife, _) = await CoupleAsync();
        var birth = await IssueAsync(husband, "birthCertificate");
        var shenasnameh = await IssueAsync(husband, "shenasnameh");
        await _registrar.Born(Birth("نگار", "محمدی‌نیا", "female", "1403/01/01", mother: wife, father: husband));
        (await StatusAsync(birth.Str("documentId"))).Str("status").Should().Be("valid", "a birth certificate does not print the children");
        var afterChild = await StatusAsync(shenasnameh.Str("documentId"));
        afterChild.Str("status").Should().Be("superseded");
        afterChild.Str("supersededFor").Should().Be("recordChanged");

        var current = await IssueAsync(husband, "shenasnameh");
        await _registrar.PostOk("/api/deaths", Death(husband, "1404/02/01"));
        var afterDeath = await StatusAsync(current.Str("documentId"));
        afterDeath.Str("status").Should().Be("superseded");
        afterDeath.Str("supersededFor").Should().Be("death");
        (await StatusAsync(birth.Str("documentId"))).Str("status").Should().Be("valid");
    }

    [Fact]
    public async Task A_supervisor_revokes_a_document_and_the_public_sees_only_the_category()
    {
        var (husband, _, _) = await CoupleAsync();
        var document = await IssueAsync(husband, "birthCertificate");
        var id = document.Str("documentId");
        var body = new { category = "issuedInError", reason = "Printed for the wrong applicant." };
        (await _registrar.PostAsJsonAsync($"/api/documents/{id}/revoke", body)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _supervisor.PostAsJsonAsync($"/api/documents/{id}/revoke", new { category = "whim", reason = "x" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        await _supervisor.PostOk($"/api/documents/{id}/revoke", body);
        (await _supervisor.PostAsJsonAsync($"/api/documents/{id}/revoke", body)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var status = await _public.GetAsync($"/api/documents/{id}/status");
        var text = await status.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!;
        json.Str("status").Should().Be("revoked");
        json.Str("revocationCategory").Should().Be("issuedInError");
        text.Should().NotContain(husband).And.NotContain("کاوه").And.NotContain("wrong applicant");
        (await _public.GetAsync($"/api/documents/{Guid.NewGuid()}/status")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var history = await (await _registrar.GetAsync($"/api/persons/{husband}/history")).Content.ReadAsStringAsync();
        history.Should().Contain("document_issued.v1").And.Contain("document_revoked.v1");
    }

    [Fact]
    public async Task Verification_gives_exactly_the_signed_claims_and_refuses_a_changed_payload()
    {
        var (husband, _, _) = await CoupleAsync();
        var document = await IssueAsync(husband, "birthCertificate");
        var qr = document.Str("qr");
        qr.Should().StartWith("VE1:");

        var verified = await VerifyAsync(qr);
        verified["signatureValid"]!.GetValue<bool>().Should().BeTrue(verified.ToJsonString());
        verified["matchesRecord"]!.GetValue<bool>().Should().BeTrue();
        verified.Str("serialNumber").Should().Be(document.Str("serialNumber"));
        Fields(verified).Should().Equal(Fields(document));
        verified["status"]!.Str("status").Should().Be("valid");

        var changed = qr[..20] + (qr[20] == 'A' ? 'B' : 'A') + qr[21..];
        var refused = await VerifyAsync(changed);
        refused["signatureValid"]!.GetValue<bool>().Should().BeFalse();
        refused["fields"].Should().BeNull("claims whose signature fails are not shown");
        (await VerifyAsync("not a document"))["signatureValid"]!.GetValue<bool>().Should().BeFalse();
        (await _public.PostAsJsonAsync("/api/documents/verify", new { })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_citizen_issues_and_reads_their_own_documents_only()
    {
        var (husband, wife, _) = await CoupleAsync();
        var citizen = registry.AsCitizen(wife);
        var mine = await citizen.PostOk("/api/me/documents", new { kind = "shenasnameh", language = "en" });
        mine.Str("channel").Should().Be("online");
        mine.Str("issuedBy").Should().Be(wife);
        (await citizen.GetFromJsonAsync<JsonArray>("/api/me/documents"))!.Should().ContainSingle();
        (await citizen.GetAsync($"/api/me/documents/{mine.Str("documentId")}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var his = await IssueAsync(husband, "birthCertificate");
        (await citizen.GetAsync($"/api/me/documents/{his.Str("documentId")}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await citizen.PostAsJsonAsync($"/api/persons/{husband}/documents", new { kind = "birthCertificate" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Concurrent_issues_take_every_serial_once_without_gaps()
    {
        var people = new List<string>();
        for (var i = 0; i < 6; i++) people.Add(await _registrar.Born(Birth(Numbered("نام", i), "رضایی")));
        var issues = people.SelectMany(p => Enumerable.Range(0, 3).Select(_ => p))
            .Select(p => registry.As("registrar", "001", "reg-a").PostAsJsonAsync($"/api/persons/{p}/documents", new { kind = "birthCertificate" }));
        var responses = await Task.WhenAll(issues);
        responses.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.Created));
        var serials = (await registry.RecordedEvents()).OfType<DocumentIssued>().Select(d => d.Serial).Order().ToList();
        serials.Should().Equal(Enumerable.Range(1, 18));
    }

    [Fact]
    public async Task Rotation_signs_with_the_new_key_and_old_documents_still_verify()
    {
        var (husband, _, _) = await CoupleAsync();
        var before = await IssueAsync(husband, "birthCertificate");
        var store = registry.Services.GetRequiredService<IDocumentKeyStore>();
        var retired = before.Str("keyId");
        var fresh = store.Rotate(DateTimeOffset.UtcNow);
        var after = await IssueAsync(husband, "shenasnameh");
        after.Str("keyId").Should().Be(fresh.KeyId).And.NotBe(retired);

        (await VerifyAsync(before.Str("qr")))["signatureValid"]!.GetValue<bool>().Should().BeTrue();
        (await VerifyAsync(after.Str("qr")))["signatureValid"]!.GetValue<bool>().Should().BeTrue();

        var keys = DocumentKeyList.FromJwks(await _public.GetStringAsync(DocumentKeyList.Path));
        keys.Select(k => k.KeyId).Should().Equal(fresh.KeyId, retired);
        keys[1].SignsUntil.Should().NotBeNull();
        keys[1].VerifiesUntil.Should().BeAfter(DateTimeOffset.UtcNow.AddYears(20));
        keys[0].SignsUntil.Should().BeNull();

        // A payload the retired key signed after it was retired is refused: the key list says when it stopped signing.
        using var retiredKey = ECDsaFromStore(retired);
        var late = DocumentSeal.Seal(new SealedClaims("https://sabteahval.ir", DateTimeOffset.UtcNow.AddHours(1), Guid.NewGuid(), "birthCertificate",
            new Dictionary<string, string> { ["serialNumber"] = "BIR-1405-0000099" }), retiredKey, retired);
        var refused = await VerifyAsync(late);
        refused["signatureValid"]!.GetValue<bool>().Should().BeFalse();
        refused.Str("problem").Should().Contain("retired");
    }

    private System.Security.Cryptography.ECDsa ECDsaFromStore(string keyId)
    {
        var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromEncryptedPem(File.ReadAllText(Path.Combine(registry.DocumentKeyDirectory, $"{keyId}.key.pem")),
            File.ReadAllText(registry.DocumentKeyDirectory + ".passphrase").Trim());
        return key;
    }
}
