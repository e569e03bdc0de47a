using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using VitalEvents.Domain;
using VitalEvents.Pipeline;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>Auditors' time travel: what changed between two points of a record, and the history filtered by period and event type, paged.</summary>
public sealed class TimeTravelTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");
    private readonly HttpClient _auditor = registry.As("auditor", office: null, user: "auditor-1");

    public Task InitializeAsync() => registry.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A husband born (1), married (2), his given name corrected (3 requested, 4 approved), dead (5).</summary>
    private async Task<(string Husband, string Wife)> ALife()
    {
        var husband = await _registrar.Born(Birth("حسین", "رضایی", "male", "1370/01/01"));
        var wife = await _registrar.Born(Birth("فاطمه", "محمدی", "female", "1372/01/01"));
        await _registrar.PostOk("/api/marriages", Marriage(husband, wife, "1403/06/01"));
        var correctionId = (await _registrar.PostOk($"/api/persons/{husband}/corrections", Correction("givenName", "حسن"))).Str("correctionId");
        (await registry.As("supervisor").PostAsync($"/api/corrections/{correctionId}/approve", null)).EnsureSuccessStatusCode();
        await _registrar.PostOk("/api/deaths", Death(husband, "1404/02/01"));
        return (husband, wife);
    }

    private async Task<JsonNode> DiffOk(string nationalCode, string query)
    {
        var response = await _auditor.GetAsync($"/api/persons/{nationalCode}/diff?{query}");
        await response.ShouldHaveStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    private static JsonNode Change(JsonNode diff, string field) =>
        diff["changes"]!.AsArray().SingleOrDefault(c => c!.Str("field") == field)
        ?? throw new InvalidOperationException($"{field} is not among the changes: {diff["changes"]!.ToJsonString()}");

    private static IEnumerable<long> VersionsOf(JsonNode change) => change["events"]!.AsArray().Select(e => e!["version"]!.GetValue<long>());

    private async Task<JsonArray> Entries(string nationalCode) =>
        (await (await _registrar.GetAsync($"/api/persons/{nationalCode}/history")).Json())["entries"]!.AsArray();

    private static string Q(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToString("O"));

    private static DateTimeOffset At(JsonNode node, string property) => DateTimeOffset.Parse(node.Str(property), CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_diff_from_the_birth_to_now_lists_every_changed_field_with_old_and_new_values_and_the_events_that_changed_it()
    {
        var (husband, wife) = await ALife();

        var diff = await DiffOk(husband, "from=1");

        diff.Str("nationalCode").Should().Be(husband);
        diff["from"]!["version"]!.GetValue<long>().Should().Be(1);
        diff["to"]!["version"]!.GetValue<long>().Should().Be(5);
        var entries = await Entries(husband);
        At(diff["to"]!, "at").Should().Be(At(entries[4]!, "recordedAt"), "a version point is at the time that version was recorded");
        diff["changes"]!.AsArray().Select(c => c!.Str("field")).Should().BeEquivalentTo(
            "givenName", "maritalStatus", "spouses", "alive", "dateOfDeath", "dateOfDeathSolarHijri", "placeOfDeath", "deathRegisteredLate", "documentStatus");

        var givenName = Change(diff, "givenName");
        givenName.Str("oldValue").Should().Be("حسین");
        givenName.Str("newValue").Should().Be("حسن");
        var approval = givenName["events"]!.AsArray().Should().ContainSingle().Subject!;
        approval["version"]!.GetValue<long>().Should().Be(4);
        approval.Str("eventType").Should().Be("correction_approved.v1");
        approval.Str("recordedBy").Should().Be("supervisor-001");
        approval.Str("eventId").Should().Be(entries[3]!.Str("eventId"));
        At(approval, "recordedAt").Should().Be(At(entries[3]!, "recordedAt"));

        var marital = Change(diff, "maritalStatus");
        (marital.Str("oldValue"), marital.Str("newValue")).Should().Be(("single", "marriedAtDeath"));
        VersionsOf(marital).Should().Equal(2, 5);
        var spouses = Change(diff, "spouses");
        spouses["oldValue"]!.AsArray().Should().BeEmpty();
        var spouse = spouses["newValue"]!.AsArray().Should().ContainSingle().Subject!;
        (spouse.Str("nationalCode"), spouse.Str("date"), spouse.Str("endedOn"), spouse.Str("endedBy")).Should().Be((wife, "2024-08-22", "2025-04-21", "death"));
        VersionsOf(spouses).Should().Equal(2, 5);

        var alive = Change(diff, "alive");
        (alive["oldValue"]!.GetValue<bool>(), alive["newValue"]!.GetValue<bool>()).Should().Be((true, false));
        Change(diff, "dateOfDeath")["oldValue"].Should().BeNull();
        Change(diff, "dateOfDeath").Str("newValue").Should().Be("2025-04-21");
        Change(diff, "dateOfDeathSolarHijri").Str("newValue").Should().Be("1404/02/01");
        (Change(diff, "documentStatus").Str("oldValue"), Change(diff, "documentStatus").Str("newValue")).Should().Be(("valid", "closedOnDeath"));
        VersionsOf(Change(diff, "alive")).Should().Equal(5);
        Change(diff, "alive")["events"]![0]!.Str("eventType").Should().Be("death_registered.v2");
    }

    [Fact]
    public async Task A_field_changed_and_changed_back_is_not_a_difference()
    {
        var (husband, _) = await ALife();

        var diff = await DiffOk(husband, "from=2&to=4");

        diff["changes"]!.AsArray().Select(c => c!.Str("field")).Should().Equal(["givenName"],
            "the pending correction appeared at version 3 and went at version 4");
        (await DiffOk(husband, "from=2&to=3"))["changes"]!.AsArray().Should().ContainSingle(c => c!.Str("field") == "pendingCorrections");
        (await DiffOk(husband, "from=5&to=5"))["changes"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task The_diff_between_two_instants_compares_the_record_as_it_stood_at_each()
    {
        var (husband, _) = await ALife();
        var entries = await Entries(husband);
        var (afterMarriage, afterCorrection) = (At(entries[1]!, "recordedAt"), At(entries[3]!, "recordedAt"));

        var diff = await DiffOk(husband, $"from={Q(afterMarriage)}&to={Q(afterCorrection)}");

        diff["from"]!["version"]!.GetValue<long>().Should().Be(2);
        diff["to"]!["version"]!.GetValue<long>().Should().Be(4);
        At(diff["from"]!, "at").Should().Be(afterMarriage, "an instant point is at the instant asked for");
        diff["changes"]!.AsArray().Select(c => c!.Str("field")).Should().Equal("givenName");

        var sinceMarriage = await DiffOk(husband, $"from={Q(afterMarriage)}");
        sinceMarriage["to"]!["version"]!.GetValue<long>().Should().Be(5, "to defaults to the current version");
        Change(sinceMarriage, "maritalStatus").Str("oldValue").Should().Be("married");
    }

    [Fact]
    public async Task A_diff_from_a_Solar_Hijri_date_before_registration_shows_every_field_as_new()
    {
        var husband = await _registrar.Born(Birth("حسین", "رضایی", "male", "1370/01/01"));
        var yesterday = SolarHijri.Format(TimeProvider.System.Today().AddDays(-1));

        var diff = await DiffOk(husband, $"from={Uri.EscapeDataString(yesterday)}");

        diff["from"]!["version"]!.GetValue<long>().Should().Be(0);
        diff["changes"]!.AsArray().Should().OnlyContain(c => c!["oldValue"] == null && c["events"]!.AsArray().Count == 1);
        Change(diff, "givenName").Str("newValue").Should().Be("حسین");
        Change(diff, "birthDateSolarHijri").Str("newValue").Should().Be("1370/01/01");
        Change(diff, "alive")["newValue"]!.GetValue<bool>().Should().BeTrue();
        Change(diff, "alive")["events"]![0]!.Str("eventType").Should().Be("birth_registered.v1");
        diff["changes"]!.AsArray().Select(c => c!.Str("field")).Should().NotContain(["version", "lastChangedAt", "searchGivenName", "dateOfDeath"]);
        (await DiffOk(husband, "from=0"))["changes"]!.ToJsonString().Should().Be(diff["changes"]!.ToJsonString());
    }

    [Theory]
    [InlineData("from=abc")]
    [InlineData("from=1&to=1404/13/01")]
    [InlineData("from=-1")]
    [InlineData("to=1")]
    [InlineData("from=5&to=2")]
    [InlineData("from=1&to=99")]
    [InlineData("from=2025-03-22T00:00:00Z&to=2025-03-21T00:00:00Z")]
    public async Task An_unusable_point_is_400_diff_invalid_point(string query)
    {
        var (husband, _) = await ALife();

        await (await _auditor.GetAsync($"/api/persons/{husband}/diff?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, "diff.invalidPoint");
    }

    [Fact]
    public async Task A_diff_of_an_unknown_person_or_of_a_point_before_registration_is_404()
    {
        var person = await _registrar.Born();
        var unregistered = NationalCode.Issue("274", 4242)!;
        var yesterday = SolarHijri.Format(TimeProvider.System.Today().AddDays(-1));

        await (await _auditor.GetAsync($"/api/persons/{unregistered}/diff?from=0")).ShouldBeProblem(HttpStatusCode.NotFound, "person.notFound");
        await (await _auditor.GetAsync($"/api/persons/{person}/diff?from=0&to=0")).ShouldBeProblem(HttpStatusCode.NotFound, "person.notFoundAtThatPoint");
        await (await _auditor.GetAsync($"/api/persons/{person}/diff?from=0&to={Uri.EscapeDataString(yesterday)}"))
            .ShouldBeProblem(HttpStatusCode.NotFound, "person.notFoundAtThatPoint");
        await (await _auditor.GetAsync("/api/persons/123/diff?from=0")).ShouldBeProblem(HttpStatusCode.BadRequest, "nationalCode.invalidFormat");
        (await registry.As("citizen").GetAsync($"/api/persons/{person}/diff?from=0")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task History_without_filters_answers_every_entry_on_one_page()
    {
        var (husband, _) = await ALife();

        var history = await (await _registrar.GetAsync($"/api/persons/{husband}/history")).Json();

        history.Str("nationalCode").Should().Be(husband);
        history["entries"]!.AsArray().Select(e => e!["version"]!.GetValue<long>()).Should().Equal(1, 2, 3, 4, 5);
        (history["page"]!.GetValue<int>(), history["pageSize"]!.GetValue<int>(), history["total"]!.GetValue<int>()).Should().Be((1, 50, 5));
    }

    [Fact]
    public async Task History_filtered_by_event_types_keeps_only_those_events()
    {
        var (husband, _) = await ALife();

        var history = await (await _registrar.GetAsync($"/api/persons/{husband}/history?types=correction_approved.v1,%20death_registered.v2")).Json();

        history["entries"]!.AsArray().Select(e => e!.Str("eventType")).Should().Equal("correction_approved.v1", "death_registered.v2");
        history["total"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task History_filtered_by_period_keeps_the_events_recorded_within_it_both_ends_included()
    {
        var (husband, _) = await ALife();
        var entries = await Entries(husband);

        var history = await (await _registrar.GetAsync(
            $"/api/persons/{husband}/history?from={Uri.EscapeDataString(entries[1]!.Str("recordedAt"))}&to={Uri.EscapeDataString(entries[3]!.Str("recordedAt"))}")).Json();

        history["entries"]!.AsArray().Select(e => e!["version"]!.GetValue<long>()).Should().Equal(2, 3, 4);
        var today = SolarHijri.Format(TimeProvider.System.Today());
        var allToday = await (await _registrar.GetAsync($"/api/persons/{husband}/history?from={Uri.EscapeDataString(today)}&to={Uri.EscapeDataString(today)}")).Json();
        allToday["total"]!.GetValue<int>().Should().Be(5, "a date covers the whole day, from its first instant to its last");
    }

    [Fact]
    public async Task History_is_paged_oldest_first()
    {
        var (husband, _) = await ALife();

        var second = await (await _registrar.GetAsync($"/api/persons/{husband}/history?page=2&pageSize=2")).Json();
        var last = await (await _registrar.GetAsync($"/api/persons/{husband}/history?page=3&pageSize=2")).Json();
        var beyond = await (await _registrar.GetAsync($"/api/persons/{husband}/history?page=4&pageSize=2")).Json();

        second["entries"]!.AsArray().Select(e => e!["version"]!.GetValue<long>()).Should().Equal(3, 4);
        (second["page"]!.GetValue<int>(), second["pageSize"]!.GetValue<int>(), second["total"]!.GetValue<int>()).Should().Be((2, 2, 5));
        last["entries"]!.AsArray().Select(e => e!["version"]!.GetValue<long>()).Should().Equal(5);
        beyond["entries"]!.AsArray().Should().BeEmpty();
        beyond["total"]!.GetValue<int>().Should().Be(5);
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=1000001")]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=201")]
    [InlineData("types=birth_registered")]
    [InlineData("from=yesterday")]
    [InlineData("from=2025-03-22T00:00:00Z&to=2025-03-21T00:00:00Z")]
    public async Task A_bad_history_filter_is_400_history_invalid_filter(string query)
    {
        var person = await _registrar.Born();

        await (await _registrar.GetAsync($"/api/persons/{person}/history?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, "history.invalidFilter");
    }

    [Theory]
    [InlineData("page=x")]
    [InlineData("pageSize=2147483648")]
    public async Task A_paging_value_that_is_not_a_whole_number_is_400_request_malformed(string query)
    {
        var person = await _registrar.Born();

        await (await _registrar.GetAsync($"/api/persons/{person}/history?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, "request.malformed");
    }
}
