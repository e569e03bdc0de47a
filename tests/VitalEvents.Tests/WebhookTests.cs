using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VitalEvents.Feeds;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>The registry's web host with fast webhook delivery: 100 ms polls, 200 ms base delay, parked after 3 attempts.</summary>
public sealed class WebhookRegistry : IAsyncLifetime
{
    public const int ParkAfter = 3;
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(200);

    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["VitalEvents:Webhooks:PollInterval"] = "00:00:00.100",
        ["VitalEvents:Webhooks:RetryBaseDelay"] = BaseDelay.ToString(),
        ["VitalEvents:Webhooks:RetryMaxDelay"] = "00:00:02",
        ["VitalEvents:Webhooks:ParkAfterAttempts"] = ParkAfter.ToString(),
        ["VitalEvents:Webhooks:Timeout"] = "00:00:05",
    };

    public RegistryFactory Registry { get; } = new(Settings);

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await Registry.DisposeAsync();
}

/// <summary>One request the receiver got, and whether it said yes.</summary>
public sealed record Delivery(Guid EventId, long Sequence, int Attempt, string Signature, string? ContentType, byte[] Body, DateTimeOffset At, bool Accepted)
{
    public JsonNode Event => JsonNode.Parse(Body)!;
}

/// <summary>A real HTTP receiver on a random loopback port (Kestrel): records every request, and can fail the next ones.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private int _failNext;

    private Receiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var accepted = Interlocked.Decrement(ref _failNext) < 0;
            if (accepted) Interlocked.Exchange(ref _failNext, 0);
            _deliveries.Enqueue(new Delivery(Guid.Parse(request.Headers["X-VitalEvents-Event-Id"]!), long.Parse(request.Headers["X-VitalEvents-Sequence"]!),
                int.Parse(request.Headers["X-VitalEvents-Delivery-Attempt"]!), request.Headers["X-VitalEvents-Signature"]!, request.ContentType,
                body.ToArray(), DateTimeOffset.UtcNow, accepted));
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
            return accepted ? Results.NoContent() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
    }

    public string Url { get; private set; } = string.Empty;

    /// <summary>How long the receiver takes to answer each request.</summary>
    public TimeSpan Delay { get; set; }

    public IReadOnlyList<Delivery> All => [.. _deliveries];
    public IReadOnlyList<Delivery> Accepted => [.. _deliveries.Where(d => d.Accepted)];

    /// <summary>Answers 503 to the next <paramref name="count"/> requests.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    public static async Task<Receiver> StartAsync()
    {
        var receiver = new Receiver();
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = $"{address}/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// Durable webhook subscriptions against a real HTTP receiver: signed, ordered, at-least-once delivery; filters and scopes;
/// retries with backoff, parking and replay; pause, resume and rewind; a restart mid-delivery; admins only.
/// </summary>
public sealed class WebhookTests(WebhookRegistry fixture) : IClassFixture<WebhookRegistry>, IAsyncLifetime
{
    private const string Secret = "a-webhook-secret-of-32-characters";
    private readonly RegistryFactory _registry = fixture.Registry;
    private Receiver _receiver = null!;
    private HttpClient Admin => _registry.As("admin", office: null);
    private HttpClient Registrar => _registry.As("registrar");

    public async Task InitializeAsync()
    {
        await _registry.ResetAsync();
        _receiver = await Receiver.StartAsync();
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<JsonNode> Subscribe(HttpClient admin, string scope = "full", string[]? types = null, string[]? provinces = null, object? from = null)
    {
        var response = await admin.PostAsJsonAsync("/api/subscriptions", new
        {
            name = $"{scope} receiver", url = _receiver.Url, secret = Secret, scope, types = types ?? [], provinces = provinces ?? [], from,
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private async Task<JsonNode> Post(string url, object? body = null)
    {
        var response = await Admin.PostAsJsonAsync(url, body ?? new { });
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private static async Task<List<FeedEvent>> Feed(RegistryFactory registry) =>
        [.. (await registry.Services.GetRequiredService<FeedReader>().ReadAsync(0, FeedFilter.All, 1000, CancellationToken.None)).Events];

    private static Task Eventually(Func<bool> condition, string because, int seconds = 20) =>
        Eventually(() => Task.FromResult(condition()), because, seconds);

    private static async Task Eventually(Func<Task<bool>> condition, string because, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Waited {seconds} s for: {because}");
            await Task.Delay(50);
        }
    }

    private static string Sign(byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));

    [Fact]
    public async Task Signed_deliveries_arrive_in_order_with_their_event_id_starting_from_the_end_of_the_feed()
    {
        var before = await Registrar.Born(Birth("قدیم", "پیشین", "male", "1380/01/01"));
        var subscription = await Subscribe(Admin);
        subscription.Str("position").Should().Be("1", "by default a subscription starts at the current end of the feed");
        subscription.Str("secret").Should().NotContain(Secret[..8]).And.EndWith(Secret[^4..]);

        var mother = await Registrar.Born(Birth("زهرا", "کریمی", "female", "1370/01/01"));
        await Registrar.Born(Birth("علی", "کریمی", "male", "1404/01/01", mother));
        await Registrar.PostOk("/api/deaths", Death(before));
        var expected = (await Feed(_registry)).Where(e => e.Sequence > 1).ToList();
        expected.Should().HaveCount(4);

        await Eventually(() => _receiver.Accepted.Count >= expected.Count, "every event delivered");
        await Task.Delay(300);

        var deliveries = _receiver.All;
        deliveries.Select(d => d.EventId).Should().Equal(expected.Select(e => e.Id), "each event once, in feed order");
        deliveries.Select(d => d.Sequence).Should().Equal(expected.Select(e => e.Sequence));
        foreach (var delivery in deliveries)
        {
            delivery.Signature.Should().Be(Sign(delivery.Body));
            delivery.ContentType.Should().Be("application/cloudevents+json");
            delivery.Attempt.Should().Be(1);
            delivery.Event.Str("id").Should().Be(delivery.EventId.ToString());
            delivery.Event.Str("specversion").Should().Be("1.0");
        }
        deliveries.Last().Event.Str("type").Should().Be("death_registered.v2");
        var state = await Subscription(subscription.Str("id"));
        state.Str("position").Should().Be(expected.Last().Sequence.ToString());
        state.Str("status").Should().Be("active");
    }

    [Fact]
    public async Task A_pension_subscription_receives_only_deaths_without_their_cause_and_a_filter_narrows_by_type_and_province()
    {
        await Subscribe(Admin, "pension");
        await using var tabriz = await Receiver.StartAsync();
        var byProvince = await Admin.PostAsJsonAsync("/api/subscriptions", new
        {
            name = "tabriz births", url = tabriz.Url, secret = Secret, scope = "health", types = new[] { "birth_registered.v1" },
            provinces = new[] { "east-azerbaijan" },
        });
        byProvince.StatusCode.Should().Be(HttpStatusCode.Created);

        var person = await Registrar.Born(Birth("حسن", "نوری", "male", "1330/01/01"));
        var tabrizi = await _registry.As("registrar", "136").Born(Birth("رضا", "تبریزی", "male", "1365/01/01", office: "136"));
        await Registrar.PostOk("/api/deaths", Death(person));
        await _registry.As("registrar", "136").PostOk("/api/deaths", Death(tabrizi, office: "136"));

        await Eventually(() => _receiver.Accepted.Count >= 2 && tabriz.Accepted.Count >= 1, "the deaths and the Tabriz birth delivered");
        await Task.Delay(500);

        var deaths = _receiver.All;
        deaths.Select(d => d.Event.Str("subject")).Should().Equal(person, tabrizi);
        foreach (var death in deaths)
        {
            death.Event.Str("type").Should().Be("death_registered.v2");
            death.Event["data"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(["nationalCode", "date"], "who died and when: no causes, certifier, place or office");
            death.Event["data"]!.Str("nationalCode").Should().Be(death.Event.Str("subject"));
            death.Signature.Should().Be(Sign(death.Body));
        }
        var birth = tabriz.All.Should().ContainSingle().Subject;
        birth.Event.Str("type").Should().Be("birth_registered.v1");
        birth.Event.Str("subject").Should().Be(tabrizi);
        birth.Event["data"]!.Str("givenName").Should().Be("رضا", "the health scope carries the identities that link records");
        birth.Event["data"]!["evidence"]!.Str("reference").Should().Be("MC-1404-0001");
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_growing_delays_then_the_event_is_parked_and_a_replay_delivers_it_ahead_of_new_events()
    {
        var id = (await Subscribe(Admin)).Str("id");
        _receiver.FailNext(WebhookRegistry.ParkAfter);
        var first = await Registrar.Born(Birth("اول", "ناکام", "female", "1400/01/01"));
        var second = await Registrar.Born(Birth("دوم", "موفق", "female", "1400/01/02"));

        await Eventually(() => _receiver.Accepted.Count >= 1, "the second event delivered after the first was parked");
        var tries = _receiver.All.Where(d => !d.Accepted).ToList();
        tries.Should().HaveCount(WebhookRegistry.ParkAfter);
        tries.Select(d => d.Event.Str("subject")).Should().AllBe(first);
        tries.Select(d => d.Attempt).Should().Equal(1, 2, 3);
        (tries[1].At - tries[0].At).Should().BeGreaterThanOrEqualTo(WebhookRegistry.BaseDelay, "the first retry waits the base delay");
        (tries[2].At - tries[1].At).Should().BeGreaterThanOrEqualTo(WebhookRegistry.BaseDelay * 2, "the delay doubles");
        _receiver.Accepted.Single().Event.Str("subject").Should().Be(second);

        var parked = (await (await Admin.GetAsync($"/api/subscriptions/{id}/parked")).Json()).AsArray();
        var entry = parked.Should().ContainSingle().Subject!;
        entry["attempts"]!.GetValue<int>().Should().Be(WebhookRegistry.ParkAfter);
        entry.Str("type").Should().Be("birth_registered.v1");
        entry.Str("lastError").Should().Contain("503");
        var parkedSequence = entry["sequence"]!.GetValue<long>();
        tries[0].Sequence.Should().Be(parkedSequence);

        var replaying = await Admin.PostAsync($"/api/subscriptions/{id}/parked/{parkedSequence}/replay", null);
        replaying.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var third = await Registrar.Born(Birth("سوم", "تازه", "female", "1400/01/03"));
        await Eventually(() => _receiver.Accepted.Count >= 3, "the replayed event and the new one delivered");

        _receiver.Accepted.Select(d => d.Event.Str("subject")).Should().Equal(second, first, third);
        _receiver.Accepted[1].Attempt.Should().Be(WebhookRegistry.ParkAfter + 1);
        _receiver.Accepted[1].Signature.Should().Be(Sign(_receiver.Accepted[1].Body));
        (await (await Admin.GetAsync($"/api/subscriptions/{id}/parked")).Json()).AsArray().Should().BeEmpty("a replayed event leaves the list once delivered");
        (await Admin.PostAsync($"/api/subscriptions/{id}/parked/{parkedSequence}/replay", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Replaying_all_parked_events_delivers_them_in_order()
    {
        var id = (await Subscribe(Admin, types: ["birth_registered.v1"])).Str("id");
        _receiver.FailNext(2 * WebhookRegistry.ParkAfter);
        var first = await Registrar.Born(Birth("اول", "پارک", "female", "1400/01/01"));
        var second = await Registrar.Born(Birth("دوم", "پارک", "female", "1400/01/02"));
        await Eventually(() => _receiver.All.Count >= 2 * WebhookRegistry.ParkAfter, "both events tried to the end");
        await Eventually(async () => (await Parked(id)).Count == 2, "both events parked");

        var queued = await (await Admin.PostAsync($"/api/subscriptions/{id}/parked/replay", null)).Json();
        queued.AsArray().Should().HaveCount(2);

        await Eventually(() => _receiver.Accepted.Count >= 2, "both replayed");
        _receiver.Accepted.Select(d => d.Event.Str("subject")).Should().Equal(first, second);
        await Eventually(async () => (await Parked(id)).Count == 0, "the parked list emptied");
    }

    private async Task<JsonArray> Parked(string id) => (await (await Admin.GetAsync($"/api/subscriptions/{id}/parked")).Json()).AsArray();

    private async Task<JsonNode> Subscription(string id) => await (await Admin.GetAsync($"/api/subscriptions/{id}")).Json();

    [Fact]
    public async Task Pause_stops_delivery_and_resume_continues_from_where_it_stopped()
    {
        var id = (await Subscribe(Admin)).Str("id");
        var a = await Registrar.Born(Birth("الف", "مکث", "male", "1400/01/01"));
        await Eventually(async () => (await Subscription(id)).Str("position") == "1", "the first event delivered and its position saved");

        (await Post($"/api/subscriptions/{id}/pause")).Str("status").Should().Be("paused");
        var b = await Registrar.Born(Birth("ب", "مکث", "male", "1400/01/02"));
        var c = await Registrar.Born(Birth("پ", "مکث", "male", "1400/01/03"));
        await Task.Delay(1000);
        _receiver.All.Should().ContainSingle("nothing is delivered while paused");

        (await Post($"/api/subscriptions/{id}/resume")).Str("status").Should().Be("active");
        await Eventually(() => _receiver.Accepted.Count >= 3, "the rest delivered after resuming");
        await Task.Delay(300);
        _receiver.All.Select(d => d.Event.Str("subject")).Should().Equal(a, b, c);
    }

    [Fact]
    public async Task Rewinding_to_a_cursor_or_to_a_time_delivers_again_from_there()
    {
        var id = (await Subscribe(Admin)).Str("id");
        var a = await Registrar.Born(Birth("الف", "دوباره", "male", "1400/01/01"));
        await Task.Delay(100);
        var afterA = DateTimeOffset.UtcNow;
        await Task.Delay(100);
        var b = await Registrar.Born(Birth("ب", "دوباره", "male", "1400/01/02"));
        var c = await Registrar.Born(Birth("پ", "دوباره", "male", "1400/01/03"));
        await Eventually(() => _receiver.Accepted.Count >= 3, "all delivered");
        var cursorAfterA = _receiver.Accepted[0].Sequence;

        (await Post($"/api/subscriptions/{id}/rewind", new { cursor = cursorAfterA.ToString() })).Str("position").Should().Be(cursorAfterA.ToString());
        await Eventually(() => _receiver.Accepted.Count >= 5, "delivered again from the cursor");
        (await Post($"/api/subscriptions/{id}/rewind", new { time = afterA.ToString("O") })).Str("position").Should().Be(cursorAfterA.ToString());
        await Eventually(() => _receiver.Accepted.Count >= 7, "delivered again from the time");
        await Post($"/api/subscriptions/{id}/rewind", new { cursor = 0 });
        await Eventually(() => _receiver.Accepted.Count >= 10, "delivered again from the beginning");
        await Task.Delay(300);

        _receiver.All.Select(d => d.Event.Str("subject")).Should().Equal(a, b, c, b, c, b, c, a, b, c);
        var neither = await Admin.PostAsJsonAsync($"/api/subscriptions/{id}/rewind", new { });
        HttpChecks.FieldCode(await neither.Json()).Should().Be("subscription.rewindTarget");
        var beyond = await Admin.PostAsJsonAsync($"/api/subscriptions/{id}/rewind", new { cursor = 1000 });
        beyond.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await beyond.Json()).Str("code").Should().Be("subscription.invalidCursor");
        HttpChecks.FieldCode(await (await Admin.PostAsJsonAsync($"/api/subscriptions/{id}/rewind", new { time = "yesterday" })).Json()).Should().Be("subscription.invalidTime");
    }

    [Fact]
    public async Task A_restart_in_the_middle_of_delivery_loses_nothing()
    {
        _receiver.Delay = TimeSpan.FromMilliseconds(250);
        var before = new RegistryFactory(WebhookRegistry.Settings, keepSchema: true);
        await using var after = new RegistryFactory(WebhookRegistry.Settings, before.Schema);
        try
        {
            await Subscribe(before.As("admin", office: null), from: 0);
            for (var i = 0; i < 8; i++) await before.As("registrar").Born(Birth(Numbered("پیش", i), "راه‌اندازی", "female", "1400/01/01"));
            await Eventually(() => _receiver.All.Count >= 3, "some events delivered");
        }
        finally
        {
            await before.DisposeAsync();
        }
        var delivered = _receiver.All.Count;
        delivered.Should().BeLessThan(8, "the service stopped in the middle of delivery");

        for (var i = 0; i < 4; i++) await after.As("registrar").Born(Birth(Numbered("پس", i), "راه‌اندازی", "female", "1400/01/01"));
        var all = await Feed(after);
        all.Should().HaveCount(12);
        await Eventually(() => _receiver.Accepted.Select(d => d.EventId).Distinct().Count() >= all.Count, "every event delivered after the restart", 30);

        _receiver.Accepted.Select(d => d.EventId).ToHashSet().Should().BeEquivalentTo(all.Select(e => e.Id), "none missing, duplicates allowed");
        _receiver.All.Select(d => d.Sequence).Should().BeInAscendingOrder("at most the event in flight is sent again");
        _receiver.All.Should().OnlyContain(d => d.Signature == Sign(d.Body));
    }

    [Fact]
    public async Task Two_instances_of_the_service_deliver_each_event_once_in_order()
    {
        await using var second = _registry.WithWebHostBuilder(_ => { });
        _ = second.Services;
        _receiver.Delay = TimeSpan.FromMilliseconds(30);
        await Subscribe(Admin);

        for (var i = 0; i < 10; i++) await Registrar.Born(Birth(Numbered("دو", i), "نمونه", "female", "1400/01/01"));
        await Eventually(() => _receiver.Accepted.Count >= 10, "every event delivered");
        await Task.Delay(500);

        _receiver.All.Select(d => d.Sequence).Should().HaveCount(10).And.BeInAscendingOrder().And.OnlyHaveUniqueItems(
            "one instance at a time holds the subscription's advisory lock and reads its position after taking it");
    }

    [Fact]
    public async Task Only_admins_manage_subscriptions_and_bad_input_is_refused_with_a_code()
    {
        var body = new { name = "x", url = _receiver.Url, secret = Secret, scope = "full" };
        (await _registry.CreateClient().PostAsJsonAsync("/api/subscriptions", body)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _registry.CreateClient().GetAsync("/api/subscriptions")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        foreach (var role in new[] { "registrar", "supervisor", "auditor", "subscriber" })
        {
            (await _registry.As(role).PostAsJsonAsync("/api/subscriptions", body)).StatusCode.Should().Be(HttpStatusCode.Forbidden, role);
            (await _registry.As(role).GetAsync("/api/subscriptions")).StatusCode.Should().Be(HttpStatusCode.Forbidden, role);
        }

        async Task<string> Refused(object request)
        {
            var response = await Admin.PostAsJsonAsync("/api/subscriptions", request);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            return HttpChecks.FieldCode(await response.Json());
        }
        (await Refused(body with { url = "ftp://example.org/hook" })).Should().Be("subscription.invalidUrl");
        (await Refused(body with { url = "/hook" })).Should().Be("subscription.invalidUrl");
        (await Refused(body with { secret = "too-short" })).Should().Be("subscription.weakSecret");
        (await Refused(body with { scope = "everything" })).Should().Be("subscription.unknownScope");
        (await Refused(body with { name = " " })).Should().Be("field.required");
        (await Refused(new { body.name, body.url, body.secret, scope = "pension", types = new[] { "birth_registered.v1" } }))
            .Should().Be("subscription.typeOutsideScope");
        (await Refused(new { body.name, body.url, body.secret, body.scope, types = new[] { "nonsense.v1" } })).Should().Be("subscription.unknownType");
        (await Refused(new { body.name, body.url, body.secret, body.scope, provinces = new[] { "atlantis" } })).Should().Be("subscription.unknownProvince");
        (await Refused(new { body.name, body.url, body.secret, body.scope, from = "soon" })).Should().Be("subscription.invalidFrom");
        (await Refused(new { body.name, body.url, body.secret, body.scope, from = 99 })).Should().Be("subscription.invalidFrom");

        var unknown = Guid.NewGuid();
        foreach (var response in new[]
                 {
                     await Admin.GetAsync($"/api/subscriptions/{unknown}"), await Admin.PostAsync($"/api/subscriptions/{unknown}/pause", null),
                     await Admin.GetAsync($"/api/subscriptions/{unknown}/parked"), await Admin.PostAsync($"/api/subscriptions/{unknown}/parked/replay", null),
                 })
        {
            response.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await response.Json()).Str("code").Should().Be("subscription.notFound");
        }

        var id = (await Subscribe(Admin)).Str("id");
        var list = await Admin.GetStringAsync("/api/subscriptions");
        list.Should().Contain(id).And.NotContain(Secret, "the secret is never shown again");
        (await Admin.DeleteAsync($"/api/subscriptions/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await Admin.GetAsync($"/api/subscriptions/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
