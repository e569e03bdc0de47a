using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static VitalEvents.Tests.HttpChecks;
using static VitalEvents.Tests.Verifications.VerificationTesting;

namespace VitalEvents.Tests.Verifications;

/// <summary>Admins register and change agencies; every change is in the agency's change log, which admins and auditors read.</summary>
public sealed class AgencyTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _admin = registry.As("admin", office: null, user: "admin-1");

    public Task InitializeAsync() => registry.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_admin_registers_an_agency_and_reads_it_back_alone_and_in_the_list()
    {
        var created = await _admin.PostAsJsonAsync("/api/agencies", AgencyBody("bank-melli", ["account-opening", "loan"], ["birthDate", "givenName", "alive"], 5000, 50));

        await created.ShouldHaveStatus(HttpStatusCode.Created);
        created.Headers.Location!.ToString().Should().Be("/api/agencies/bank-melli");
        var agency = (await _admin.GetFromJsonAsync<JsonNode>("/api/agencies/bank-melli"))!;
        agency.Str("name").Should().Be("بانک ملی ایران");
        agency.Str("nameEnglish").Should().Be("Bank Melli Iran");
        agency["purposes"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("account-opening", "loan");
        agency["answers"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("birthDate", "givenName", "alive");
        agency["dailyQuota"]!.GetValue<int>().Should().Be(5000);
        agency["ratePerSecond"]!.GetValue<int>().Should().Be(50);
        agency.Str("status").Should().Be("active");
        agency["version"]!.GetValue<long>().Should().Be(1);
        agency.Str("createdBy").Should().Be("admin-1");

        await _admin.PostOk("/api/agencies", AgencyBody("irancell", ["sim-registration"]));
        var list = (await _admin.GetFromJsonAsync<JsonArray>("/api/agencies"))!;
        list.Select(a => a!.Str("id")).Should().Equal("bank-melli", "irancell");
    }

    [Fact]
    public async Task An_agency_id_is_registered_once()
    {
        await _admin.PostOk("/api/agencies", AgencyBody("bank-melli"));

        await (await _admin.PostAsJsonAsync("/api/agencies", AgencyBody("bank-melli"))).ShouldBeProblem(HttpStatusCode.Conflict, "agency.exists");
    }

    [Theory]
    [InlineData("Bank_Melli", null, null, 10, 1, "agency.invalidId")]
    [InlineData("bank-melli", "Account Opening", null, 10, 1, "agency.invalidPurpose")]
    [InlineData("bank-melli", null, "nationalCode", 10, 1, "agency.unknownAnswer")]
    [InlineData("bank-melli", null, "alive", 10, 1, "agency.noAttribute")]
    [InlineData("bank-melli", null, null, 0, 1, "field.outOfRange")]
    [InlineData("bank-melli", null, null, 10, 0, "field.outOfRange")]
    public async Task Bad_terms_are_refused_field_by_field_and_nothing_is_registered(string id, string? purpose, string? answer, int quota, int rate, string code)
    {
        var response = await _admin.PostAsJsonAsync("/api/agencies",
            AgencyBody(id, purpose is null ? null : [purpose], answer is null ? null : [answer], quota, rate));

        FieldCode(await response.ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed")).Should().Be(code);
        (await _admin.GetFromJsonAsync<JsonArray>("/api/agencies"))!.Should().BeEmpty();
    }

    [Fact]
    public async Task A_change_honours_If_Match_and_every_change_is_logged_with_who_when_before_and_after()
    {
        await _admin.PostOk("/api/agencies", AgencyBody("bank-melli", dailyQuota: 1000, ratePerSecond: 10));
        var read = await _admin.GetAsync("/api/agencies/bank-melli");
        var etag = read.Headers.ETag!.Tag;
        etag.Should().StartWith("\"1-");

        var change = new { name = "بانک ملی", nameEnglish = "Bank Melli", purposes = new[] { "account-opening", "pension" }, answers = new[] { "birthDate" },
            dailyQuota = 2000, ratePerSecond = 20 };
        using var changed = new HttpRequestMessage(HttpMethod.Put, "/api/agencies/bank-melli") { Content = JsonContent.Create(change) };
        changed.Headers.TryAddWithoutValidation("If-Match", etag);
        var after = await _admin.SendAsync(changed);
        await after.ShouldHaveStatus(HttpStatusCode.OK);
        (await after.Json())["dailyQuota"]!.GetValue<int>().Should().Be(2000);

        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/agencies/bank-melli") { Content = JsonContent.Create(change with { }) };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        await (await _admin.SendAsync(stale)).ShouldBeProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");

        using var other = registry.As("admin", office: null, user: "admin-2");
        await other.PostOk("/api/agencies/bank-melli/suspend", new { });
        await other.PostOk("/api/agencies/bank-melli/resume", new { });

        using var auditor = registry.As("auditor", office: null, user: "aud-1");
        var log = (await auditor.GetFromJsonAsync<JsonArray>("/api/agencies/bank-melli/changes"))!;
        log.Select(c => (c!.Str("action"), c!.Str("userId"))).Should().Equal(
            ("resumed", "admin-2"), ("suspended", "admin-2"), ("changed", "admin-1"), ("registered", "admin-1"));
        log[3]!["before"].Should().BeNull();
        log[3]!["after"]!["dailyQuota"]!.GetValue<int>().Should().Be(1000);
        var quotaChange = log[2]!;
        quotaChange["before"]!["dailyQuota"]!.GetValue<int>().Should().Be(1000);
        quotaChange["after"]!["dailyQuota"]!.GetValue<int>().Should().Be(2000);
        quotaChange["before"]!["ratePerSecond"]!.GetValue<int>().Should().Be(10);
        quotaChange["after"]!["ratePerSecond"]!.GetValue<int>().Should().Be(20);
        quotaChange["after"]!["purposes"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("account-opening", "pension");
        log[1]!["before"]!.Str("status").Should().Be("active");
        log[1]!["after"]!.Str("status").Should().Be("suspended");
        log.Select(c => DateTimeOffset.Parse(c!.Str("at"), System.Globalization.CultureInfo.InvariantCulture)).Should().BeInDescendingOrder();
        (await _admin.GetFromJsonAsync<JsonNode>("/api/agencies/bank-melli"))!["version"]!.GetValue<long>().Should().Be(4);
    }

    [Fact]
    public async Task A_change_that_changes_nothing_is_not_logged()
    {
        await _admin.PostOk("/api/agencies", AgencyBody("bank-melli"));

        await _admin.PostOk("/api/agencies/bank-melli/resume", new { });

        (await _admin.GetFromJsonAsync<JsonArray>("/api/agencies/bank-melli/changes"))!.Select(c => c!.Str("action")).Should().Equal("registered");
    }

    [Fact]
    public async Task The_change_log_cannot_be_altered_by_the_application()
    {
        await _admin.PostOk("/api/agencies", AgencyBody("bank-melli"));

        var alter = async () => await AccessLogTable.AsApplicationAsync($"update {registry.Schema}.agency_changes set user_id = 'someone-else'");

        await alter.Should().ThrowAsync<Npgsql.PostgresException>();
    }

    [Fact]
    public async Task Unknown_agencies_are_404()
    {
        await (await _admin.GetAsync("/api/agencies/nobody")).ShouldBeProblem(HttpStatusCode.NotFound, "agency.notFound");
        await (await _admin.GetAsync("/api/agencies/nobody/changes")).ShouldBeProblem(HttpStatusCode.NotFound, "agency.notFound");
        await (await _admin.PostAsJsonAsync("/api/agencies/nobody/suspend", new { })).ShouldBeProblem(HttpStatusCode.NotFound, "agency.notFound");
    }

    public static TheoryData<string?> NotAdmins => new() { null, "registrar", "supervisor", "auditor", "subscriber", "citizen", "verifier" };

    [Theory]
    [MemberData(nameof(NotAdmins))]
    public async Task Only_admins_manage_agencies_and_only_admins_and_auditors_read_their_changes(string? role)
    {
        await _admin.PostOk("/api/agencies", AgencyBody("bank-melli"));
        using var client = role switch
        {
            null => registry.CreateClient(),
            "verifier" => registry.AsVerifier("bank-melli"),
            "citizen" => registry.AsCitizen("0012345679"),
            _ => registry.As(role),
        };
        var refused = role is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
        var terms = AgencyBody("bank-melli");

        (await client.PostAsJsonAsync("/api/agencies", AgencyBody("other"))).StatusCode.Should().Be(refused);
        (await client.GetAsync("/api/agencies")).StatusCode.Should().Be(refused);
        (await client.GetAsync("/api/agencies/bank-melli")).StatusCode.Should().Be(refused);
        (await client.PutAsJsonAsync("/api/agencies/bank-melli", terms)).StatusCode.Should().Be(refused);
        (await client.PostAsJsonAsync("/api/agencies/bank-melli/suspend", new { })).StatusCode.Should().Be(refused);
        (await client.PostAsJsonAsync("/api/agencies/bank-melli/resume", new { })).StatusCode.Should().Be(refused);
        (await client.GetAsync("/api/agencies/bank-melli/changes")).StatusCode.Should().Be(role == "auditor" ? HttpStatusCode.OK : refused);
        (await _admin.GetFromJsonAsync<JsonArray>("/api/agencies"))!.Should().ContainSingle();
    }
}
