using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VitalEvents.Domain;
using static VitalEvents.Tests.HttpChecks;
using static VitalEvents.Tests.Verifications.VerificationTesting;

namespace VitalEvents.Tests.Verifications;

/// <summary>
/// An agency's verifier asks whether what it was told matches the registry: matches only, never a stored value; every verification
/// in the access log before it is answered; purposes, answers, quota and rate enforced.
/// </summary>
public sealed class VerificationTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _auditor = registry.As("auditor", office: null, user: "aud-1");
    private string _since = "";

    // Ali (Tehran, 1355/01/15 = 1976-04-04), son of Hossein; Hossein died on 1398/10/01 (2019-12-22).
    private string _ali = "", _hossein = "";

    public async Task InitializeAsync()
    {
        await registry.ResetAsync();
        _since = Uri.EscapeDataString((await AccessLogTable.DatabaseNowAsync()).ToString("O"));
        using var registrar = registry.As("registrar", "001", "reg-1");
        _hossein = await registrar.Born(Requests.Birth("حسین", "رضایی", "male", "1325/05/12"));
        _ali = await registrar.Born(Requests.Birth("علی", "رضایی", "male", "1355/01/15", father: _hossein));
        await registrar.PostOk("/api/deaths", Requests.Death(_hossein, "1398/10/01"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_attribute_asked_is_answered_exact_similar_or_different_and_alive_when_all_matched()
    {
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync(answers: ["birthDate", "givenName", "familyName", "fatherName", "alive"]));

        var answer = await bank.VerifyOk(Ask(_ali, birthDate: "۱۳۵۵/۰۱/۱۵", givenName: "علي", familyName: "رضائی", fatherName: "حسين"));

        answer["verificationId"]!.GetValue<Guid>().Should().NotBeEmpty();
        answer["match"]!.ToJsonString().Should().Be("""{"birthDate":true,"givenName":"exact","familyName":"similar","fatherName":"exact"}""");
        answer["alive"]!.GetValue<bool>().Should().BeTrue();
        answer.AsObject().Select(p => p.Key).Should().Equal("verificationId", "match", "alive");

        var iso = await bank.VerifyOk(Ask(_ali, birthDate: "1976-04-04"));
        iso["match"]!.ToJsonString().Should().Be("""{"birthDate":true}""");

        var wrong = await bank.VerifyOk(Ask(_ali, birthDate: "1976-04-05", givenName: "علی"));
        wrong["match"]!.ToJsonString().Should().Be("""{"birthDate":false,"givenName":"exact"}""");
        wrong["alive"].Should().BeNull("not everything asked matched");
    }

    [Fact]
    public async Task An_unknown_code_and_a_known_one_of_whom_nothing_matches_are_answered_alike()
    {
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync(answers: ["birthDate", "givenName", "familyName", "fatherName", "alive", "dateOfDeath"]));
        var ask = (string code) => Ask(code, birthDate: "1390/07/07", givenName: "سارا", familyName: "کریمی", fatherName: "رضا");

        var unknown = await bank.VerifyOk(ask(Unissued(1)));
        var mismatch = await bank.VerifyOk(ask(_hossein));

        foreach (var answer in new[] { unknown, mismatch }) answer.AsObject().Remove("verificationId");
        unknown.ToJsonString().Should().Be(mismatch.ToJsonString())
            .And.Be("""{"match":{"birthDate":false,"givenName":"different","familyName":"different","fatherName":"different"},"alive":null}""");
    }

    [Fact]
    public async Task Existence_and_the_date_of_death_are_answered_only_to_agencies_allowed_them_and_the_date_only_for_a_matched_death()
    {
        using var pension = registry.AsVerifier(await registry.RegisterAgencyAsync(purposes: ["pension"], answers: ["givenName", "alive", "dateOfDeath", "existence"]));
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync(answers: ["givenName", "alive"]));

        var dead = await pension.VerifyOk(Ask(_hossein, "pension", givenName: "حسین"));
        dead["alive"]!.GetValue<bool>().Should().BeFalse();
        dead.Str("dateOfDeath").Should().Be("2019-12-22");
        dead.Str("dateOfDeathSolarHijri").Should().Be("1398/10/01");
        dead["known"]!.GetValue<bool>().Should().BeTrue();

        var mismatch = await pension.VerifyOk(Ask(_hossein, "pension", givenName: "مریم"));
        mismatch["dateOfDeath"].Should().BeNull();
        mismatch["known"]!.GetValue<bool>().Should().BeTrue();
        (await pension.VerifyOk(Ask(Unissued(2), "pension", givenName: "حسین")))["known"]!.GetValue<bool>().Should().BeFalse();

        var toBank = await bank.VerifyOk(Ask(_hossein, givenName: "حسین"));
        toBank["alive"]!.GetValue<bool>().Should().BeFalse();
        toBank.AsObject().Select(p => p.Key).Should().Equal("verificationId", "match", "alive");
    }

    [Fact]
    public async Task An_agency_not_allowed_alive_is_never_told_it()
    {
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync(answers: ["givenName"]));

        (await bank.VerifyOk(Ask(_hossein, givenName: "حسین")))["alive"].Should().BeNull();
    }

    [Fact]
    public async Task Purposes_and_answers_the_agency_may_not_use_are_refused_and_neither_logged_nor_counted()
    {
        var id = await registry.RegisterAgencyAsync(answers: ["givenName", "alive"], dailyQuota: 1);
        using var bank = registry.AsVerifier(id);

        var purpose = await (await bank.VerifyAsync(Ask(_ali, "sim-registration", givenName: "علی"))).ShouldBeProblem(HttpStatusCode.Forbidden, "verification.purposeNotAllowed");
        purpose["errors"]!.AsArray().Single()!.Str("field").Should().Be("purpose");
        await (await bank.VerifyAsync(Ask(_ali, birthDate: "1355/01/15"))).ShouldBeProblem(HttpStatusCode.Forbidden, "verification.answerNotAllowed");
        await (await bank.VerifyAsync(Ask(_ali, givenName: "علی", fatherName: "حسین"))).ShouldBeProblem(HttpStatusCode.Forbidden, "verification.answerNotAllowed");
        await (await bank.VerifyAsync(Ask(_ali, givenName: "علی2"))).ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed");
        await (await bank.VerifyAsync(Ask(_ali))).ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed");
        var fields = await (await bank.VerifyAsync(new { nationalCode = "0012345678", purpose = "Account Opening", birthDate = "1404/13/01" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed");
        fields["errors"]!.AsArray().Select(e => e!.Str("field")).Should().Equal("nationalCode", "purpose", "birthDate");

        (await Log(_ali)).Should().BeEmpty();
        await bank.VerifyOk(Ask(_ali, givenName: "علی")); // the quota of one is still there
        await (await bank.VerifyAsync(Ask(_ali, givenName: "علی"))).ShouldBeProblem(HttpStatusCode.TooManyRequests, "verification.quotaExhausted");
    }

    [Fact]
    public async Task Every_verification_is_in_the_access_log_with_the_agency_and_purpose_and_attribute_names_never_values()
    {
        var id = await registry.RegisterAgencyAsync(purposes: ["account-opening", "loan"]);
        using var bank = registry.AsVerifier(id, user: "teller-7");

        var found = await bank.VerifyOk(Ask(_ali, "loan", birthDate: "1355/01/15", givenName: "علی"));
        var unknown = Unissued(3);
        var missing = await bank.VerifyOk(Ask(unknown, familyName: "رضایی"));

        var entry = (await Log(_ali)).Single()!;
        entry.Str("resource").Should().Be("verification");
        entry.Str("agency").Should().Be(id);
        entry.Str("userId").Should().Be("teller-7");
        entry.Str("purpose").Should().Be("loan");
        entry.Str("query").Should().Be($"id={found.Str("verificationId")} asked=birthDate,givenName");
        entry["status"]!.GetValue<int>().Should().Be(200);
        var none = (await Log(unknown)).Single()!;
        none["status"]!.GetValue<int>().Should().Be(404);
        none.Str("query").Should().Be($"id={missing.Str("verificationId")} asked=familyName");
        none.ToJsonString().Should().NotContain("رضایی").And.NotContain("1355").And.NotContain("علی");
    }

    [Fact]
    public async Task A_verification_whose_log_entry_cannot_be_written_is_not_answered()
    {
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync());
        await registry.AsOwner("alter table {schema}.access_log rename to access_log_away");
        try
        {
            var response = await bank.VerifyAsync(Ask(_ali, givenName: "علی"));

            var problem = await response.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "database.unavailable");
            response.Headers.RetryAfter.Should().NotBeNull();
            problem.ToJsonString().Should().NotContain("exact");
        }
        finally
        {
            await registry.AsOwner("alter table {schema}.access_log_away rename to access_log");
        }
    }

    [Fact]
    public async Task The_daily_quota_holds_across_instances_and_then_429_with_Retry_After_until_Tehran_midnight()
    {
        var id = await registry.RegisterAgencyAsync(dailyQuota: 4);
        await using var second = new RegistryFactory(new Dictionary<string, string?> { ["VitalEvents:Auth:DevelopmentKeyPath"] = registry.KeyPath },
            registry.Schema, keepSchema: true);
        using var here = registry.AsVerifier(id);
        using var there = second.CreateClient();
        there.DefaultRequestHeaders.Authorization = here.DefaultRequestHeaders.Authorization;

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { here, there, here, there, here, there })
            statuses.Add((await client.VerifyAsync(Ask(_ali, givenName: "علی"))).StatusCode);

        statuses.Count(s => s == HttpStatusCode.OK).Should().Be(4, string.Join(",", statuses));
        statuses.Skip(4).Should().AllBeEquivalentTo(HttpStatusCode.TooManyRequests);
        var refused = await there.VerifyAsync(Ask(_ali, givenName: "علی"));
        await refused.ShouldBeProblem(HttpStatusCode.TooManyRequests, "verification.quotaExhausted");
        var untilMidnight = new DateTimeOffset(DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(new TimeSpan(3, 30, 0)).DateTime).AddDays(1)
            .ToDateTime(TimeOnly.MinValue), new TimeSpan(3, 30, 0)) - DateTimeOffset.UtcNow;
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeInRange(untilMidnight.TotalSeconds - 120, untilMidnight.TotalSeconds + 120);
        (await Log(_ali)).Count.Should().Be(4, "a verification refused for its quota is not made");
    }

    [Fact]
    public async Task A_raised_quota_is_used_at_once_and_the_change_is_audited()
    {
        var id = await registry.RegisterAgencyAsync(dailyQuota: 1);
        using var bank = registry.AsVerifier(id);
        using var admin = registry.As("admin", office: null, user: "admin-1");
        await bank.VerifyOk(Ask(_ali, givenName: "علی"));
        (await bank.VerifyAsync(Ask(_ali, givenName: "علی"))).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);

        (await admin.PutAsJsonAsync($"/api/agencies/{id}", new { name = "بانک", nameEnglish = "Bank", purposes = new[] { "account-opening" },
            answers = AllAnswers, dailyQuota = 2, ratePerSecond = 10_000 })).EnsureSuccessStatusCode();

        await bank.VerifyOk(Ask(_ali, givenName: "علی"));
        var change = (await admin.GetFromJsonAsync<JsonArray>($"/api/agencies/{id}/changes"))![0]!;
        (change["before"]!["dailyQuota"]!.GetValue<int>(), change["after"]!["dailyQuota"]!.GetValue<int>()).Should().Be((1, 2));
    }

    [Fact]
    public async Task An_agency_over_its_rate_is_answered_429_with_Retry_After()
    {
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync(ratePerSecond: 1));

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++) responses.Add(await bank.VerifyAsync(Ask(_ali, givenName: "علی")));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        limited.Should().NotBeEmpty("a bucket of one request a second cannot take six in a row");
        await limited[0].ShouldBeProblem(HttpStatusCode.TooManyRequests, "verification.rateLimited");
        limited[0].Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeGreaterThanOrEqualTo(1);
        (await Log(_ali)).Count.Should().Be(responses.Count(r => r.IsSuccessStatusCode));
    }

    [Fact]
    public async Task A_suspended_agency_is_refused_at_once_and_verifies_again_when_resumed()
    {
        var id = await registry.RegisterAgencyAsync();
        using var bank = registry.AsVerifier(id);
        using var admin = registry.As("admin", office: null, user: "admin-1");
        await bank.VerifyOk(Ask(_ali, givenName: "علی"));

        await admin.PostOk($"/api/agencies/{id}/suspend", new { });
        await (await bank.VerifyAsync(Ask(_ali, givenName: "علی"))).ShouldBeProblem(HttpStatusCode.Forbidden, "verification.agencySuspended");

        await admin.PostOk($"/api/agencies/{id}/resume", new { });
        await bank.VerifyOk(Ask(_ali, givenName: "علی"));
    }

    public static TheoryData<string?> NotVerifiers => new() { null, "registrar", "supervisor", "auditor", "subscriber", "admin", "citizen" };

    [Theory]
    [MemberData(nameof(NotVerifiers))]
    public async Task Only_verifiers_verify(string? role)
    {
        await registry.RegisterAgencyAsync("bank-melli");
        using var client = role switch
        {
            null => registry.CreateClient(),
            "citizen" => registry.AsCitizen(_ali),
            _ => registry.As(role),
        };
        var expected = role is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;

        (await client.VerifyAsync(Ask(_ali, givenName: "علی"))).StatusCode.Should().Be(expected);
        (await client.PostAsync("/api/verifications/batch", Ndjson(Ask(_ali, givenName: "علی")))).StatusCode.Should().Be(expected);
        (await Log(_ali)).Should().BeEmpty();
    }

    [Theory]
    [InlineData(null, "verification.agencyUnknown")]
    [InlineData("nobody", "verification.agencyUnknown")]
    [InlineData("suspended", "verification.agencySuspended")]
    public async Task A_verifier_acts_only_for_a_registered_active_agency(string? agency, string code)
    {
        var suspended = await registry.RegisterAgencyAsync();
        using var admin = registry.As("admin", office: null, user: "admin-1");
        await admin.PostOk($"/api/agencies/{suspended}/suspend", new { });
        using var client = agency is null ? registry.As("verifier", office: null, user: "client-x") : registry.AsVerifier(agency == "suspended" ? suspended : agency);

        await (await client.VerifyAsync(Ask(_ali, givenName: "علی"))).ShouldBeProblem(HttpStatusCode.Forbidden, code);
        await (await client.PostAsync("/api/verifications/batch", Ndjson(Ask(_ali, givenName: "علی")))).ShouldBeProblem(HttpStatusCode.Forbidden, code);
        (await Log(_ali)).Should().BeEmpty();
    }

    private static StringContent Ndjson(params object[] rows) =>
        new(string.Join('\n', rows.Select(r => System.Text.Json.JsonSerializer.Serialize(r))), System.Text.Encoding.UTF8, "application/x-ndjson");

    private async Task<JsonArray> Log(string nationalCode)
    {
        var response = await _auditor.GetAsync($"/api/access-log?nationalCode={nationalCode}&from={_since}&pageSize=100");
        await response.ShouldHaveStatus(HttpStatusCode.OK);
        return (await response.Json())["entries"]!.AsArray();
    }
}
