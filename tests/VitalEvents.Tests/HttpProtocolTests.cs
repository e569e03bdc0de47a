using Marten;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>The HTTP protocol the registry speaks: ETag and If-Match, Idempotency-Key, correlation ids, dates, OpenAPI and health.</summary>
public sealed class HttpProtocolTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A married man: his record has two events, birth and marriage.</summary>
    private async Task<string> HusbandAtVersionTwo()
    {
        var husband = await _registrar.Born(Birth("حسین", "رضایی", "male", "1370/01/01"));
        var wife = await _registrar.Born(Birth("فاطمه", "محمدی", "female", "1372/01/01"));
        await _registrar.PostOk("/api/marriages", Marriage(husband, wife));
        return husband;
    }

    private static HttpRequestMessage Post(string url, object body, string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    [Fact]
    public async Task A_snapshot_carries_its_version_as_ETag_and_If_None_Match_gives_304()
    {
        var husband = await HusbandAtVersionTwo();

        var response = await _registrar.GetAsync($"/api/persons/{husband}");

        await response.ShouldHaveStatus(HttpStatusCode.OK);
        (await response.Json())["version"]!.GetValue<long>().Should().Be(2);
        response.Headers.ETag!.Tag.Should().StartWith("\"2-");

        var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/persons/{husband}");
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag);
        var notModified = await _registrar.SendAsync(conditional);
        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await notModified.Content.ReadAsStringAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_death_with_a_stale_If_Match_is_412_and_appends_nothing()
    {
        var husband = await HusbandAtVersionTwo();

        var response = await registry.AppendsNothing(() => _registrar.SendAsync(Post("/api/deaths", Death(husband), ifMatch: "\"1\"")));

        var problem = await response.ShouldBeProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");
        problem["currentVersion"]!.GetValue<long>().Should().Be(2);
    }

    [Fact]
    public async Task A_death_with_the_current_If_Match_is_201()
    {
        var husband = await HusbandAtVersionTwo();

        var response = await _registrar.SendAsync(Post("/api/deaths", Death(husband), ifMatch: "\"2\""));

        await response.ShouldHaveStatus(HttpStatusCode.Created);
        (await registry.EventsOf(husband)).Should().HaveCount(3).And.Subject.Last().Should().BeOfType<DeathRegistered>();
        (await _registrar.GetAsync($"/api/persons/{husband}")).Headers.ETag!.Tag.Should().StartWith("\"3-");
        (await response.Json())["version"]!.GetValue<long>().Should().Be(3, "the response reports the version the record now has");
    }

    [Fact]
    public async Task An_approval_reports_the_version_the_record_now_has()
    {
        var husband = await HusbandAtVersionTwo();
        var correctionId = (await _registrar.PostOk($"/api/persons/{husband}/corrections", Correction("givenName", "حسن"))).Str("correctionId");

        var approved = await registry.As("supervisor").PostAsync($"/api/corrections/{correctionId}/approve", null);

        await approved.ShouldHaveStatus(HttpStatusCode.OK);
        (await registry.EventsOf(husband)).Should().HaveCount(4).And.Subject.Last().Should().BeOfType<CorrectionApproved>();
        (await _registrar.GetAsync($"/api/persons/{husband}")).Headers.ETag!.Tag.Should().StartWith("\"4-");
        (await approved.Json())["version"]!.GetValue<long>().Should().Be(4, "the response reports the version the record now has");
    }

    [Fact]
    public async Task A_correction_request_honours_If_Match()
    {
        var husband = await HusbandAtVersionTwo();

        var stale = await registry.AppendsNothing(() =>
            _registrar.SendAsync(Post($"/api/persons/{husband}/corrections", Correction("givenName", "حسن"), ifMatch: "\"1\"")));
        await stale.ShouldBeProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");

        var current = await _registrar.SendAsync(Post($"/api/persons/{husband}/corrections", Correction("givenName", "حسن"), ifMatch: "\"2\""));
        await current.ShouldHaveStatus(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_malformed_JSON_body_is_400_request_malformed_and_appends_nothing()
    {
        var body = new StringContent("{ \"givenName\": \"علی\", ", Encoding.UTF8, "application/json");

        var response = await registry.AppendsNothing(() => _registrar.PostAsync("/api/births", body));

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "request.malformed");
    }

    [Fact]
    public async Task A_retry_with_the_same_Idempotency_Key_returns_the_first_result_and_appends_once()
    {
        var key = Guid.NewGuid().ToString();

        var first = await _registrar.SendAsync(Post("/api/births", Birth(), idempotencyKey: key));
        var afterFirst = await registry.EventCount();
        var retry = await _registrar.SendAsync(Post("/api/births", Birth(), idempotencyKey: key));

        await first.ShouldHaveStatus(HttpStatusCode.Created);
        await retry.ShouldHaveStatus(HttpStatusCode.Created);
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        afterFirst.Should().Be(1);
        (await registry.EventCount()).Should().Be(1, "the retry appends nothing");
    }

    [Fact]
    public async Task Reusing_an_Idempotency_Key_for_a_different_body_is_422()
    {
        var key = Guid.NewGuid().ToString();
        (await _registrar.SendAsync(Post("/api/births", Birth(), idempotencyKey: key))).StatusCode.Should().Be(HttpStatusCode.Created);

        var response = await registry.AppendsNothing(() => _registrar.SendAsync(Post("/api/births", Birth(givenName: "رضا"), idempotencyKey: key)));

        await response.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "idempotency.keyReused");
    }

    [Fact]
    public async Task Ten_parallel_requests_with_one_Idempotency_Key_register_one_birth()
    {
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _registrar.SendAsync(Post("/api/births", Birth(), idempotencyKey: key))));

        foreach (var response in responses) await response.ShouldHaveStatus(HttpStatusCode.Created);
        var codes = await Task.WhenAll(responses.Select(async r => (await r.Json()).Str("nationalCode")));
        codes.Distinct().Should().ContainSingle();
        (await RecordedEvents()).Should().ContainSingle().Which.Should().BeOfType<BirthRegistered>().Which.NationalCode.Should().Be(codes[0]);
    }

    private Task<IReadOnlyList<object>> RecordedEvents() => registry.RecordedEvents();

    [Fact]
    public async Task A_Solar_Hijri_date_in_Persian_digits_is_accepted_and_read_back_in_both_calendars()
    {
        var child = await _registrar.Born(Birth(birthDate: "۱۴۰۴/۰۱/۰۱"));

        var snapshot = await _registrar.Person(child);

        snapshot.Str("birthDate").Should().Be("2025-03-21");
        snapshot.Str("birthDateSolarHijri").Should().Be("1404/01/01");
    }

    [Fact]
    public async Task The_X_Correlation_Id_sent_is_echoed_and_stored_in_the_history()
    {
        const string correlation = "corr-http-protocol-42";
        var request = Post("/api/births", Birth());
        request.Headers.Add("X-Correlation-Id", correlation);

        var response = await _registrar.SendAsync(request);

        await response.ShouldHaveStatus(HttpStatusCode.Created);
        response.Headers.GetValues("X-Correlation-Id").Should().ContainSingle().Which.Should().Be(correlation);
        var child = (await response.Json()).Str("nationalCode");
        var history = await _registrar.GetFromJsonAsync<History.PersonHistory>($"/api/persons/{child}/history", WebJson);
        history!.Entries.Should().ContainSingle().Which.CorrelationId.Should().Be(correlation);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_registry_paths()
    {
        var response = await registry.CreateClient().GetAsync("/openapi/v1.json");

        await response.ShouldHaveStatus(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var paths = (await response.Json())["paths"]!.AsObject().Select(p => p.Key);
        paths.Should().Contain(["/api/births", "/api/persons/{nationalCode}"]);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_report_healthy(string url)
    {
        var response = await registry.CreateClient().GetAsync(url);

        await response.ShouldHaveStatus(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }
}
