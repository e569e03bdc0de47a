using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Npgsql;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using VitalEvents.Api;
using VitalEvents.Feeds.Nats;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>The registry's web host with fast webhook delivery (100 ms polls, parked after 3 attempts) and a patient sender.</summary>
public sealed class ObservedRegistry : IAsyncLifetime
{
    public const int ParkAfter = 3;

    public RegistryFactory Registry { get; } = new(new Dictionary<string, string?>
    {
        ["VitalEvents:Webhooks:PollInterval"] = "00:00:00.100",
        ["VitalEvents:Webhooks:RetryBaseDelay"] = "00:00:00.200",
        ["VitalEvents:Webhooks:RetryMaxDelay"] = "00:00:01",
        ["VitalEvents:Webhooks:ParkAfterAttempts"] = ParkAfter.ToString(CultureInfo.InvariantCulture),
        ["VitalEvents:Webhooks:Timeout"] = "00:02:00",
    });

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await Registry.DisposeAsync();
}

/// <summary>
/// What an operator sees: Prometheus metrics for commands, Marten, HTTP, webhooks, NATS and feed lag; one trace per request
/// through the registry, Npgsql and Marten; OTLP export when configured; JSON console logs outside Development; and never a
/// national code in a span or a log line.
/// </summary>
/// <remarks>
/// People here are registered at the Qom office (037), which no other test uses, so no other test's spans can carry the codes
/// these tests look for (every test class issues codes from the same serials).
/// </remarks>
/// <summary>
/// The observability tests wait for background work (webhook deliveries, the NATS relay) and read process-wide metrics: they
/// run on their own, after the parallel tests, so the browser tests' load cannot starve the workers they wait for.
/// </summary>
[CollectionDefinition(nameof(ObservabilityTests), DisableParallelization = true)]
public sealed class ObservabilityCollection;

[Collection(nameof(ObservabilityTests))]
public sealed class ObservabilityTests(ObservedRegistry fixture) : IClassFixture<ObservedRegistry>, IAsyncLifetime
{
    private const string Office = "037";
    private readonly RegistryFactory _registry = fixture.Registry;

    public Task InitializeAsync() => _registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Client(WebApplicationFactory<Program> host, string role, string? office = Office)
    {
        var client = host.CreateClient();
        var tokens = host as RegistryFactory ?? _registry;   // a host derived with WithWebHostBuilder shares the fixture's key
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Token(role, office, $"{role}-{office}"));
        return client;
    }

    private static string Persian(string digits) => string.Concat(digits.Select(c => (char)('۰' + (c - '0'))));

    // What is waited for is background work (webhook deliveries, the NATS relay); early in the suite, with many classes
    // running at once, it has taken longer than 30 s.
    private static async Task Eventually(Func<Task<bool>> condition, string because, int seconds = 90)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Waited {seconds} s for: {because}");
            await Task.Delay(50);
        }
    }

    // ---- metrics ---------------------------------------------------------------------------------------------------------

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public bool Has(params (string Key, string Value)[] labels) => labels.All(l => Labels.TryGetValue(l.Key, out var v) && v == l.Value);
    }

    private static async Task<List<Sample>> Scrape(WebApplicationFactory<Program> host)
    {
        var response = await host.CreateClient().GetAsync(Observability.MetricsPath);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain", "the Prometheus text format");
        return Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The samples of a Prometheus text exposition: <c>name{label="value",…} value [timestamp]</c>, comments skipped.</summary>
    private static List<Sample> Parse(string exposition)
    {
        var samples = new List<Sample>();
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var i = line.IndexOfAny(['{', ' ']);
            var name = line[..i];
            var labels = new Dictionary<string, string>();
            if (line[i] == '{')
            {
                i++;
                while (line[i] != '}')
                {
                    var equals = line.IndexOf('=', i);
                    var key = line[i..equals];
                    var value = new StringBuilder();
                    for (i = equals + 2; line[i] != '"'; i++)
                        value.Append(line[i] == '\\' ? line[++i] switch { 'n' => '\n', var c => c } : line[i]);
                    labels[key] = value.ToString();
                    i++;
                    if (line[i] == ',') i++;
                }
                i++;
            }
            var number = line[i..].Trim().Split(' ')[0];
            samples.Add(new Sample(name, labels, number switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(number, CultureInfo.InvariantCulture),
            }));
        }
        return samples;
    }

    /// <summary>The sum of the samples of a series with these labels; null when there is none.</summary>
    private static double? Value(List<Sample> samples, string name, params (string, string)[] labels) =>
        samples.Where(s => s.Name == name && s.Has(labels)).Select(s => s.Value).DefaultIfEmpty(double.NaN).Sum() is var sum && double.IsNaN(sum)
            ? null : sum;

    [Fact]
    public async Task Metrics_show_commands_Marten_appends_HTTP_webhook_deliveries_by_outcome_and_a_subscription_s_lag()
    {
        await using var receiver = await Listener.StartAsync(n => n <= ObservedRegistry.ParkAfter ? 503 : 204, held: true);
        var admin = Client(_registry, "admin", office: null);
        var registrar = Client(_registry, "registrar");
        var created = await admin.PostAsJsonAsync("/api/subscriptions", new
        {
            name = "observed", url = $"{receiver.Url}/hook", secret = "a-webhook-secret-of-32-characters", scope = "full", types = Array.Empty<string>(),
            provinces = Array.Empty<string>(),
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var subscription = (await created.Json()).Str("id");
        var consumer = ("consumer", $"webhook:{subscription}");
        var ofSubscription = ("subscription", subscription);

        var first = await registrar.Born(Birth("مهدی", "قمی", office: Office));
        (await Client(_registry, "auditor", office: null).GetAsync($"/api/persons/{first}")).StatusCode.Should().Be(HttpStatusCode.OK);

        // The receiver holds the first attempt: the subscription is one event behind the feed.
        await Eventually(async () => Value(await Scrape(_registry), "vitalevents_feed_lag", consumer) >= 1,
            "the lag of a subscription whose receiver has not answered");
        receiver.Release();
        // Refused twice, parked at the third attempt; the next event is delivered at the first.
        await Eventually(async () => Value(await Scrape(_registry), "vitalevents_webhook_deliveries_total", ofSubscription, ("outcome", "parked")) == 1,
            "the first event parked");
        await registrar.Born(Birth("زینب", "قمی", "female", office: Office));
        await Eventually(async () =>
        {
            var now = await Scrape(_registry);
            return Value(now, "vitalevents_webhook_deliveries_total", ofSubscription, ("outcome", "delivered")) == 1
                && Value(now, "vitalevents_feed_lag", consumer) == 0;
        }, "the second event delivered and the subscription caught up");

        // ASP.NET Core records a request's duration once the response has completed, after the client may have read it.
        await Eventually(async () => Value(await Scrape(_registry), "http_server_request_duration_seconds_count", ("http_request_method", "GET"),
            ("http_route", "/api/persons/{nationalCode}")) >= 1, "the read's duration recorded");
        var metrics = await Scrape(_registry);
        Value(metrics, "vitalevents_commands_total", ("command", "RegisterBirthCommand"), ("outcome", "committed")).Should().BeGreaterThanOrEqualTo(2);
        Value(metrics, "vitalevents_commands_total", ("command", "CreateSubscriptionCommand"), ("outcome", "committed")).Should().BeGreaterThanOrEqualTo(1);
        Value(metrics, "vitalevents_command_duration_milliseconds_bucket", ("command", "RegisterBirthCommand"), ("outcome", "committed"), ("le", "+Inf"))
            .Should().BeGreaterThanOrEqualTo(2, "the command duration is a histogram");
        Value(metrics, "vitalevents_command_duration_milliseconds_count", ("command", "RegisterBirthCommand"), ("outcome", "committed"))
            .Should().BeGreaterThanOrEqualTo(2);
        Value(metrics, "marten_event_append_events_total", ("event_type", "birth_registered.v1")).Should().BeGreaterThanOrEqualTo(2, "Marten counts the events it appends");
        Value(metrics, "http_server_request_duration_seconds_count", ("http_request_method", "POST"), ("http_route", "/api/births"),
            ("http_response_status_code", "201")).Should().BeGreaterThanOrEqualTo(2);
        Value(metrics, "http_server_request_duration_seconds_count", ("http_request_method", "GET"), ("http_route", "/api/persons/{nationalCode}"))
            .Should().BeGreaterThanOrEqualTo(1);

        Value(metrics, "vitalevents_webhook_deliveries_total", ofSubscription, ("outcome", "failed")).Should().Be(ObservedRegistry.ParkAfter - 1);
        Value(metrics, "vitalevents_webhook_deliveries_total", ofSubscription, ("outcome", "parked")).Should().Be(1);
        Value(metrics, "vitalevents_webhook_deliveries_total", ofSubscription, ("outcome", "delivered")).Should().Be(1);
        Value(metrics, "vitalevents_webhook_delivery_duration_milliseconds_count", ofSubscription).Should().Be(ObservedRegistry.ParkAfter + 1,
            "every attempt the receiver answered is timed");
        Value(metrics, "vitalevents_feed_lag", consumer).Should().Be(0);
        receiver.Requests.Should().HaveCount(ObservedRegistry.ParkAfter + 1);
        metrics.Where(s => s.Name.StartsWith("vitalevents_", StringComparison.Ordinal))
            .SelectMany(s => s.Labels.Values).Should().NotContain(v => v.Contains(first), "no national code in a label");
    }

    [Fact]
    public async Task Metrics_count_NATS_publishes_and_show_the_relay_s_lag()
    {
        var url = Environment.GetEnvironmentVariable("VITALEVENTS_NATS_URL") is { Length: > 0 } fromScripts ? fromScripts : NatsRelaySettings.DefaultUrl;
        var stream = $"VITALEVENTS_OBS_{Guid.NewGuid():N}";
        await using var service = new RegistryFactory(new Dictionary<string, string?>
        {
            ["VitalEvents:Nats:Enabled"] = "true",
            ["VitalEvents:Nats:Url"] = url,
            ["VitalEvents:Nats:Stream"] = stream,
            ["VitalEvents:Nats:SubjectPrefix"] = $"vitalevents-obs-{Guid.NewGuid():N}",
            ["VitalEvents:Nats:PollMilliseconds"] = "50",
        }, _registry.Schema, keepSchema: true);
        await using var nats = new NatsConnection(new NatsOpts { Url = url, Name = "vitalevents-tests" });
        try
        {
            var registrar = Client(service, "registrar");
            await registrar.Born(Birth("رضا", "قمی", office: Office));
            await registrar.Born(Birth("مریم", "قمی", "female", office: Office));

            await Eventually(async () =>
            {
                var metrics = await Scrape(service);
                return Value(metrics, "vitalevents_nats_published_total", ("stream", stream)) == 2
                    && Value(metrics, "vitalevents_feed_lag", ("consumer", $"nats:{stream}")) == 0;
            }, "both events published and the relay caught up");
            (await new NatsJSContext(nats).GetStreamAsync(stream)).Info.State.Messages.Should().Be(2);
        }
        finally
        {
            try
            {
                await new NatsJSContext(nats).DeleteStreamAsync(stream);
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
            }
        }
    }

    // ---- traces ----------------------------------------------------------------------------------------------------------

    /// <summary>What the in-memory exporter collects: it adds from the threads that end spans, the test reads meanwhile.</summary>
    private sealed class Spans : ICollection<Activity>
    {
        private readonly List<Activity> _spans = [];

        public IReadOnlyList<Activity> Snapshot()
        {
            lock (_spans) return [.. _spans];
        }

        public void Add(Activity item)
        {
            lock (_spans) _spans.Add(item);
        }

        public void Clear()
        {
            lock (_spans) _spans.Clear();
        }

        public bool Contains(Activity item)
        {
            lock (_spans) return _spans.Contains(item);
        }

        public void CopyTo(Activity[] array, int arrayIndex)
        {
            lock (_spans) _spans.CopyTo(array, arrayIndex);
        }

        public bool Remove(Activity item)
        {
            lock (_spans) return _spans.Remove(item);
        }

        public int Count
        {
            get
            {
                lock (_spans) return _spans.Count;
            }
        }

        public bool IsReadOnly => false;
        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Everything a span says: its names, status, tags, events and links.</summary>
    private static IEnumerable<string> TextOf(Activity span) =>
        new[] { span.OperationName, span.DisplayName, span.StatusDescription }
            .Concat(span.TagObjects.SelectMany(t => new[] { t.Key, Convert.ToString(t.Value, CultureInfo.InvariantCulture) }))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => Convert.ToString(t.Value, CultureInfo.InvariantCulture)).Append(e.Name)))
            .Concat(span.Baggage.Select(b => b.Value))
            .OfType<string>();

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, ActivityTraceId trace, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_no_span_is_recorded()
    {
        var spans = new Spans();
        await using var host = _registry.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans))));
        var registrar = Client(host, "registrar");

        var registered = await Send(registrar, HttpMethod.Post, "/api/births", ActivityTraceId.CreateRandom(), Birth("مهدی", "قمی", office: Office));
        registered.StatusCode.Should().Be(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        (await host.CreateClient().GetStringAsync(Observability.MetricsPath)).Should().Contain("http_server_request_duration_seconds",
            "metrics are kept whether or not anything is exported");
        spans.Snapshot().Should().BeEmpty("spans are recorded only when they are exported (or VitalEvents:Tracing is set)");
    }

    [Fact]
    public async Task A_request_is_one_trace_through_ASP_NET_Core_the_registry_Npgsql_and_Marten_and_no_span_carries_the_national_code()
    {
        var spans = new Spans();
        await using var host = _registry.WithWebHostBuilder(b => b.UseSetting(Observability.TracingKey, "true").ConfigureTestServices(s =>
            s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans))));
        var registrar = Client(host, "registrar");
        var auditor = Client(host, "auditor", office: null);

        var birth = ActivityTraceId.CreateRandom();
        var registered = await Send(registrar, HttpMethod.Post, "/api/births", birth, Birth("حسین", "قمی", office: Office));
        registered.StatusCode.Should().Be(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        var code = (await registered.Json()).Str("nationalCode");
        var read = ActivityTraceId.CreateRandom();
        (await Send(auditor, HttpMethod.Get, $"/api/persons/{code}", read)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Send(auditor, HttpMethod.Get, $"/api/persons/{Persian(code)}/history", ActivityTraceId.CreateRandom())).StatusCode.Should().Be(HttpStatusCode.OK);
        var refused = ActivityTraceId.CreateRandom();
        (await Send(registrar, HttpMethod.Post, "/api/births", refused, Birth("نرگس", "قمی", "female", mother: code, office: Office)))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "a man is named as the mother");
        (await Send(auditor, HttpMethod.Get, $"/api/access-log?nationalCode={code}", ActivityTraceId.CreateRandom())).StatusCode.Should().Be(HttpStatusCode.OK);
        (await RaceTwoCorrections(host, registrar, code)).Should().BeEquivalentTo([HttpStatusCode.Accepted, HttpStatusCode.Conflict],
            "a write that fails in PostgreSQL is traced too");

        IReadOnlyList<Activity> Trace(ActivityTraceId id) => [.. spans.Snapshot().Where(s => s.TraceId == id)];
        await Eventually(() => Task.FromResult(new[] { birth, read, refused }.All(id => Trace(id).Any(s => s.Kind == ActivityKind.Server))),
            "the server spans of the requests ended");

        var trace = Trace(birth);
        var server = trace.Should().ContainSingle(s => s.Kind == ActivityKind.Server).Subject;
        server.DisplayName.Should().Be("POST /api/births");
        server.GetTagItem("http.route").Should().Be("/api/births");
        server.GetTagItem("http.response.status_code").Should().Be(201);
        var command = trace.Should().ContainSingle(s => s.Source.Name == "VitalEvents" && s.DisplayName == "RegisterBirthCommand").Subject;
        command.GetTagItem("vitalevents.outcome").Should().Be("committed");
        trace.Should().Contain(s => s.Source.Name == "Npgsql" && s.Kind == ActivityKind.Client && s.ParentSpanId == command.SpanId,
            "Npgsql traces the SQL the command sends");
        var commandSession = trace.Should().ContainSingle(s => s.Source.Name == "Marten" && s.DisplayName == "marten.connection").Subject;
        command.ParentSpanId.Should().Be(commandSession.SpanId, "the command runs in its Marten session");
        trace.Where(s => s != server).Should().OnlyContain(s => trace.Any(p => p.SpanId == s.ParentSpanId),
            "every span of the command's trace hangs off another in it: none is left unended");
        var readTrace = Trace(read);
        var getPerson = readTrace.Single(s => s.Kind == ActivityKind.Server);
        getPerson.DisplayName.Should().Be("GET /api/persons/{nationalCode}");
        getPerson.GetTagItem("url.path").Should().Be("/api/persons/{code}", "the national code in the path is masked");
        var marten = readTrace.Should().ContainSingle(s => s.Source.Name == "Marten" && s.DisplayName == "marten.connection").Subject;
        var query = readTrace.Should().ContainSingle(s => s.Source.Name == "VitalEvents" && s.DisplayName == "GetPersonQuery").Subject;
        readTrace.Should().Contain(s => s.Source.Name == "Npgsql" && s.ParentSpanId == query.SpanId);
        readTrace.Where(s => s != getPerson).Should().OnlyContain(s => readTrace.Any(p => p.SpanId == s.ParentSpanId),
            "every span hangs off another in the trace");
        marten.ParentSpanId.Should().Be(getPerson.SpanId);

        var everything = spans.Snapshot();
        everything.Should().HaveCountGreaterThan(10);
        everything.SelectMany(TextOf).Should().NotContain(text => text.Contains(code) || text.Contains(Persian(code)),
            "no span's name, tag, status or event carries the national code");
    }

    // ---- logs ------------------------------------------------------------------------------------------------------------

    private sealed record LogLine(LogLevel Level, string Category, string Message, IReadOnlyList<string> Values, string? Exception)
    {
        public IEnumerable<string> Text => Values.Append(Message).Append(Category).Concat(Exception is null ? [] : [Exception]);
    }

    /// <summary>Every log entry the host writes, with its message, its structured values and its exception.</summary>
    private sealed class LogCapture : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogLine> _lines = new();
        public IReadOnlyList<LogLine> Lines => [.. _lines];
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);
        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                    ? pairs.Select(p => Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "").ToList()
                    : [];
                lines.Enqueue(new LogLine(logLevel, category, formatter(state, exception), values, exception?.ToString()));
            }
        }
    }

    [Fact]
    public async Task No_log_line_at_Information_or_above_carries_the_national_code_of_a_person_registered_read_or_refused()
    {
        var capture = new LogCapture();
        await using var host = _registry.WithWebHostBuilder(b =>
        {
            b.UseSetting("Logging:LogLevel:Default", "Information");
            b.UseSetting("Logging:LogLevel:VitalEvents.Api.RequestLog", "Information");
            b.UseSetting("Logging:Console:LogLevel:Default", "Warning");
            b.ConfigureLogging(logging => logging.AddProvider(capture));
        });
        var registrar = Client(host, "registrar");
        var auditor = Client(host, "auditor", office: null);

        var code = await registrar.Born(Birth("امیر", "قمی", office: Office));
        (await auditor.GetAsync($"/api/persons/{code}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await auditor.GetAsync($"/api/persons/{Persian(code)}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await auditor.GetAsync($"/api/persons/{code}/history")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await auditor.GetAsync("/api/feed?after=0")).StatusCode.Should().Be(HttpStatusCode.OK);
        var refused = await registrar.PostAsJsonAsync("/api/births", Birth("سارا", "قمی", "female", mother: code, office: Office));
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await refused.Json()).Str("detail").Should().Contain(code, "the refusal names the mother to the caller, who sent the code");
        (await registrar.PostAsJsonAsync("/api/births", Birth("سارا", "قمی", "female", mother: Persian(code), office: Office)))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await registrar.PostAsJsonAsync($"/api/persons/{code}/corrections", new { field = "givenName" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await RaceTwoCorrections(host, registrar, code)).Should().BeEquivalentTo([HttpStatusCode.Accepted, HttpStatusCode.Conflict],
            "one of two corrections racing to the same stream loses at commit");
        (await auditor.PostAsJsonAsync("/api/births", Birth(mother: code, office: Office))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await auditor.GetAsync($"/api/persons/{code}/nothing-here")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var lines = capture.Lines.Where(l => l.Level >= LogLevel.Information).ToList();
        lines.Should().Contain(l => l.Message.StartsWith("HTTP POST /api/births answered 201", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Message.StartsWith("HTTP GET /api/persons/{nationalCode} answered 200", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Message.StartsWith("HTTP GET /api/persons/{code}/nothing-here answered 404", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Message.Contains("RegisterBirthCommand") && l.Message.Contains("refused: parent.sexMismatch"));
        lines.Where(l => l.Text.Any(text => text.Contains(code) || text.Contains(Persian(code))))
            .Select(l => $"{l.Level} {l.Category}: {l.Message}\n{l.Exception}").Should().BeEmpty("no log line at Information or above carries the national code");
    }

    /// <summary>Two corrections of one person that both read the stream before either appends (the events table is locked meanwhile).</summary>
    private async Task<HttpStatusCode[]> RaceTwoCorrections(WebApplicationFactory<Program> host, HttpClient registrar, string code)
    {
        _ = host.Services;
        await using var blocker = new NpgsqlConnection(RegistryFactory.OwnerConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockEvents = new NpgsqlCommand($"lock table {_registry.Schema}.mt_events in exclusive mode", blocker, transaction))
            await lockEvents.ExecuteNonQueryAsync();
        var first = registrar.PostAsJsonAsync($"/api/persons/{code}/corrections", Correction("givenName", "علی"));
        var second = registrar.PostAsJsonAsync($"/api/persons/{code}/corrections", Correction("familyName", "قمی‌نژاد"));
        // As the application's role: only its own sessions' queries are visible to it.
        await using var monitor = new NpgsqlConnection(RegistryFactory.ConnectionString);
        await monitor.OpenAsync();
        await using (var waiting = new NpgsqlCommand(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like @schema", monitor))
        {
            waiting.Parameters.AddWithValue("schema", $"%{_registry.Schema}.%");
            await Eventually(async () => (long)(await waiting.ExecuteScalarAsync())! >= 2, "both corrections waiting to append");
        }
        await transaction.RollbackAsync();
        return [.. (await Task.WhenAll(first, second)).Select(r => r.StatusCode)];
    }

    [Fact]
    public async Task Outside_Development_the_console_writes_one_JSON_object_per_line_with_a_UTC_timestamp()
    {
        await using var production = ApiHost.Build(["--environment", "Production", $"--VitalEvents:Schema={_registry.Schema}"]);
        var options = production.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        options.FormatterName.Should().Be(ConsoleFormatterNames.Json);
        production.Services.GetServices<ILoggerProvider>().Should().ContainSingle(p => p is ConsoleLoggerProvider)
            .And.NotContain(p => p.GetType().Name == "DebugLoggerProvider");
        var json = production.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == options.FormatterName);

        using var line = new StringWriter();
        json.Write(new LogEntry<string>(LogLevel.Information, "VitalEvents.Test", new EventId(7), "Registered", null, (s, _) => s), null, line);
        using var written = JsonDocument.Parse(line.ToString());
        written.RootElement.GetProperty("LogLevel").GetString().Should().Be("Information");
        written.RootElement.GetProperty("Category").GetString().Should().Be("VitalEvents.Test");
        written.RootElement.GetProperty("Message").GetString().Should().Be("Registered");
        written.RootElement.GetProperty("Timestamp").GetString().Should().EndWith("Z");
        written.RootElement.TryGetProperty("Scopes", out _).Should().BeFalse("scopes carry the request path, and with it national codes");
        line.ToString().TrimEnd().Should().NotContain("\n", "one line per entry");

        _registry.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName
            .Should().NotBe(ConsoleFormatterNames.Json, "in Development the console is for people");
    }

    // ---- OTLP ------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Setting_OTEL_EXPORTER_OTLP_ENDPOINT_sends_traces_metrics_and_logs_over_OTLP_under_the_configured_service_name()
    {
        await using var collector = await Listener.StartAsync(_ => 200);
        var service = $"vitalevents-otlp-{Guid.NewGuid():N}";
        await using var host = new RegistryFactory(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = service,
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:Console:LogLevel:Default"] = "Warning",
        }, _registry.Schema, keepSchema: true);
        var code = await Client(host, "registrar").Born(Birth("یاسر", "قمی", office: Office));

        string Sent(string path) => string.Join("\n", collector.Requests.Where(r => r.Path == path).Select(r => Encoding.UTF8.GetString(r.Body)));
        // The server span ends just after the client has the answer: flush until it is among the spans sent. (The meter
        // provider's flush answers false because the Prometheus reader only collects when scraped; the OTLP reader exports.)
        await Eventually(() =>
        {
            host.Services.GetRequiredService<TracerProvider>().ForceFlush();
            host.Services.GetRequiredService<MeterProvider>().ForceFlush();
            host.Services.GetRequiredService<LoggerProvider>().ForceFlush();
            return Task.FromResult(Sent("/v1/traces").Contains("POST /api/births") && Sent("/v1/metrics").Length > 0 && Sent("/v1/logs").Length > 0);
        }, "traces, metrics and logs exported");

        collector.Requests.Should().OnlyContain(r => r.Method == "POST" && r.ContentType == "application/x-protobuf");
        Sent("/v1/traces").Should().Contain(service).And.Contain("RegisterBirthCommand");
        Sent("/v1/metrics").Should().Contain(service).And.Contain("vitalevents.commands").And.Contain("marten.event.append");
        Sent("/v1/logs").Should().Contain(service).And.Contain("RegisterBirthCommand");
        collector.Requests.Select(r => Encoding.UTF8.GetString(r.Body)).Should().NotContain(body => body.Contains(code), "the national code stays home");
    }
}

/// <summary>
/// A real HTTP listener on a random loopback port (Kestrel) that records every request and answers with a status chosen by the
/// request's number (1 for the first); a held listener keeps every request waiting until <see cref="Release"/>.
/// </summary>
public sealed class Listener : IAsyncDisposable
{
    public sealed record Request(string Method, string Path, string? ContentType, byte[] Body);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    private Listener(Func<int, int> status, bool held)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        if (!held) _released.SetResult();
        _app.Run(async http =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var number = Interlocked.Increment(ref _count);
            _requests.Enqueue(new Request(http.Request.Method, http.Request.Path.Value ?? "", http.Request.ContentType, body.ToArray()));
            await _released.Task.WaitAsync(http.RequestAborted);
            http.Response.StatusCode = status(number);
            if (http.Request.ContentType is { } type) http.Response.ContentType = type;
        });
    }

    /// <summary>The listener's base address (no trailing slash).</summary>
    public string Url { get; private set; } = string.Empty;

    public IReadOnlyList<Request> Requests => [.. _requests];

    /// <summary>Lets every held request, and every later one, be answered.</summary>
    public void Release() => _released.TrySetResult();

    public static async Task<Listener> StartAsync(Func<int, int> status, bool held = false)
    {
        var listener = new Listener(status, held);
        await listener._app.StartAsync();
        listener.Url = listener._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
