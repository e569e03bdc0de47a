using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Pipeline;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// Sahim: a citizen reads their own record, their minor children's and their current spouse's, who read their record, and files
/// correction requests that registrars review; nothing else is theirs to read.
/// </summary>
public sealed class CitizenTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar", "001", "reg-a");
    private readonly HttpClient _supervisor = registry.As("supervisor", "001", "sup-a");
    private readonly HttpClient _auditor = registry.As("auditor", office: null, user: "aud-1");

    public Task InitializeAsync() => registry.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A family: husband and wife married, their minor child, the wife's adult son from before, and a stranger.</summary>
    private async Task<(string Husband, string Wife, string Child, string AdultSon, string Stranger)> FamilyAsync()
    {
        var husband = await _registrar.Born(Birth("بهرام", "شاهرخی", "male", "1360/05/01"));
        var wife = await _registrar.Born(Birth("نسرین", "کاظمی", "female", "1362/02/01"));
        var adultSon = await _registrar.Born(Birth("کاوه", "کاظمی", "male", "1382/01/01", mother: wife));
        await _registrar.PostOk("/api/marriages", Marriage(husband, wife, "1400/06/01"));
        var child = await _registrar.Born(Birth("پرستو", "شاهرخی", "female", "1403/03/01", mother: wife, father: husband));
        var stranger = await _registrar.Born(Birth("مهتاب", "سلیمی", "female", "1370/01/01"));
        return (husband, wife, child, adultSon, stranger);
    }

    [Fact]
    public async Task A_citizen_reads_their_booklet_their_family_and_the_history_of_their_record()
    {
        var (husband, wife, child, adultSon, _) = await FamilyAsync();
        var me = registry.AsCitizen(wife);

        var mine = await Ok(await me.GetAsync("/api/me"));
        mine["person"]!.Str("nationalCode").Should().Be(wife);
        mine["person"]!.Str("givenName").Should().Be("نسرین");
        var family = mine["family"]!.AsArray().Select(m => (m!.Str("relation"), m!.Str("nationalCode"), m!["readable"]!.GetValue<bool>())).ToList();
        family.Should().BeEquivalentTo([("spouse", husband, true), ("child", child, true), ("child", adultSon, false)]);

        var childRecord = await Ok(await me.GetAsync($"/api/me/family/{child}"));
        childRecord.Str("givenName").Should().Be("پرستو");
        var spouse = await Ok(await me.GetAsync($"/api/me/family/{husband}"));
        spouse["spouses"]!.AsArray().Select(s => s!.Str("nationalCode")).Should().Equal(wife);
        spouse["children"]!.AsArray().Select(c => c!.Str("nationalCode")).Should().Equal(child);

        var history = await Ok(await me.GetAsync("/api/me/history"));
        history["entries"]!.AsArray().Select(e => e!.Str("eventType")).Should().StartWith("birth_registered.v1");
    }

    [Fact]
    public async Task A_citizen_may_not_open_an_adult_child_a_stranger_or_a_former_spouse()
    {
        var (husband, wife, _, adultSon, stranger) = await FamilyAsync();
        var me = registry.AsCitizen(wife);
        foreach (var other in new[] { adultSon, stranger })
            await (await me.GetAsync($"/api/me/family/{other}")).ShouldBeProblem(HttpStatusCode.Forbidden, "citizen.notYourFamily");

        await _registrar.PostOk("/api/divorces", new { marriageId = (await MarriageOf(husband))!, date = "1404/01/10", kind = "irrevocable", officeCode = "001" });
        await (await me.GetAsync($"/api/me/family/{husband}")).ShouldBeProblem(HttpStatusCode.Forbidden, "citizen.notYourFamily");
    }

    private async Task<string?> MarriageOf(string nationalCode) =>
        (await _registrar.Person(nationalCode))["spouses"]!.AsArray().Select(s => s!.Str("marriageId")).FirstOrDefault();

    [Fact]
    public async Task A_citizen_token_whose_user_is_not_a_national_code_reads_nothing()
    {
        var nobody = registry.As(Roles.Citizen, office: null, user: "not-a-code");
        await (await nobody.GetAsync("/api/me")).ShouldBeProblem(HttpStatusCode.Forbidden, "citizen.noNationalCode");
        await (await registry.AsCitizen("1234567890").GetAsync("/api/me")).ShouldBeProblem(HttpStatusCode.Forbidden, "citizen.noNationalCode");
    }

    private static IEnumerable<(string Method, string Route)> Endpoints(RegistryFactory registry) =>
        RouteEndpoints(registry).Select(e => (e.Method, e.Route)).Distinct();

    /// <summary>Every endpoint under /api that needs a token, with the first content type its body may have.</summary>
    private static IEnumerable<(string Method, string Route, string ContentType)> RouteEndpoints(RegistryFactory registry) =>
        registry.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/api/", StringComparison.Ordinal)
                && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, e.RoutePattern.RawText!, e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json")))
            .OrderBy(e => e.Item2, StringComparer.Ordinal).ThenBy(e => e.m, StringComparer.Ordinal);

    /// <summary>A route with every parameter filled: national codes with <paramref name="code"/>, ids with a fresh one.</summary>
    private static string Filled(string route, string code) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{([^}:]+)(:[^}]+)?\}", m => m.Groups[2].Value switch
        {
            ":guid" => Guid.NewGuid().ToString(),
            ":long" or ":int" => "1",
            _ => m.Groups[1].Value.Contains("nationalCode", StringComparison.OrdinalIgnoreCase) ? code : "x1",
        });

    [Fact]
    public async Task Every_endpoint_outside_the_citizens_own_refuses_a_citizen_even_for_their_own_national_code()
    {
        var (_, wife, _, _, stranger) = await FamilyAsync();
        var me = registry.AsCitizen(wife);
        var endpoints = RouteEndpoints(registry).Where(e => !e.Route.StartsWith("/api/me", StringComparison.Ordinal)).ToList();
        endpoints.Select(e => (e.Method, e.Route)).Should().Contain(("GET", "/api/persons/{nationalCode}")).And.Contain(("GET", "/api/access-log"))
            .And.Contain(("POST", "/api/verifications")).And.HaveCountGreaterThan(30);
        var allowed = new List<string>();
        foreach (var (method, route, contentType) in endpoints)
            foreach (var code in new[] { stranger, wife })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Filled(route, code) + $"?nationalCode={code}");
                if (method is "POST" or "PUT" or "PATCH")
                    request.Content = new StringContent(contentType == "application/json" ? $"{{\"nationalCode\":\"{code}\"}}" : $"nationalCode\n{code}\n",
                        System.Text.Encoding.UTF8, contentType);
                var response = await me.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Forbidden) allowed.Add($"{method} {route} ({code}): {(int)response.StatusCode}");
            }
        allowed.Should().BeEmpty();
    }

    [Theory]
    [InlineData("registrar", "001")]
    [InlineData("supervisor", "001")]
    [InlineData("auditor", null)]
    [InlineData("subscriber", null)]
    [InlineData("admin", null)]
    [InlineData("verifier", null)]
    public async Task Every_citizens_endpoint_refuses_every_other_role(string role, string? office)
    {
        var (_, wife, child, _, _) = await FamilyAsync();
        var official = registry.As(role, office, wife);
        var endpoints = Endpoints(registry).Where(e => e.Route.StartsWith("/api/me", StringComparison.Ordinal)).ToList();
        endpoints.Should().HaveCountGreaterThanOrEqualTo(5);
        foreach (var (method, route) in endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Filled(route, child));
            if (method == "POST") request.Content = JsonContent.Create(new { field = "givenName", newValue = "نگار", reason = "x" });
            (await official.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{method} {route} is the citizen's own");
        }
        (await registry.CreateClient().GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_citizen_sees_who_read_their_record_office_role_purpose_and_what_but_not_the_officials_user_ids()
    {
        var (_, wife, _, _, _) = await FamilyAsync();
        using (var read = new HttpRequestMessage(HttpMethod.Get, $"/api/persons/{wife}"))
        {
            read.Headers.Add("X-Purpose", "marriage file 1404-88");
            await Ok(await _registrar.SendAsync(read));
        }
        await Ok(await _auditor.GetAsync($"/api/persons/{wife}/history"));
        var me = registry.AsCitizen(wife);
        await Ok(await me.GetAsync("/api/me"));

        var response = await me.GetAsync("/api/me/access-log");
        var text = await response.Content.ReadAsStringAsync();
        var log = await Ok(response);
        var entries = log["items"]!.AsArray();
        entries.Select(e => (e!.Str("reader"), e!.Str("resource"), e!["purpose"]?.GetValue<string>())).Should().Equal(
            ("self", "snapshot", null), ("registry", "history", null), ("office", "snapshot", "marriage file 1404-88"));
        entries[1]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("auditor");
        entries[2]!.Str("officeCode").Should().Be("001");
        text.Should().NotContain("reg-a").And.NotContain("aud-1");
    }

    [Fact]
    public async Task An_agencys_verification_is_in_the_citizens_list_of_who_read_their_record_with_the_agencys_name_and_purpose()
    {
        var (_, wife, _, _, _) = await FamilyAsync();
        await registry.As("admin", office: null, user: "adm-1").PostOk("/api/agencies", new
        {
            id = "bank-melli", name = "بانک ملی ایران", nameEnglish = "Bank Melli Iran", purposes = new[] { "account-opening" },
            answers = new[] { "birthDate", "givenName", "alive" }, dailyQuota = 1000, ratePerSecond = 50,
        });
        var answer = await registry.AsVerifier("bank-melli").PostOk("/api/verifications",
            new { nationalCode = wife, purpose = "account-opening", birthDate = "1362/02/01", givenName = "نسرین" });
        answer["alive"]!.GetValue<bool>().Should().BeTrue();

        var entry = (await Ok(await registry.AsCitizen(wife).GetAsync("/api/me/access-log")))["items"]!.AsArray().Single()!;
        (entry.Str("reader"), entry.Str("agency"), entry.Str("agencyName"), entry.Str("agencyNameEnglish"), entry.Str("purpose"), entry.Str("resource"))
            .Should().Be(("agency", "bank-melli", "بانک ملی ایران", "Bank Melli Iran", "account-opening", "verification"));
        entry.Str("detail").Should().Contain(answer.Str("verificationId")).And.Contain("birthDate").And.NotContain("1362").And.NotContain("نسرین");
    }

    [Fact]
    public async Task A_sealed_entry_is_hidden_from_the_citizen_until_the_seal_ends_and_every_seal_is_shown_to_auditors()
    {
        var (_, wife, _, _, _) = await FamilyAsync();
        using (var read = new HttpRequestMessage(HttpMethod.Get, $"/api/persons/{wife}"))
        {
            read.Headers.Add("X-Purpose", "investigation 17");
            await Ok(await _registrar.SendAsync(read));
        }
        var entry = (await Ok(await _auditor.GetAsync($"/api/access-log?nationalCode={wife}")))["entries"]![0]!;
        var id = entry["id"]!.GetValue<long>();
        var me = registry.AsCitizen(wife);
        async Task<List<long>> Visible() =>
            (await Ok(await me.GetAsync("/api/me/access-log")))["items"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()).ToList();
        (await Visible()).Should().Contain(id);

        var until = DateTimeOffset.UtcNow.AddDays(30).ToString("O");
        (await registry.AsCitizen(wife).PostAsJsonAsync($"/api/access-log/{id}/seals", new { reason = "x", until })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _registrar.PostAsJsonAsync($"/api/access-log/{id}/seals", new { reason = "x", until })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        await (await _auditor.PostAsJsonAsync($"/api/access-log/{id}/seals", new { reason = "case SEC-1404-9", until = "yesterday" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed");
        await (await _auditor.PostAsJsonAsync($"/api/access-log/{id}/seals", new { reason = "case SEC-1404-9", until = DateTimeOffset.UtcNow.AddYears(-1).ToString("O") }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed");
        await (await _auditor.PostAsJsonAsync("/api/access-log/999999999/seals", new { reason = "case SEC-1404-9", until }))
            .ShouldBeProblem(HttpStatusCode.NotFound, "accessLog.entryNotFound");

        (await _auditor.PostAsJsonAsync($"/api/access-log/{id}/seals", new { reason = "case SEC-1404-9", until })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Visible()).Should().NotContain(id);
        var sealedEntry = (await Ok(await _auditor.GetAsync($"/api/access-log?nationalCode={wife}")))["entries"]!.AsArray()
            .Single(e => e!["id"]!.GetValue<long>() == id)!;
        sealedEntry["seal"]!.Str("reason").Should().Be("case SEC-1404-9");
        sealedEntry["seal"]!.Str("sealedBy").Should().Be("aud-1");

        (await _auditor.PostAsJsonAsync($"/api/access-log/{id}/seals", new { reason = "case closed", until = DateTimeOffset.UtcNow.ToString("O") }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await Visible()).Should().Contain(id);
        var seals = (await Ok(await _auditor.GetAsync("/api/access-log/seals")))["items"]!.AsArray();
        seals.Select(s => (s!["entryId"]!.GetValue<long>(), s!.Str("reason"))).Should().Equal((id, "case closed"), (id, "case SEC-1404-9"));
    }

    [Fact]
    public async Task A_citizens_request_is_reviewed_by_a_registrar_of_their_office_and_decided_by_a_supervisor()
    {
        var (_, wife, _, _, _) = await FamilyAsync();
        var me = registry.AsCitizen(wife);
        var before = await registry.EventCount();
        await (await me.PostAsJsonAsync("/api/me/requests", new { field = "givenName", newValue = "Nasrin1", reason = "x" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed");
        await (await me.PostAsJsonAsync("/api/me/requests", new { field = "givenName", newValue = "نسرین", reason = "x" }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "correction.noChange");
        (await registry.EventCount()).Should().Be(before);

        var filed = await me.PostOk("/api/me/requests", new { field = "givenName", newValue = "نسترن", reason = "اشتباه در رونویسی", evidence = new[] { "EV-1404-1" } });
        filed.Str("status").Should().Be("filed");
        var requestId = filed.Str("requestId");
        await (await me.PostAsJsonAsync("/api/me/requests", new { field = "givenName", newValue = "نسیم", reason = "x" }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "citizenRequest.alreadyOpen");

        var queue = await Ok(await _registrar.GetAsync("/api/citizen-requests?office=001"));
        queue["items"]!.AsArray().Select(r => r!.Str("id")).Should().Equal(requestId);

        var otherField = new { field = "familyName", newValue = "کاظم‌زاده", authority = "board", decisionReference = "B-1", reason = "r", citizenRequestId = requestId };
        await (await _registrar.PostAsJsonAsync($"/api/persons/{wife}/corrections", otherField))
            .ShouldBeProblem(HttpStatusCode.Conflict, "citizenRequest.otherField");
        await (await _registrar.PostAsJsonAsync($"/api/persons/{wife}/corrections", otherField with { citizenRequestId = Guid.NewGuid().ToString() }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "citizenRequest.notOpen");
        (await Ok(await me.GetAsync("/api/me")))["requests"]!.AsArray().Select(r => r!.Str("status")).Should().Equal("filed");
    }

    [Fact]
    public async Task A_request_taken_up_follows_the_correction_and_a_declined_one_says_why()
    {
        var (_, wife, _, _, _) = await FamilyAsync();
        var me = registry.AsCitizen(wife);
        var given = (await me.PostOk("/api/me/requests", new { field = "givenName", newValue = "نسترن", reason = "اشتباه در رونویسی" })).Str("requestId");
        var family = (await me.PostOk("/api/me/requests", new { field = "familyName", newValue = "کاظم‌پور", reason = "حکم دادگاه" })).Str("requestId");

        var takeUp = new { field = "givenName", newValue = "نسترن", authority = "board", decisionReference = "HE-001-1404-30", reason = "به درخواست شخص", citizenRequestId = given };
        var elsewhere = registry.As("registrar", "002", "reg-b");
        await (await elsewhere.PostAsJsonAsync($"/api/persons/{wife}/corrections", takeUp)).ShouldBeProblem(HttpStatusCode.Forbidden, "office.outsideJurisdiction");
        var correction = (await _registrar.PostOk($"/api/persons/{wife}/corrections", takeUp)).Str("correctionId");
        await (await _registrar.PostAsJsonAsync($"/api/persons/{wife}/corrections", takeUp with { }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "correction.alreadyPending");
        (await StatusOf(me, given)).Should().Be("underReview");

        await _supervisor.PostOk($"/api/corrections/{correction}/approve", new { });
        (await StatusOf(me, given)).Should().Be("approved");
        (await Ok(await me.GetAsync("/api/me")))["person"]!.Str("givenName").Should().Be("نسترن");

        await (await elsewhere.PostAsJsonAsync($"/api/citizen-requests/{family}/decline", new { reason = "x" }))
            .ShouldBeProblem(HttpStatusCode.Forbidden, "office.outsideJurisdiction");
        await _registrar.PostOk($"/api/citizen-requests/{family}/decline", new { reason = "حکم دادگاه پیوست نشده است" });
        var requests = (await Ok(await me.GetAsync("/api/me/requests"))).AsArray();
        var declined = requests.Single(r => r!.Str("requestId") == family)!;
        (declined.Str("status"), declined.Str("outcome")).Should().Be(("declined", "حکم دادگاه پیوست نشده است"));
        requests.ToJsonString().Should().NotContain("reg-a").And.NotContain("sup-a");
        await (await _registrar.PostAsJsonAsync($"/api/citizen-requests/{family}/decline", new { reason = "again" }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "citizenRequest.notOpen");
    }

    private static async Task<JsonNode> Ok(HttpResponseMessage response)
    {
        await response.ShouldHaveStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    private static async Task<string> StatusOf(HttpClient me, string requestId) =>
        (await Ok(await me.GetAsync("/api/me")))["requests"]!.AsArray().Single(r => r!.Str("requestId") == requestId)!.Str("status");
}
