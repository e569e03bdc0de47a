using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Audit;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// Every read of a person's data is recorded before it is answered, and only auditors read the record. Each test looks only at the
/// rows written since it started, so rows of earlier tests (the same national codes are issued again after a reset) never count.
/// </summary>
public sealed class AccessLogTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private const string Purpose = "verify identity for marriage";
    private readonly HttpClient _registrar = registry.As("registrar", "001", "reg-a");
    private readonly HttpClient _auditor = registry.As("auditor", office: null, user: "aud-1");
    private string _since = "";

    public async Task InitializeAsync()
    {
        await registry.ResetAsync();
        _since = Uri.EscapeDataString((await AccessLogTable.DatabaseNowAsync()).ToString("O"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<HttpResponseMessage> Read(HttpClient client, string url, string? purpose = null, string? correlation = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (purpose is not null) request.Headers.Add(Audit.AccessLogHeaders.Purpose, purpose);
        if (correlation is not null) request.Headers.Add("X-Correlation-Id", correlation);
        return await client.SendAsync(request);
    }

    private async Task<JsonNode> Log(string filter)
    {
        var response = await _auditor.GetAsync($"/api/access-log?{filter}&from={_since}");
        await response.ShouldHaveStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    private static JsonArray Entries(JsonNode page) => page["entries"]!.AsArray();

    [Fact]
    public async Task Reads_by_a_registrar_and_an_auditor_are_recorded_with_who_why_what_and_where_newest_first()
    {
        var person = await _registrar.Born();

        await (await Read(_registrar, $"/api/persons/{person}", Purpose, "corr-reg-1")).ShouldHaveStatus(HttpStatusCode.OK);
        await (await Read(_registrar, $"/api/persons/{person}/history")).ShouldHaveStatus(HttpStatusCode.OK);
        await (await Read(_auditor, $"/api/persons/{person}/diff?from=0", "court order 1404-17")).ShouldHaveStatus(HttpStatusCode.OK);
        await (await Read(_auditor, $"/api/persons/{person}?version=1")).ShouldHaveStatus(HttpStatusCode.OK);

        var entries = Entries(await Log($"nationalCode={person}"));
        entries.Select(e => (e!.Str("resource"), e!.Str("userId"))).Should().Equal(
            ("snapshot", "aud-1"), ("diff", "aud-1"), ("history", "reg-a"), ("snapshot", "reg-a"));
        entries.Select(e => e!["id"]!.GetValue<long>()).Should().BeInDescendingOrder();
        entries.Select(e => DateTimeOffset.Parse(e!.Str("at"), System.Globalization.CultureInfo.InvariantCulture)).Should().BeInDescendingOrder();

        var registrarRead = entries[3]!;
        registrarRead.Str("nationalCode").Should().Be(person);
        registrarRead["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("registrar");
        registrarRead.Str("officeCode").Should().Be("001");
        registrarRead.Str("purpose").Should().Be(Purpose);
        registrarRead.Str("correlationId").Should().Be("corr-reg-1");
        registrarRead["status"]!.GetValue<int>().Should().Be(200);
        registrarRead["query"].Should().BeNull();
        entries[2]!["purpose"].Should().BeNull("no X-Purpose was given");
        entries[2]!.Str("correlationId").Should().NotBeNullOrEmpty("the server issues one when the client sends none");

        var auditorDiff = entries[1]!;
        auditorDiff["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("auditor");
        auditorDiff["officeCode"].Should().BeNull();
        auditorDiff.Str("purpose").Should().Be("court order 1404-17");
        auditorDiff.Str("query").Should().Be("from=0");
        entries[0]!.Str("query").Should().Be("version=1");
    }

    [Fact]
    public async Task The_log_by_user_lists_what_that_user_looked_at_newest_first()
    {
        var first = await _registrar.Born(Birth("مریم", "کریمی", "female", "1380/01/01"));
        var second = await _registrar.Born(Birth("رضا", "کریمی", "male", "1381/01/01"));
        await (await Read(_registrar, $"/api/persons/{first}", Purpose)).ShouldHaveStatus(HttpStatusCode.OK);
        await (await Read(_auditor, $"/api/persons/{first}")).ShouldHaveStatus(HttpStatusCode.OK);
        await (await Read(_registrar, $"/api/persons/{second}/history")).ShouldHaveStatus(HttpStatusCode.OK);

        var page = await Log("user=reg-a");

        Entries(page).Select(e => (e!.Str("nationalCode"), e!.Str("resource"))).Should().Equal((second, "history"), (first, "snapshot"));
        Entries(page).Should().OnlyContain(e => e!.Str("userId") == "reg-a");
        page["total"]!.GetValue<long>().Should().Be(2);
        Entries(await Log($"user=aud-1&nationalCode={first}")).Should().ContainSingle();
        Entries(await Log($"user=aud-1&nationalCode={second}")).Should().BeEmpty();
    }

    [Fact]
    public async Task The_log_is_paged()
    {
        var person = await _registrar.Born();
        foreach (var purpose in new[] { "one", "two", "three" })
            await (await Read(_registrar, $"/api/persons/{person}", purpose)).ShouldHaveStatus(HttpStatusCode.OK);

        var first = await Log($"nationalCode={person}&pageSize=2");
        var second = await Log($"nationalCode={person}&pageSize=2&page=2");

        Entries(first).Select(e => e!.Str("purpose")).Should().Equal("three", "two");
        Entries(second).Select(e => e!.Str("purpose")).Should().Equal("one");
        (second["page"]!.GetValue<int>(), second["pageSize"]!.GetValue<int>(), second["total"]!.GetValue<long>()).Should().Be((2, 2, 3));
    }

    [Fact]
    public async Task A_read_that_finds_nothing_is_recorded_a_request_refused_before_reading_is_not()
    {
        var person = await _registrar.Born();
        var unregistered = NationalCode.Issue("274", 4242)!;

        await (await Read(_registrar, $"/api/persons/{unregistered}", Purpose)).ShouldBeProblem(HttpStatusCode.NotFound, "person.notFound");
        await (await Read(_registrar, $"/api/persons/{person}/history?pageSize=0")).ShouldBeProblem(HttpStatusCode.BadRequest, "history.invalidFilter");
        await (await Read(_registrar, "/api/persons/123")).ShouldBeProblem(HttpStatusCode.BadRequest, "nationalCode.invalidFormat");

        Entries(await Log($"nationalCode={unregistered}")).Should().ContainSingle().Which!["status"]!.GetValue<int>().Should().Be(404);
        Entries(await Log($"nationalCode={person}")).Should().BeEmpty("a refused filter reads nothing");
        (await Log("user=reg-a"))["total"]!.GetValue<long>().Should().Be(1);
    }

    [Fact]
    public async Task Only_auditors_read_the_log()
    {
        var person = await _registrar.Born();
        var url = $"/api/access-log?nationalCode={person}";

        (await _registrar.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await registry.As("supervisor").GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await registry.As("citizen").GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await registry.CreateClient().GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _auditor.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reading_the_log_adds_nothing_to_it()
    {
        var person = await _registrar.Born();
        await (await Read(_registrar, $"/api/persons/{person}")).ShouldHaveStatus(HttpStatusCode.OK);
        var before = await AccessLogTable.CountAsync(registry);

        await Log($"nationalCode={person}");
        await Log("user=reg-a");
        await Log("user=aud-1");

        (await AccessLogTable.CountAsync(registry)).Should().Be(before);
        Entries(await Log("user=aud-1")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("update {schema}.access_log set purpose = 'nothing to see'")]
    [InlineData("delete from {schema}.access_log")]
    [InlineData("truncate {schema}.access_log")]
    public async Task The_application_role_cannot_change_the_log(string sql)
    {
        var person = await _registrar.Born();
        await (await Read(_registrar, $"/api/persons/{person}", Purpose)).ShouldHaveStatus(HttpStatusCode.OK);

        var change = () => AccessLogTable.AsApplicationAsync(sql.Replace("{schema}", registry.Schema));

        (await change.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        Entries(await Log($"nationalCode={person}")).Should().ContainSingle().Which!.Str("purpose").Should().Be(Purpose);
    }

    [Theory]
    [InlineData("", "accessLog.filterRequired")]
    [InlineData("from=1404/01/01", "accessLog.filterRequired")]
    [InlineData("nationalCode=123", "accessLog.invalidFilter")]
    [InlineData("user=reg-a&pageSize=201", "accessLog.invalidFilter")]
    [InlineData("user=reg-a&page=0", "accessLog.invalidFilter")]
    [InlineData("user=reg-a&from=soon", "accessLog.invalidFilter")]
    [InlineData("user=reg-a&from=1404/02/01&to=1404/01/01", "accessLog.invalidFilter")]
    public async Task A_query_of_the_log_without_a_person_or_user_or_with_a_bad_filter_is_400(string query, string code) =>
        await (await _auditor.GetAsync($"/api/access-log?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, code);

    [Fact]
    public async Task A_read_that_cannot_be_recorded_fails_and_returns_no_data()
    {
        var person = await _registrar.Born(Birth("نگار", "کاظمی", "female", "1380/01/01"));
        await using var unrecorded = registry.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.AddKeyedSingleton(AccessLog.DataSourceKey,
                (_, _) => NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2"))));
        var client = unrecorded.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", registry.Token("registrar", "001", "reg-a"));

        var response = await Read(client, $"/api/persons/{person}", Purpose);

        await response.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "database.unavailable");
        response.Headers.RetryAfter.Should().NotBeNull();
        (await response.Content.ReadAsStringAsync()).Should().NotContain("نگار");
        Entries(await Log($"nationalCode={person}")).Should().BeEmpty();
    }
}

/// <summary>The access log of a test class's schema, for tests that read persons.</summary>
internal static class AccessLogTable
{
    public static async Task<long> CountAsync(RegistryFactory registry)
    {
        await using var connection = await OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from {registry.Schema}.{AccessLog.TableName}", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>Runs SQL on the application's connection, as the service would.</summary>
    public static async Task AsApplicationAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The database's clock, which stamps the log's rows.</summary>
    public static async Task<DateTimeOffset> DatabaseNowAsync()
    {
        await using var connection = await OpenAsync();
        await using var now = new NpgsqlCommand("select now()", connection);
        return new DateTimeOffset((DateTime)(await now.ExecuteScalarAsync())!, TimeSpan.Zero);
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(RegistryFactory.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
