using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using VitalEvents.Domain;
using Xunit.Abstractions;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// Every operation of the registry's own OpenAPI document, sent thousands of bad requests: bad input is a 4xx RFC 9457 problem
/// with a stable code and changes nothing; nothing is ever a 5xx.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 1404_01_01;
    private const int MinimumPerOperation = 60;
    private static readonly string[] Candidates = ["registrar", "supervisor", "auditor", "admin", "subscriber", "citizen", "verifier", "hospital", "statistician"];

    /// <summary>The live feed stream is sent with its own short timeout: only its status line is read.</summary>
    private const string StreamPath = "/api/feed/stream";

    private static RegistryFactory Registry() => new(new Dictionary<string, string?>
    {
        // The live feed's answer starts with its first heartbeat when nothing matches: soon, so its status line comes soon.
        ["VitalEvents:Feed:HeartbeatSeconds"] = "1",
    });

    [Fact]
    public async Task Every_operation_answers_bad_requests_with_a_4xx_problem_that_changes_nothing()
    {
        await using var registry = Registry();
        await registry.ResetAsync();
        var fixture = await Arrange(registry);
        var clients = Candidates.ToDictionary(role => role, role => Client(registry, role, fixture.Mother));
        var anonymous = registry.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var operations = FuzzOperation.AllIn(document).OrderBy(o => o.Method == "DELETE").ToList();
        operations.Should().HaveCountGreaterThan(40, "the document lists every operation under /api");

        await using var events = new EventCounter(registry.Schema);
        var corpus = new FuzzCorpus(document, fixture, Seed);
        var violations = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var perOperation = new Dictionary<string, int>();
        var unsendable = 0;
        var clock = Stopwatch.StartNew();
        var count = await events.CountAsync();
        count.Should().Be(await registry.EventCount(), "the counter counts what RegistryFactory counts");

        var elapsed = new Dictionary<string, TimeSpan>();
        foreach (var operation in operations)
        {
            var started = clock.Elapsed;
            var roles = await RolesFor(operation, corpus, fixture, clients, anonymous);
            foreach (var request in corpus.For(operation, roles))
            {
                var client = request.Role is null ? anonymous : clients[request.Role];
                Answer? answer;
                try
                {
                    answer = await Send(client, request);
                }
                catch (Exception e)
                {
                    // The in-memory host hands the application's unhandled exceptions to the caller.
                    violations.Add($"{request.Operation} [{request.Mutation}] as {request.Role ?? "anonymous"} → {e.GetType().Name}: {Excerpt(e.Message)}");
                    count = await events.CountAsync();
                    continue;
                }
                if (answer is null)
                {
                    unsendable++;
                    continue;
                }
                perOperation[operation.ToString()] = perOperation.GetValueOrDefault(operation.ToString()) + 1;
                statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
                var after = await events.CountAsync();
                foreach (var problem in Check(request, answer, after - count)) violations.Add(problem);
                count = after;
            }
            elapsed[operation.ToString()] = clock.Elapsed - started;
        }

        clock.Stop();
        var total = perOperation.Values.Sum();
        output.WriteLine($"Sent {total} requests to {perOperation.Count} operations in {clock.Elapsed.TotalSeconds:F1} s " +
            $"({total / clock.Elapsed.TotalSeconds:F0}/s); {unsendable} never reached the application (refused by HttpClient or the host).");
        output.WriteLine("Statuses: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        foreach (var (operation, sent) in perOperation.OrderBy(p => p.Value))
            output.WriteLine($"  {sent,5} {operation} in {elapsed[operation].TotalSeconds:F1} s");

        violations.Should().BeEmpty($"{violations.Count} of {total} answers broke the standard:\n" + string.Join("\n", violations.Take(150)));
        total.Should().BeGreaterThanOrEqualTo(5_000);
        perOperation.Keys.Should().BeEquivalentTo(operations.Select(o => o.ToString()), "every operation was fuzzed");
        perOperation.Values.Should().OnlyContain(n => n >= MinimumPerOperation);
    }

    /// <summary>A few people (one dead), a marriage, a pending correction, a held birth and a (paused) subscription, for path ids that exist.</summary>
    private static async Task<FuzzFixture> Arrange(RegistryFactory registry)
    {
        var registrar = registry.As("registrar");
        var mother = await registrar.Born(Birth("مریم", "کاظمی", "female", "1360/01/01"));
        var father = await registrar.Born(Birth("رضا", "کاظمی", "male", "1358/01/01"));
        var marriage = (await registrar.PostOk("/api/marriages", Marriage(father, mother, "1380/01/01"))).Str("marriageId");
        var child = await registrar.Born(Birth("سارا", "کاظمی", "female", "1400/01/01", mother, father));
        var held = await registrar.PostOk("/api/births", Birth("سارا", "کاظمی", "female", "1400/01/01", mother, father));
        held.Str("status").Should().Be("heldForReview");
        var bride = await registrar.Born(Birth("فاطمه", "محمدی", "female", "1375/01/01"));
        var groom = await registrar.Born(Birth("حسین", "رضایی", "male", "1373/01/01"));
        var corrected = await registrar.Born(Birth("یاسمین", "احمدی", "female", "1380/03/09"));
        var correction = (await registrar.PostOk($"/api/persons/{corrected}/corrections", Correction("givenName", "یاسمن"))).Str("correctionId");
        var dying = await registrar.Born(Birth("پرویز", "نیک‌نام", "male", "1330/01/01"));
        var deceased = await registrar.Born(Birth("منیژه", "نیک‌نام", "female", "1340/01/01"));
        await registrar.PostOk("/api/deaths", Death(deceased, "1390/01/01"));
        var admin = registry.As("admin");
        var subscription = (await admin.PostOk("/api/subscriptions", new
        {
            name = "Fuzz", url = "http://127.0.0.1:9/hook", secret = "a-long-shared-secret-value", scope = "full", from = "0",
        })).Str("id");
        (await admin.PostAsync($"/api/subscriptions/{subscription}/pause", null)).EnsureSuccessStatusCode();
        await admin.PostOk("/api/agencies", new
        {
            id = "fuzz", name = "بانک آزمون", nameEnglish = "Fuzz Bank", purposes = new[] { "account-opening" },
            answers = new[] { "birthDate", "givenName", "familyName", "fatherName", "alive" }, dailyQuota = 1_000_000, ratePerSecond = 10_000,
        });
        await admin.PostOk("/api/facilities", new { id = "fuzz", name = "بیمارستان آزمون", nameEnglish = "Fuzz Hospital", officeCode = "001", city = "تهران" });
        return new FuzzFixture(mother, father, child, bride, groom, corrected, dying, deceased, NationalCode.Issue("274", 4242)!,
            Guid.Parse(marriage), Guid.Parse(correction), Guid.Parse(held.Str("holdId")), Guid.Parse(subscription));
    }

    /// <summary>A client of the role; a citizen is <paramref name="citizen"/>, a verifier verifies for the agency <c>fuzz</c>, a hospital notifies for the facility <c>fuzz</c>.</summary>
    private static HttpClient Client(RegistryFactory registry, string role, string citizen)
    {
        var client = registry.CreateClient();
        var token = role switch
        {
            "subscriber" => registry.Token("subscriber", null, "fuzz", "full"),
            "citizen" => registry.Token("citizen", null, citizen),
            "verifier" => registry.Token("verifier", null, "fuzz-client", agency: "fuzz"),
            "hospital" => registry.Token("hospital", null, "fuzz-his", facility: "fuzz"),
            "statistician" => registry.Token("statistician", null, "fuzz-statistician"),
            _ => registry.Token(role, "001", $"{role}-001"),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// The roles an operation admits. The document's security says only whether a token is needed, so each candidate role
    /// is asked once with a request that can change nothing (ids that do not exist, an empty body): a role is admitted when
    /// the answer is neither 401 nor 403. An operation without security is sent without a token and with every role.
    /// </summary>
    private static async Task<IReadOnlyList<string?>> RolesFor(FuzzOperation operation, FuzzCorpus corpus, FuzzFixture fixture,
        IReadOnlyDictionary<string, HttpClient> clients, HttpClient anonymous)
    {
        if (!operation.Secured) return [null, .. Candidates];
        var path = operation.In("path").Aggregate(operation.Path, (p, parameter) => p.Replace("{" + parameter.Name + "}", parameter switch
        {
            { Format: "uuid" } => "0f0f0f0f-0000-4000-8000-000000000001",
            { Type: "integer" } => "1",
            _ => fixture.Unregistered,
        }, StringComparison.Ordinal));
        var probe = new FuzzRequest(operation, "probe", path + corpus.BaselineQuery(operation), operation.BodySchema is null ? null : "{}"u8.ToArray(),
            operation.BodySchema is null ? null : "application/json", [], null);
        var admitted = new List<string?>();
        foreach (var role in Candidates)
            // A rule's 403 (not this person's to read, another office's) admits the role; the framework's auth.forbidden does not.
            if (await Send(clients[role], probe) is { } answer && (answer.Status is not (401 or 403)
                    || (answer.Status == 403 && !answer.Body.Contains("\"auth.forbidden\"", StringComparison.Ordinal))))
                admitted.Add(role);
        (await Send(anonymous, probe))!.Status.Should().Be(401, $"{operation} needs a token");
        admitted.Should().NotBeEmpty($"some role may call {operation}");
        return admitted;
    }

    private sealed record Answer(int Status, string? ContentType, string Body);

    /// <summary>Sends one request; null when it cannot reach the application (a header value HttpClient refuses, a path the host refuses).</summary>
    private static async Task<Answer?> Send(HttpClient client, FuzzRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Operation.Method), new Uri(request.Url, UriKind.Relative));
        if (request.Body is not null || request.ContentType is not null)
        {
            message.Content = new ByteArrayContent(request.Body ?? []);
            if (request.ContentType is not null && !message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType)) return null;
        }
        foreach (var (name, value) in request.Headers)
            if (!message.Headers.TryAddWithoutValidation(name, value)) return null;
        var stream = request.Operation.Path == StreamPath;
        using var timeout = new CancellationTokenSource(stream ? TimeSpan.FromSeconds(10) : TimeSpan.FromMinutes(1));
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
                timeout.Token);
        }
        catch (InvalidOperationException e) when (e.StackTrace?.Contains("PathString.FromUriComponent", StringComparison.Ordinal) == true)
        {
            // A NUL in the path: the in-memory host refuses it before the application, as Kestrel does.
            return null;
        }
        using var _ = response;
        var status = (int)response.StatusCode;
        var body = stream && status < 300 ? "" : await response.Content.ReadAsStringAsync(timeout.Token);
        return new Answer(status, response.Content.Headers.ContentType?.MediaType, body);
    }

    /// <summary>What is wrong with an answer: a 5xx, a 4xx that is not a complete problem, or a refused request that appended events.</summary>
    private static IEnumerable<string> Check(FuzzRequest request, Answer answer, long appended)
    {
        string Violation(string what) =>
            $"{request.Operation} [{request.Mutation}] as {request.Role ?? "anonymous"} → {answer.Status}: {what}; body: {Excerpt(answer.Body)}";
        if (answer.Status >= 500) yield return Violation("a server error");
        if (answer.Status is < 400 or >= 500) yield break;
        if (appended != 0) yield return Violation($"refused, yet {appended} events were appended");
        if (answer.ContentType != "application/problem+json") yield return Violation($"content type {answer.ContentType ?? "none"}");
        if (request.Operation.Method == "HEAD") yield break;
        JsonObject? problem = null;
        try
        {
            problem = JsonNode.Parse(answer.Body) as JsonObject;
        }
        catch (JsonException)
        {
        }
        if (problem is null)
        {
            yield return Violation("the body is not a JSON object");
            yield break;
        }
        if (problem["code"] is not JsonValue code || !code.TryGetValue<string>(out var text) || text.Length == 0) yield return Violation("no string code");
        if (problem["instance"] is not JsonValue instance || !instance.TryGetValue<string>(out _)) yield return Violation("no string instance");
        if (problem["status"] is not JsonValue status || !status.TryGetValue<int>(out var number) || number != answer.Status)
            yield return Violation("status differs from the HTTP status");
    }

    private static string Excerpt(string body) => body.Length > 300 ? body[..300] + "…" : body;

    /// <summary>Counts the events in the log but Marten's tombstones (as <see cref="RegistryFactory.EventCount"/>), over one connection.</summary>
    private sealed class EventCounter(string schema) : IAsyncDisposable
    {
        private NpgsqlConnection? _connection;
        private NpgsqlCommand? _command;

        public async Task<long> CountAsync()
        {
            if (_command is null)
            {
                _connection = new NpgsqlConnection(RegistryFactory.ConnectionString);
                await _connection.OpenAsync();
                _command = new NpgsqlCommand($"select count(*) from {schema}.mt_events where stream_id <> 'mt_tombstone' and not is_archived", _connection);
            }
            return (long)(await _command.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            if (_command is not null) await _command.DisposeAsync();
            if (_connection is not null) await _connection.DisposeAsync();
        }
    }
}

/// <summary>What the fuzzing found, each pinned by the smallest request that showed it.</summary>
public sealed class FuzzFindingsTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task ShouldBeCompleteProblem(HttpResponseMessage response, HttpStatusCode status, string code, string path)
    {
        var problem = await response.ShouldBeProblem(status, code);
        problem.Str("instance").Should().Be(path);
        problem.Str("correlationId").Should().NotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    public async Task A_refusal_is_a_complete_problem_even_to_a_caller_that_accepts_no_JSON(string accept)
    {
        var supervisor = registry.As("supervisor");
        supervisor.DefaultRequestHeaders.Accept.ParseAdd(accept);
        var anonymous = registry.CreateClient();
        anonymous.DefaultRequestHeaders.Accept.ParseAdd(accept);
        var unknown = $"/api/corrections/{Guid.NewGuid()}/approve";

        // A refusal raised as an exception (it was a 500), one returned as a result, and one the framework answers.
        await ShouldBeCompleteProblem(await registry.AppendsNothing(() => supervisor.PostAsync(unknown, null)), HttpStatusCode.NotFound, "correction.notFound", unknown);
        await ShouldBeCompleteProblem(await supervisor.GetAsync("/api/persons/123"), HttpStatusCode.BadRequest, "nationalCode.invalidFormat", "/api/persons/123");
        await ShouldBeCompleteProblem(await anonymous.GetAsync("/api/persons/123"), HttpStatusCode.Unauthorized, "auth.unauthenticated", "/api/persons/123");
    }

    [Theory]
    [InlineData("""{"name":"N","url":"http://127.0.0.1:9/","secret":"a-long-shared-secret-value","scope":"full","from":"a\ud800b"}""", "/api/subscriptions")]
    [InlineData("""{"name":"N","url":"http://127.0.0.1:9/","secret":"a-long-shared-secret-value","scope":"full","from":"\udc00"}""", "/api/subscriptions")]
    [InlineData("""{"cursor":"\ud800"}""", "rewind")]
    public async Task A_feed_position_with_an_escaped_lone_surrogate_is_400_invalid_text(string body, string url)
    {
        var admin = registry.As("admin");
        if (url == "rewind")
        {
            var created = await admin.PostOk("/api/subscriptions", new { name = "N", url = "http://127.0.0.1:9/", secret = "a-long-shared-secret-value", scope = "full" });
            url = $"/api/subscriptions/{created.Str("id")}/rewind";
        }

        var response = await admin.PostAsync(url, Json(body));

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "validation.invalidText");
    }

    [Theory]
    [InlineData("motherNationalCod", "motherNationalCod")]
    [InlineData("birthPlace", "birthPlace.provence")]
    public async Task A_misspelt_property_is_400_unknown_property_rather_than_dropped(string property, string field)
    {
        var birth = JsonSerializer.SerializeToNode(Birth(), WebJson)!.AsObject();
        if (property == "birthPlace") birth["birthPlace"]!["provence"] = "تهران";
        else birth[property] = NationalCode.Issue("001", 77);

        var response = await registry.AppendsNothing(() => _registrar.PostAsync("/api/births", Json(birth.ToJsonString())));

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, "request.malformed");
        var error = problem["errors"]!.AsArray().Single()!;
        (error.Str("field"), error.Str("code")).Should().Be((field, "json.unknownProperty"));
    }

    [Theory]
    [InlineData("[]", "")]
    [InlineData("""{"multipleBirthOrder":"two"}""", "multipleBirthOrder")]
    public async Task A_value_of_the_wrong_JSON_type_is_named_without_dotnet_type_names(string body, string field)
    {
        var response = await registry.AppendsNothing(() => _registrar.PostAsync("/api/births", Json(body)));

        var error = (await response.ShouldBeProblem(HttpStatusCode.BadRequest, "request.malformed"))["errors"]!.AsArray().Single()!;
        (error.Str("field"), error.Str("code")).Should().Be((field, "json.wrongType"));
        error.Str("message").Should().NotContainAny("VitalEvents", "System.");
    }

    [Theory]
    [InlineData("علی😀", "name.invalidCharacters")]
    [InlineData("علی۲", "name.invalidCharacters")]
    [InlineData("\u202Eیلع", "text.invalidCharacters")]
    [InlineData("\u200D\u200F", "field.required")]
    [InlineData("ع\u0301\u0301\u0301", "name.invalidCharacters")]
    [InlineData("--", "name.invalidCharacters")]
    public async Task A_name_of_anything_but_letters_and_joiners_is_refused(string givenName, string code)
    {
        var response = await registry.AppendsNothing(() => _registrar.PostAsJsonAsync("/api/births", Birth(givenName)));

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed");
        problem["errors"]!.AsArray().Select(e => $"{e!.Str("field")} {e!.Str("code")}").Should().Equal($"givenName {code}");
    }

    [Theory]
    [InlineData("نیک‌نام", "نیک‌نام")]
    [InlineData("Jean-Luc O'Brien", "Jean-Luc O'Brien")]
    [InlineData("Zoë", "Zoë")]
    [InlineData("علی\u200Fرضا", "علیرضا")]
    [InlineData("\uFEFFکریمی\u200B", "کریمی")]
    public async Task A_name_with_ZWNJ_hyphen_apostrophe_or_accents_is_accepted_and_invisible_marks_are_removed(string familyName, string stored)
    {
        var code = await _registrar.Born(Birth("سارا", familyName));

        (await _registrar.Person(code)).Str("familyName").Should().Be(stored);
    }

    [Fact]
    public async Task A_reference_with_a_bidirectional_override_is_400()
    {
        var person = await _registrar.Born();

        var response = await registry.AppendsNothing(() => _registrar.PostAsJsonAsync($"/api/persons/{person}/corrections", new
        {
            field = "givenName", newValue = "حسن", authority = "board", decisionReference = "HE-\u202E71-4041", reason = "Transcription error.",
        }));

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed");
        problem["errors"]!.AsArray().Select(e => $"{e!.Str("field")} {e!.Str("code")}").Should().Equal("decisionReference text.invalidCharacters");
    }

    [Fact]
    public void The_checked_string_converter_reads_and_writes_dictionary_keys_and_checks_them()
    {
        var options = new JsonSerializerOptions { Converters = { new VitalEvents.Http.CheckedStringConverter() } };

        JsonSerializer.Serialize(new Dictionary<string, string> { ["key"] = "value" }, options).Should().Be("""{"key":"value"}""");
        JsonSerializer.Deserialize<Dictionary<string, int>>("""{"key":1}""", options).Should().ContainKey("key");
        var act = () => JsonSerializer.Deserialize<Dictionary<string, int>>("""{"a\u0000b":1}""", options);
        act.Should().Throw<VitalEvents.Http.InvalidTextException>();
    }
}
