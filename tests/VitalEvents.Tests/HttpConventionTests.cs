using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Domain;
using VitalEvents.Pipeline;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// The HTTP conventions every endpoint follows: conditional requests (RFC 9110), HEAD, problems with a code and an instance,
/// bad text and missing bodies refused before anything is stored, office-bound writes, and the headers every answer carries.
/// </summary>
public sealed class HttpConventionTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");
    private readonly HttpClient _supervisor = registry.As("supervisor", "001", "sup-001");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string Days(int days) => DateTime.UtcNow.Date.AddDays(days).ToString("yyyy-MM-dd");

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, string? ifNoneMatch = null,
        string? ifMatch = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    // Conditional reads

    [Fact]
    public async Task A_parents_ETag_changes_when_a_childs_corrected_name_changes_what_the_parents_record_shows()
    {
        var mother = await _registrar.Born(Birth("زهرا", "کریمی", "female", "1370/01/01"));
        var child = await _registrar.Born(Birth("یاسمین", "کریمی", "female", "1400/01/01", mother));
        var before = await _registrar.GetAsync($"/api/persons/{mother}");
        var tag = before.Headers.ETag!.Tag;

        var correction = (await _registrar.PostOk($"/api/persons/{child}/corrections", Correction("givenName", "یاسمن"))).Str("correctionId");
        await (await _supervisor.PostAsync($"/api/corrections/{correction}/approve", null)).ShouldHaveStatus(HttpStatusCode.OK);

        var after = await Send(_registrar, HttpMethod.Get, $"/api/persons/{mother}", ifNoneMatch: tag);
        await after.ShouldHaveStatus(HttpStatusCode.OK);
        after.Headers.ETag!.Tag.Should().NotBe(tag, "the mother's own record did not change, but what it shows did");
        after.Headers.ETag!.Tag.Should().StartWith("\"2-", "the tag still begins with the mother's own version");
        (await after.Json())["children"]![0]!.Str("givenName").Should().Be("یاسمن");
    }

    [Fact]
    public async Task If_None_Match_compares_weakly_accepts_a_list_and_star_and_answers_304_with_the_tag()
    {
        var person = await _registrar.Born();
        var tag = (await _registrar.GetAsync($"/api/persons/{person}")).Headers.ETag!.Tag;

        foreach (var header in new[] { tag, $"W/{tag}", $"\"other\", {tag}", "*" })
        {
            var response = await Send(_registrar, HttpMethod.Get, $"/api/persons/{person}", ifNoneMatch: header);
            response.StatusCode.Should().Be(HttpStatusCode.NotModified, header);
            response.Headers.ETag!.Tag.Should().Be(tag);
            (await response.Content.ReadAsStringAsync()).Should().BeEmpty();
        }
        (await Send(_registrar, HttpMethod.Get, $"/api/persons/{person}", ifNoneMatch: "\"other\", W/\"1-0000\"")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_read_carries_an_ETag_that_changes_with_what_it_shows()
    {
        var person = await _registrar.Born();
        var urls = new[] { $"/api/persons/{person}/history", "/api/corrections", "/api/births/held", $"/api/persons?familyName={Uri.EscapeDataString("رضایی")}" };
        var tags = new Dictionary<string, string>();
        foreach (var url in urls)
        {
            var response = await _registrar.GetAsync(url);
            await response.ShouldHaveStatus(HttpStatusCode.OK);
            tags[url] = response.Headers.ETag!.Tag;
            (await Send(_registrar, HttpMethod.Get, url, ifNoneMatch: tags[url])).StatusCode.Should().Be(HttpStatusCode.NotModified, url);
        }
        await _registrar.PostOk($"/api/persons/{person}/corrections", Correction("givenName", "حسن"));
        (await _registrar.GetAsync(urls[0])).Headers.ETag!.Tag.Should().NotBe(tags[urls[0]]);
        (await _registrar.GetAsync(urls[1])).Headers.ETag!.Tag.Should().NotBe(tags[urls[1]]);
    }

    [Fact]
    public async Task HEAD_answers_like_GET_without_a_body_and_a_write_only_address_refuses_it_with_405()
    {
        var person = await _registrar.Born();
        var get = await _registrar.GetAsync($"/api/persons/{person}");

        var head = await Send(_registrar, HttpMethod.Head, $"/api/persons/{person}");

        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Headers.ETag.Should().Be(get.Headers.ETag);
        head.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await Send(_registrar, HttpMethod.Head, $"/api/persons/{person}", ifNoneMatch: get.Headers.ETag!.Tag)).StatusCode
            .Should().Be(HttpStatusCode.NotModified);
        (await Send(_registrar, HttpMethod.Head, "/api/births")).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    // If-Match on writes

    [Fact]
    public async Task If_Match_takes_the_tag_a_read_gave_a_list_or_star_and_never_a_weak_tag()
    {
        var person = await _registrar.Born();
        var tag = (await _registrar.GetAsync($"/api/persons/{person}")).Headers.ETag!.Tag;
        HttpContent Body() => JsonContent.Create(Correction("givenName", "حسن"));
        HttpContent OtherBody() => JsonContent.Create(Correction("familyName", "کاظمی"));

        await (await Send(_registrar, HttpMethod.Post, $"/api/persons/{person}/corrections", ifMatch: $"W/{tag}", content: Body()))
            .ShouldBeProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");
        await (await Send(_registrar, HttpMethod.Post, $"/api/persons/{person}/corrections", ifMatch: "nonsense", content: Body()))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "ifMatch.invalid");
        (await registry.EventsOf(person)).Should().ContainSingle("refused preconditions change nothing");

        await (await Send(_registrar, HttpMethod.Post, $"/api/persons/{person}/corrections", ifMatch: $"\"9-x\", {tag}", content: Body()))
            .ShouldHaveStatus(HttpStatusCode.Accepted);
        await (await Send(_registrar, HttpMethod.Post, $"/api/persons/{person}/corrections", ifMatch: "*", content: OtherBody()))
            .ShouldHaveStatus(HttpStatusCode.Accepted);
        var nobody = NationalCode.Issue("274", 4343)!;
        await (await Send(_registrar, HttpMethod.Post, $"/api/persons/{nobody}/corrections", ifMatch: "*", content: Body()))
            .ShouldBeProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");
    }

    // Problems

    [Fact]
    public async Task The_frameworks_own_refusals_are_problems_with_a_code_an_instance_and_the_correlation_id()
    {
        var anonymous = registry.CreateClient();
        var cases = new (Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Code)[]
        {
            (() => anonymous.GetAsync("/api/persons/0012345679"), HttpStatusCode.Unauthorized, "auth.unauthenticated"),
            (() => registry.As("subscriber", null).GetAsync("/api/persons/0012345679"), HttpStatusCode.Forbidden, "auth.forbidden"),
            (() => _registrar.GetAsync("/api/nothing-here"), HttpStatusCode.NotFound, "route.notFound"),
            (() => _registrar.GetAsync("/api/births"), HttpStatusCode.MethodNotAllowed, "method.notAllowed"),
            (() => _registrar.PostAsync("/api/births", new StringContent("{}", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType, "media.unsupported"),
        };
        foreach (var (send, status, code) in cases)
        {
            var response = await send();
            var problem = await response.ShouldBeProblem(status, code);
            problem.Str("instance").Should().StartWith("/api/");
            problem.Str("correlationId").Should().Be(response.Headers.GetValues("X-Correlation-Id").Single());
        }
    }

    // Bad input is refused before anything is stored

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("\\uFFFE")]
    [InlineData("\\uFDD0")]
    [InlineData("\\ud800")]
    [InlineData("\\u0007")]
    public async Task Text_with_NUL_a_noncharacter_a_lone_surrogate_or_a_control_character_is_400_invalidText_and_stores_nothing(string escape)
    {
        var json = $$$"""
            {"givenName":"علی{{{escape}}}","familyName":"رضایی","sex":"male","birthDate":"1404/01/01",
             "birthPlace":{"province":"تهران","county":"تهران","city":"تهران"},"officeCode":"001",
             "evidence":{"kind":"medicalCertificate","reference":"MC-1"}}
            """;

        var response = await registry.AppendsNothing(() => _registrar.PostAsync("/api/births", Json(json)));

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, TextRules.InvalidTextCode);
        problem["errors"]![0]!.Str("field").Should().Be("givenName");
    }

    [Theory]
    [InlineData("/api/persons?givenName=%00")]
    [InlineData("/api/persons?givenName=%EF%BF%BE")]
    [InlineData("/api/persons/0012345679/history?types=%00")]
    public async Task A_query_string_with_unacceptable_text_is_400_invalidText(string url) =>
        await (await _registrar.GetAsync(url)).ShouldBeProblem(HttpStatusCode.BadRequest, TextRules.InvalidTextCode);

    [Theory]
    [InlineData("/api/births")]
    [InlineData("/api/marriages")]
    [InlineData("/api/divorces")]
    [InlineData("/api/deaths")]
    [InlineData("/api/foetal-deaths")]
    [InlineData("/api/subscriptions")]
    public async Task A_null_or_empty_body_is_400_and_stores_nothing(string url)
    {
        var client = url.EndsWith("subscriptions") ? registry.As("admin", null) : _registrar;
        foreach (var body in new HttpContent[] { Json("null"), Json(""), Json("[]"), Json("\"x\"") })
        {
            var response = await registry.AppendsNothing(() => client.PostAsync(url, body));
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
            (await response.Json()).Str("code").Should().BeOneOf("validation.failed", "request.malformed");
        }
    }

    [Theory]
    [InlineData("asOf=0001-01-01")]
    [InlineData("asOf=0001-01-01T00:00:00%2B14:00")]
    [InlineData("asOf=9999-12-31T23:59:59-14:00")]
    [InlineData("version=0")]
    public async Task An_out_of_range_point_in_time_is_400(string query)
    {
        var person = await _registrar.Born();
        var response = await _registrar.GetAsync($"/api/persons/{person}?{query}");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/persons?givenName=x&page=2147483647")]
    [InlineData("/api/persons?givenName=x&birthYear=2147483647")]
    [InlineData("/api/access-log?user=x&page=2147483647")]
    [InlineData("/api/access-log?user=x&from=0001-01-01")]
    public async Task An_out_of_range_number_or_date_in_a_query_is_400(string url)
    {
        var response = await registry.As("auditor", null).GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_date_the_registry_does_not_record_is_refused_as_a_field_error()
    {
        var response = await registry.AppendsNothing(() => _registrar.PostAsJsonAsync("/api/births", Birth(birthDate: "0001-01-01")));
        (await response.ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed"))["errors"]![0]!.Str("code").Should().Be("date.invalid");
    }

    [Fact]
    public async Task A_national_code_in_Persian_or_Arabic_Indic_digits_is_the_same_code_in_every_path_and_the_answer_is_ASCII()
    {
        var child = await _registrar.Born(Birth("علی", "رضایی", "male", "1400/01/01"));
        var guardian = await _registrar.Born(Birth("رضا", "رضایی", "male", "1360/01/01"));
        var persian = string.Concat(child.Select(c => (char)('\u06F0' + (c - '0'))));
        var arabic = string.Concat(child.Select(c => (char)('\u0660' + (c - '0'))));

        var appointed = await _registrar.PostAsJsonAsync($"/api/persons/{persian}/guardian", new
        {
            guardianNationalCode = guardian, date = Days(-1), authority = "court", decisionReference = "COURT-1404-9", officeCode = "001",
        });

        await appointed.ShouldHaveStatus(HttpStatusCode.Created);
        appointed.Headers.Location!.OriginalString.Should().Be($"/api/persons/{child}");
        (await appointed.Json()).Str("childNationalCode").Should().Be(child);
        (await registry.EventsOf(child)).Should().HaveCount(2);
        foreach (var form in new[] { persian, arabic })
        {
            (await _registrar.Person(form)).Str("nationalCode").Should().Be(child);
            (await _registrar.GetAsync($"/api/persons/{form}/history")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    // Offices

    [Fact]
    public async Task A_registrar_or_supervisor_without_an_office_may_write_nothing()
    {
        foreach (var role in new[] { "registrar", "supervisor" })
        {
            var response = await registry.AppendsNothing(() => registry.As(role, office: null).PostAsJsonAsync("/api/births", Birth()));
            await response.ShouldBeProblem(HttpStatusCode.Forbidden, "office.required");
        }
    }

    [Fact]
    public async Task A_held_birth_and_a_correction_are_decided_only_by_a_supervisor_of_the_office_that_owns_them()
    {
        var mother = await _registrar.Born(Birth("فاطمه", "موسوی", "female", "1370/01/01"));
        await _registrar.PostOk("/api/births", Birth("زهرا", "موسوی", "female", "1404/01/01", mother));
        var hold = (await _registrar.PostOk("/api/births", Birth("زهره", "موسوی", "female", "1404/01/02", mother))).Str("holdId");
        var correction = (await _registrar.PostOk($"/api/persons/{mother}/corrections", Correction("familyName", "موسویان"))).Str("correctionId");
        var tabriz = registry.As("supervisor", "136", "sup-136");

        foreach (var url in new[] { $"/api/births/held/{hold}/confirm", $"/api/corrections/{correction}/approve" })
            await (await registry.AppendsNothing(() => tabriz.PostAsync(url, null))).ShouldBeProblem(HttpStatusCode.Forbidden, "office.outsideJurisdiction");
        foreach (var url in new[] { $"/api/births/held/{hold}/reject", $"/api/corrections/{correction}/reject" })
            await (await registry.AppendsNothing(() => tabriz.PostAsJsonAsync(url, new { reason = "not ours" })))
                .ShouldBeProblem(HttpStatusCode.Forbidden, "office.outsideJurisdiction");

        await (await _supervisor.PostAsync($"/api/births/held/{hold}/confirm", null)).ShouldHaveStatus(HttpStatusCode.OK);
        await (await _supervisor.PostAsync($"/api/corrections/{correction}/approve", null)).ShouldHaveStatus(HttpStatusCode.OK);
        (await (await _registrar.GetAsync($"/api/corrections/{correction}")).Json()).Str("officeCode").Should().Be("001");
    }

    // Idempotency for every write

    [Fact]
    public async Task A_subscription_created_twice_with_one_Idempotency_Key_is_one_subscription_and_another_body_is_422()
    {
        var admin = registry.As("admin", null);
        HttpRequestMessage Create(string name)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/subscriptions")
            {
                Content = JsonContent.Create(new { name, url = "https://pension.example/hook", secret = "a-long-shared-secret-value", scope = "pension" }),
            };
            request.Headers.Add("Idempotency-Key", "subscribe-pension-1");
            return request;
        }

        var first = await admin.SendAsync(Create("Pension fund"));
        var again = await admin.SendAsync(Create("Pension fund"));
        var other = await admin.SendAsync(Create("Another name"));

        await first.ShouldHaveStatus(HttpStatusCode.Created);
        await again.ShouldHaveStatus(HttpStatusCode.Created);
        (await again.Json()).Str("id").Should().Be((await first.Json()).Str("id"));
        again.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        await other.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "idempotency.keyReused");
        (await (await admin.GetAsync("/api/subscriptions")).Json()).AsArray().Should().ContainSingle();
    }

    // Headers every answer carries

    [Fact]
    public async Task Personal_data_is_never_cached_and_answers_carry_the_security_headers()
    {
        var person = await _registrar.Born();

        var response = await _registrar.GetAsync($"/api/persons/{person}");

        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'");
    }

    [Fact]
    public async Task Answers_are_compressed_for_a_client_that_accepts_it()
    {
        var person = await _registrar.Born();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/persons/{person}/history");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));

        var response = await _registrar.SendAsync(request);

        response.Content.Headers.ContentEncoding.Should().Equal("br");
    }

    [Fact]
    public async Task In_Development_an_interactive_API_reference_reads_the_OpenAPI_document()
    {
        var page = await registry.CreateClient().GetAsync("/scalar");

        await page.ShouldHaveStatus(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await page.Content.ReadAsStringAsync()).Should().Contain("openapi/v1.json");
        (await registry.CreateClient().GetAsync("/scalar/scalar.js")).StatusCode.Should().Be(HttpStatusCode.OK, "the page's script is served too");
    }

    [Fact]
    public async Task The_snapshot_names_the_place_of_issue_its_national_codes_prefix_gives()
    {
        var tabriz = registry.As("registrar", "136");
        var person = await tabriz.Born(Birth("رضا", "حسینی", "male", "1404/01/01", office: "136"));

        var place = (await _registrar.Person(person))["placeOfIssue"]!;

        place.Str("countyCode").Should().Be("136");
        (place.Str("province"), place.Str("county"), place.Str("provinceEnglish"), place.Str("countyEnglish"))
            .Should().Be(("آذربایجان شرقی", "تبریز", "East Azerbaijan", "Tabriz"));
    }
}

/// <summary>The HTTP settings that take effect on start: rate limits, CORS, how long idempotency keys are kept.</summary>
public sealed class HttpSettingsTests
{
    [Fact]
    public async Task A_caller_over_the_rate_limit_is_429_with_Retry_After_and_other_callers_are_not()
    {
        await using var registry = new RegistryFactory(new Dictionary<string, string?>
        {
            ["VitalEvents:Http:RateLimitBurst"] = "3", ["VitalEvents:Http:RateLimitPerSecond"] = "1",
        });
        var greedy = registry.As("auditor", null, "greedy");

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++) answers.Add(await greedy.GetAsync("/api/persons/0012345679"));

        var limited = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        await limited.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate.limited");
        limited.Headers.RetryAfter!.Delta.Should().BePositive();
        (await registry.As("auditor", null, "patient").GetAsync("/api/persons/0012345679")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await registry.CreateClient().GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK, "health is never limited");
    }

    [Fact]
    public async Task Cross_origin_calls_are_allowed_only_from_the_configured_origins()
    {
        await using var registry = new RegistryFactory(new Dictionary<string, string?> { ["VitalEvents:Http:CorsOrigins:0"] = "https://console.example" });
        HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/births");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
            return request;
        }

        var allowed = await registry.CreateClient().SendAsync(Preflight("https://console.example"));
        var other = await registry.CreateClient().SendAsync(Preflight("https://evil.example"));

        allowed.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("https://console.example");
        allowed.Headers.GetValues("Access-Control-Allow-Headers").Single().ToLowerInvariant().Should().Contain("idempotency-key", Exactly.Once());
        other.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Fact]
    public async Task An_Idempotency_Key_is_forgotten_after_the_retention_period_and_cleaned_up()
    {
        await using var registry = new RegistryFactory(new Dictionary<string, string?> { ["VitalEvents:Idempotency:Retention"] = "00:00:01" });
        await registry.ResetAsync();
        var registrar = registry.As("registrar");
        HttpRequestMessage Register()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/births") { Content = JsonContent.Create(Birth()) };
            request.Headers.Add("Idempotency-Key", "kept-one-second");
            return request;
        }

        var first = (await (await registrar.SendAsync(Register())).Json()).Str("nationalCode");
        var replay = (await (await registrar.SendAsync(Register())).Json()).Str("nationalCode");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var afterRetention = (await (await registrar.SendAsync(Register())).Json()).Str("nationalCode");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var cleaned = await registry.Services.GetRequiredService<IdempotencyCleanup>().RunOnceAsync(CancellationToken.None);

        replay.Should().Be(first);
        afterRetention.Should().NotBe(first, "after the retention period the key means a new request");
        cleaned.Should().Be(1, "the expired record is deleted");
    }
}
