using System.Text;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NATS.Client.Core;
using NATS.Client.JetStream;
using VitalEvents.Domain;
using VitalEvents.Feeds.Nats;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// The NATS JetStream relay against the real nats-server the scripts start (VITALEVENTS_NATS_URL): every event reaches the
/// stream once, in feed order, on its subject, and restarting the service neither repeats nor skips an event.
/// </summary>
public sealed class NatsRelayTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private static readonly string Url =
        Environment.GetEnvironmentVariable("VITALEVENTS_NATS_URL") is { Length: > 0 } url ? url : NatsRelaySettings.DefaultUrl;

    // Each test has a stream and subjects of its own: JetStream refuses two streams with overlapping subjects.
    private readonly string _stream = $"VITALEVENTS_TEST_{Guid.NewGuid():N}";
    private readonly string _prefix = $"vitalevents-test-{Guid.NewGuid():N}";
    private readonly NatsConnection _nats = new(new NatsOpts { Url = Url, Name = "vitalevents-tests" });

    private NatsJSContext JetStream => new(_nats);

    public Task InitializeAsync() => registry.ResetAsync();

    public async Task DisposeAsync()
    {
        try
        {
            await JetStream.DeleteStreamAsync(_stream);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
        }
        await _nats.DisposeAsync();
    }

    /// <summary>A service of its own (its own relay) on this class's schema, relaying to this test's stream.</summary>
    private RegistryFactory ServiceWithRelay() => new(new Dictionary<string, string?>
    {
        ["VitalEvents:Nats:Enabled"] = "true",
        ["VitalEvents:Nats:Url"] = Url,
        ["VitalEvents:Nats:Stream"] = _stream,
        ["VitalEvents:Nats:SubjectPrefix"] = _prefix,
        ["VitalEvents:Nats:PollMilliseconds"] = "50",
    }, registry.Schema, keepSchema: true);

    private static NatsRelay RelayOf(RegistryFactory service) =>
        service.Services.GetServices<IHostedService>().OfType<NatsRelay>().Single();

    private sealed record Expected(long Sequence, Guid Id, string Type, string NationalCode, string Subject);

    private sealed record Received(string Subject, long Sequence, string MsgId, JsonNode CloudEvent);

    /// <summary>Every event in the database (Marten's tombstones aside) in feed order, with the subject it belongs on.</summary>
    private async Task<List<Expected>> Recorded()
    {
        await using var session = registry.Store.QuerySession();
        var all = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        return all.Where(e => e.StreamKey != "mt_tombstone").Select(e =>
        {
            var office = e.Headers?.GetValueOrDefault("officeCode")?.ToString();
            var province = Offices.Find(office)?.ProvinceSlug ?? "unknown";
            return new Expected(e.Sequence, e.Id, e.EventTypeName, e.StreamKey!, $"{_prefix}.{e.EventTypeName.Replace('.', '_')}.{province}");
        }).ToList();
    }

    /// <summary>Waits until the stream holds <paramref name="count"/> messages (and a moment more), then reads it all with an ordered consumer.</summary>
    private async Task<List<Received>> StreamContents(int count)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        long held = 0;
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                held = (await JetStream.GetStreamAsync(_stream)).Info.State.Messages;
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
            }
            if (held >= count) break;
            await Task.Delay(100);
        }
        held.Should().BeGreaterThanOrEqualTo(count, "the relay publishes every recorded event");
        await Task.Delay(500);   // long enough for a relay that publishes too much to show it
        held = (await JetStream.GetStreamAsync(_stream)).Info.State.Messages;

        var consumer = await JetStream.CreateOrderedConsumerAsync(_stream);
        var received = new List<Received>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            received.Add(new Received(msg.Subject, long.Parse(msg.Headers![NatsRelay.SequenceHeader].ToString()), msg.Headers["Nats-Msg-Id"].ToString(),
                JsonNode.Parse(Encoding.UTF8.GetString(msg.Data!))!));
            if (received.Count == held) break;
        }
        return received;
    }

    private static void ShouldHoldExactly(List<Received> received, List<Expected> recorded)
    {
        received.Select(m => m.Sequence).Should().Equal(recorded.Select(e => e.Sequence), "every event once, in feed order");
        received.Select(m => m.MsgId).Should().Equal(recorded.Select(e => e.Id.ToString()), "the message id is the event id");
        received.Select(m => m.Subject).Should().Equal(recorded.Select(e => e.Subject));
        received.Select(m => m.CloudEvent.Str("id")).Should().Equal(recorded.Select(e => e.Id.ToString()));
        received.Select(m => m.CloudEvent.Str("type")).Should().Equal(recorded.Select(e => e.Type));
        received.Select(m => m.CloudEvent.Str("subject")).Should().Equal(recorded.Select(e => e.NationalCode));
        received.Should().OnlyContain(m => m.CloudEvent.Str("specversion") == "1.0" && m.CloudEvent["data"] is JsonObject);
    }

    [Fact]
    public async Task Every_event_reaches_JetStream_once_in_feed_order_and_a_restart_neither_repeats_nor_skips_one()
    {
        await using var first = ServiceWithRelay();
        var tehran = first.As("registrar");
        var husband = await tehran.Born(Birth("حسین", "رضایی", "male", "1360/01/01"));
        var wife = await first.As("registrar", "136").Born(Birth("فاطمه", "محمدی", "female", "1362/01/01", office: "136"));
        await tehran.PostOk("/api/marriages", Marriage(husband, wife, "1385/01/01"));
        await tehran.Born(Birth("علی", "رضایی", "male", "1390/01/01", wife, husband));
        await tehran.PostOk("/api/deaths", Death(husband));

        var recorded = await Recorded();
        var received = await StreamContents(recorded.Count);
        ShouldHoldExactly(received, recorded);
        received.Select(m => m.Subject).Should().Contain([
            $"{_prefix}.birth_registered_v1.tehran", $"{_prefix}.birth_registered_v1.east-azerbaijan",
            $"{_prefix}.marriage_registered_v1.tehran", $"{_prefix}.death_registered_v2.tehran"]);
        RelayOf(first).Duplicates.Should().Be(0);
        await first.DisposeAsync();

        // Recorded while no relay runs; then another service starts and takes over from the stream's last message.
        await registry.As("registrar").Born(Birth("مینا", "کریمی", "female", "1400/01/01"));
        await using var second = ServiceWithRelay();
        await second.As("registrar", "052").Born(Birth("رضا", "اراکی", "male", "1401/01/01", office: "052"));
        await second.As("registrar", "136").PostOk("/api/deaths", Death(wife, office: "136"));

        var recordedAfterRestart = await Recorded();
        recordedAfterRestart.Count.Should().BeGreaterThanOrEqualTo(recorded.Count + 3);
        ShouldHoldExactly(await StreamContents(recordedAfterRestart.Count), recordedAfterRestart);
        RelayOf(second).Duplicates.Should().Be(0, "the restarted relay resumed after the last event published, not before it");
    }
}
