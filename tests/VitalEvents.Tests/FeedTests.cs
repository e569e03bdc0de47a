using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Api;
using VitalEvents.Domain;
using VitalEvents.Storage;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>The ordered global feed: no gap or duplicate under concurrent writers, live equals catch-up, scopes, old event versions.</summary>
public sealed class FeedTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");
    private readonly HttpClient _auditor = registry.As("auditor", office: null);

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Subscriber(string? scope)
    {
        var client = registry.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            registry.Token("subscriber", null, "pension-fund", scope));
        return client;
    }

    private static async Task<(List<JsonNode> Events, string Next)> Page(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/feed?{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Json();
        return (body["events"]!.AsArray().Select(e => e!).ToList(), body.Str("next"));
    }

    private async Task<List<(long Seq, Guid Id)>> Recorded()
    {
        await using var session = registry.Store.QuerySession();
        var all = await Marten.QueryableExtensions.ToListAsync(session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence));
        return all.Where(e => e.StreamKey != "mt_tombstone").Select(e => (e.Sequence, e.Id)).ToList();
    }

    [Fact]
    public async Task A_reader_following_the_feed_during_concurrent_writes_sees_every_event_once_in_commit_order()
    {
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 12; i++) await _registrar.Born(Birth(Numbered("نوزاد", w * 100 + i), "همزمان", "female", "1404/01/01"));
        })).ToArray();
        var seen = new List<JsonNode>();
        var cursor = "0";
        while (!writers.All(w => w.IsCompleted))
        {
            var (events, next) = await Page(_auditor, $"after={cursor}&limit=7");
            seen.AddRange(events);
            cursor = next;
        }
        await Task.WhenAll(writers);
        var expected = await Recorded();
        for (var attempt = 0; seen.Count < expected.Count && attempt < 100; attempt++)
        {
            var (events, next) = await Page(_auditor, $"after={cursor}&limit=7");
            seen.AddRange(events);
            cursor = next;
            if (events.Count == 0) await Task.Delay(100);
        }

        var sequences = seen.Select(e => long.Parse(e.Str("sequence"))).ToList();
        sequences.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        seen.Select(e => Guid.Parse(e.Str("id"))).Should().Equal(expected.Select(e => e.Id), "nothing skipped, nothing twice, commit order");
        expected.Should().HaveCount(48);
    }

    [Fact]
    public async Task Events_are_CloudEvents_and_the_feed_filters_by_type_and_province()
    {
        var mother = await _registrar.Born(Birth("زهرا", "کریمی", "female", "1370/01/01"));
        await _registrar.Born(Birth("علی", "کریمی", "male", "1404/01/01", mother));
        await registry.As("registrar", "136").Born(Birth("رضا", "تبریزی", "male", "1365/01/01", office: "136"));

        var (all, _) = await Page(_auditor, "");
        all.Should().HaveCount(4);
        var first = all[0];
        first.Str("specversion").Should().Be("1.0");
        first.Str("type").Should().Be("birth_registered.v1");
        first.Str("subject").Should().Be(mother);
        first.Str("source").Should().Be("urn:vitalevents:registry");
        first["data"]!.Str("givenName").Should().Be("زهرا");
        first.Str("province").Should().Be("tehran");

        (await Page(_auditor, "types=child_birth_recorded.v1")).Events.Should().ContainSingle();
        (await Page(_auditor, "provinces=east-azerbaijan")).Events.Should().ContainSingle().Which.Str("subject").Should().StartWith("136");
        var (twoOnly, next) = await Page(_auditor, "limit=2");
        twoOnly.Should().HaveCount(2);
        (await Page(_auditor, $"after={next}")).Events.Should().HaveCount(2);
        (await _auditor.GetAsync("/api/feed?types=nonsense.v1")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await _registrar.GetAsync("/api/feed")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await registry.CreateClient().GetAsync("/api/feed")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_pension_fund_sees_deaths_without_their_cause_and_nothing_else()
    {
        var person = await _registrar.Born(Birth("حسن", "نوری", "male", "1330/01/01"));
        await _registrar.PostOk("/api/deaths", Death(person));

        var (events, _) = await Page(Subscriber("pension"), "");

        var death = events.Should().ContainSingle().Subject;
        death.Str("type").Should().Be("death_registered.v2");
        death["data"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(["nationalCode", "date"], "who died and when: no causes, certifier, place or office");
        death["data"]!.Str("nationalCode").Should().Be(person);
        death.Str("subject").Should().Be(person);
        (await Subscriber("pension").GetAsync("/api/feed?types=birth_registered.v1")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Subscriber(null).GetAsync("/api/feed")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var full = (await Page(_auditor, "types=death_registered.v2")).Events.Single();
        full["data"]!["causesIcd10"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("I21.9");
    }

    [Fact]
    public async Task The_live_stream_catches_up_in_the_same_order_as_the_pages_resumes_after_Last_Event_ID_and_sends_heartbeats()
    {
        for (var i = 0; i < 5; i++) await _registrar.Born(Birth(Numbered("کودک", i), "زنده", "male", "1404/01/01"));
        var (pages, _) = await Page(_auditor, "");
        using var live = registry.WithWebHostBuilder(b => b.UseSetting("VitalEvents:Feed:HeartbeatSeconds", "1"));
        var client = live.CreateClient();
        client.DefaultRequestHeaders.Authorization = _auditor.DefaultRequestHeaders.Authorization;

        var streamed = await ReadStream(client, null, count: 5, heartbeats: 1);
        streamed.Events.Select(e => e.Data["id"]!.GetValue<string>()).Should().Equal(pages.Select(p => p.Str("id")));
        streamed.Events.Select(e => e.Id).Should().Equal(pages.Select(p => long.Parse(p.Str("sequence")).ToString()));
        streamed.Heartbeats.Should().BeGreaterThanOrEqualTo(1);

        var resumed = await ReadStream(client, streamed.Events[2].Id, count: 2, heartbeats: 0);
        resumed.Events.Select(e => e.Id).Should().Equal(streamed.Events[3].Id, streamed.Events[4].Id);

        var tail = ReadStream(client, streamed.Events[4].Id, count: 1, heartbeats: 0);
        var newborn = await _registrar.Born(Birth("تازه", "زنده", "female", "1404/01/01"));
        (await tail).Events.Single().Data.Str("subject").Should().Be(newborn);
    }

    private static async Task<(List<(string Id, JsonNode Data)> Events, int Heartbeats)> ReadStream(HttpClient client, string? lastEventId, int count, int heartbeats)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/feed/stream");
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<(string, JsonNode)>();
        var beats = 0;
        string? id = null, type = null, data = null;
        while ((events.Count < count || beats < heartbeats) && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ")) id = line[4..];
            else if (line.StartsWith("event: ")) type = line[7..];
            else if (line.StartsWith("data: ")) data = line[6..];
            else if (line.Length == 0 && data is not null)
            {
                if (type == "heartbeat") beats++;
                else events.Add((id!, JsonNode.Parse(data)!));
                (id, type, data) = (null, null, null);
            }
        }
        return (events, beats);
    }

    [Fact]
    public async Task A_death_stored_as_version_1_still_reads_projects_and_feeds_as_version_2()
    {
        var person = await _registrar.Born(Birth("قاسم", "قدیمی", "male", "1320/01/01"));
        using (var earlier = DocumentStore.For(opts =>
        {
            opts.Connection(RegistryFactory.ConnectionString);
            opts.DatabaseSchemaName = registry.Schema;
            opts.Events.DatabaseSchemaName = registry.Schema;
            opts.Events.StreamIdentity = StreamIdentity.AsString;
            opts.Events.MetadataConfig.EnableAll();
            opts.Events.MetadataConfig.UserNameEnabled = true;
            opts.AutoCreateSchemaObjects = AutoCreate.None;
            opts.Events.MapEventType<DeathRegisteredV1>(DeathRegisteredV1.StoredName);
        }))
        {
            await using var session = earlier.LightweightSession();
            session.Events.Append(person, new DeathRegisteredV1(person, new DateOnly(2020, 1, 1), new PlaceRecord("تهران", "تهران", "تهران"), "J18.9", "Dr. Old", "001"));
            await session.SaveChangesAsync();
        }
        await using (var raw = registry.Store.QuerySession())
            (await raw.Events.FetchStreamAsync(person)).Last().EventTypeName.Should().Be("death_registered.v1", "stored by the earlier version");

        await Rebuild.AllAsync(registry.Store, null, CancellationToken.None);

        var snapshot = await _registrar.Person(person);
        snapshot["alive"]!.GetValue<bool>().Should().BeFalse();
        snapshot.Str("dateOfDeath").Should().Be("2020-01-01");
        (await registry.EventsOf(person)).Last().Should().BeOfType<DeathRegistered>().Which.CausesIcd10.Should().Equal("J18.9");
        var again = await _registrar.PostAsJsonAsync("/api/deaths", Death(person));
        (await again.Json()).Str("code").Should().Be("person.deceased", "decisions read the upcast event");
        var history = await (await _registrar.GetAsync($"/api/persons/{person}/history")).Json();
        history["entries"]!.AsArray().Last()!.Str("summary").Should().Contain("J18.9");
        var fed = (await Page(_auditor, "")).Events.Last();
        fed.Str("type").Should().Be("death_registered.v2");
        fed["data"]!["causesIcd10"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("J18.9");
        (await registry.Services.GetRequiredService<Integrity.DatabaseIntegrity>()
            .VerifyAsync(registry.Services.GetRequiredService<System.Security.Cryptography.ECDsa>(), CancellationToken.None)).Ok.Should().BeTrue();
    }
}
