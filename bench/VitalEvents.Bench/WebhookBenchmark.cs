using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Api;
using VitalEvents.Feeds.Subscriptions;
using static VitalEvents.Bench.Report;

namespace VitalEvents.Bench;

/// <summary>
/// Commit-to-webhook latency and delivery throughput of the real service, in process: births registered one after another
/// through <c>POST /api/births</c>, each delivered by the webhook worker to a real local receiver. The baseline, in the same
/// run and alternating with it, is the same receiver called directly by the benchmark with a POST of the same body: one
/// webhook hop with no registry in between.
/// </summary>
public static class WebhookBenchmark
{
    public sealed record Options(BenchDatabase Database, int Births, int Rounds, int WarmUp, TimeSpan PollInterval);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        if (o.Rounds < 1 || o.Births < 2 * o.Rounds || o.WarmUp < 2 || o.PollInterval <= TimeSpan.Zero)
            throw new ArgumentException("need at least one round, two births a round, a warm-up of at least two, and a positive poll interval");
        var db = o.Database;
        var perRound = o.Births / o.Rounds;
        Console.WriteLine($"webhook benchmark: {perRound * o.Rounds:N0} births in {o.Rounds} rounds of {perRound} (after a warm-up round of {o.WarmUp}), "
            + $"webhook poll interval {o.PollInterval.TotalMilliseconds:0.###} ms, schema {db.Schema}");
        await db.DescribeMachineAsync(ct);

        var keys = Directory.CreateTempSubdirectory("vitalevents-bench-");
        await db.DropSchemaAsync(ct);
        try
        {
            await using var receiver = await Receiver.StartAsync(ct);
            var service = BenchService.Build(db, keys, new Dictionary<string, string?>
            {
                ["VitalEvents:Webhooks:PollInterval"] = o.PollInterval.ToString("c", CultureInfo.InvariantCulture),
            });
            await service.StartAsync(ct);
            try
            {
                var address = new Uri(service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
                using var run = new WebhookRun(receiver, address, DevelopmentTokens.Key(BenchService.SigningKeyPath(keys)), o.PollInterval);
                await run.MeasureAsync(o, perRound, ct);
                return 0;
            }
            finally
            {
                await service.StopAsync(CancellationToken.None);
                await service.DisposeAsync();
            }
        }
        finally
        {
            await db.DropSchemaAsync(CancellationToken.None);
            keys.Delete(recursive: true);
        }
    }
}

/// <summary>One run against a started service and receiver: the subscription, the births, the direct posts, and their figures.</summary>
internal sealed class WebhookRun(Receiver receiver, Uri service, Microsoft.IdentityModel.Tokens.ECDsaSecurityKey key, TimeSpan pollInterval) : IDisposable
{
    private const string Secret = "bench-webhook-secret-of-32-chars";
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromMinutes(2);
    private static readonly string[] GivenNames = ["محمد", "علی", "حسین", "فاطمه", "زهرا", "مریم", "رضا", "زینب", "مهدی", "سارا", "امیرحسین", "ریحانه"];
    private static readonly string[] FamilyNames = ["محمدی", "رضایی", "حسینی", "احمدی", "کریمی", "موسوی", "جعفری", "رحیمی", "صادقی", "کاظمی"];

    private readonly HttpClient _registrar = Client(service, DevelopmentTokens.Mint(key, "bench-registrar", ["registrar"], "001", TimeSpan.FromHours(2), DateTimeOffset.UtcNow));
    private readonly HttpClient _admin = Client(service, DevelopmentTokens.Mint(key, "bench-admin", ["admin"], null, TimeSpan.FromHours(2), DateTimeOffset.UtcNow));
    // Like the webhook sender's client: no redirects, no cookies, connections kept alive.
    private readonly HttpClient _direct = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private string _subscription = string.Empty;
    private byte[] _sampleBody = [];
    private int _births;
    // Seeded, so that runs pause alike; the pauses only keep spaced births from falling into step with the worker's polls.
    private readonly Random _pauses = new(5);

    private static HttpClient Client(Uri address, string token)
    {
        var client = new HttpClient(new SocketsHttpHandler()) { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public void Dispose()
    {
        _registrar.Dispose();
        _admin.Dispose();
        _direct.Dispose();
    }

    public async Task MeasureAsync(WebhookBenchmark.Options o, int perRound, CancellationToken ct)
    {
        _subscription = await SubscribeAsync(ct);
        Console.WriteLine($"  subscription {_subscription} (scope full) → {receiver.Url}; warming up with a round of each, {o.WarmUp} events each (not counted)");
        _sampleBody = (await BirthsAsync(o.WarmUp, spaced: false, ct)).Bodies[^1];
        await DirectAsync(o.WarmUp, ct);
        await BirthsAsync(o.WarmUp, spaced: true, ct);

        var webhook = new Phase("commit (201 returned) → webhook arrived, births back-to-back");
        var spacedWebhook = new Phase("commit (201 returned) → webhook arrived, births spaced (each after the previous webhook and a random pause)");
        var direct = new Phase($"direct POST of a {_sampleBody.Length:N0}-byte CloudEvent from the bench process to the receiver (baseline)");
        var births = new List<double>();
        var deliveries = new List<double>();
        List<Func<Task>> latencyRuns =
        [
            async () =>
            {
                var phase = await BirthsAsync(perRound, spaced: false, ct);
                webhook.Add(phase.Latencies);
                births.Add(phase.BirthsPerSecond);
                deliveries.Add(phase.DeliveriesPerSecond);
                Console.WriteLine(F($"  {perRound} births back-to-back: p50 {Phase.Median(phase.Latencies):F1} ms, {phase.BirthsPerSecond:F1} births/s, {phase.DeliveriesPerSecond:F1} deliveries/s, bodies {phase.Bodies.Average(b => b.Length):F0} bytes on average"));
            },
            async () =>
            {
                var (latencies, rate) = await DirectAsync(perRound, ct);
                direct.Add(latencies, rate);
                Console.WriteLine(F($"  {perRound} direct POSTs: p50 {Phase.Median(latencies):F2} ms, {rate:F0} POSTs/s"));
            },
            async () =>
            {
                var phase = await BirthsAsync(perRound, spaced: true, ct);
                spacedWebhook.Add(phase.Latencies);
                Console.WriteLine(F($"  {perRound} births spaced: p50 {Phase.Median(phase.Latencies):F1} ms"));
            },
        ];
        await Measure.AlternateAsync(o.Rounds, latencyRuns);

        var recorded = 2 * (o.WarmUp + perRound * o.Rounds);
        var backlog = new List<double>();
        var backlogDirect = new List<double>();
        await Measure.AlternateAsync(o.Rounds,
        [
            async () =>
            {
                backlog.Add(await BacklogAsync(recorded, ct));
                Console.WriteLine(F($"  backlog of {recorded} redelivered after a rewind: {backlog[^1]:F1} deliveries/s"));
            },
            async () =>
            {
                backlogDirect.Add((await DirectAsync(recorded, ct)).PerSecond);
                Console.WriteLine(F($"  {recorded} direct POSTs: {backlogDirect[^1]:F0} POSTs/s"));
            },
        ]);

        Phase.Table(o.PollInterval, direct, [webhook, spacedWebhook]);
        Rates($"Throughput while births are recorded back-to-back ({perRound} a round)", direct.PerSecond, "direct POSTs back-to-back, one at a time (baseline)",
            [("births recorded (201s returned)", births), ("webhook deliveries during those births", deliveries)]);
        Rates($"Throughput of a backlog: all {recorded} events redelivered after a rewind to cursor 0", backlogDirect,
            $"{recorded} direct POSTs back-to-back, one at a time (baseline)", [("webhook deliveries of the backlog", backlog)]);
    }

    private async Task<string> SubscribeAsync(CancellationToken ct)
    {
        using var response = await _admin.PostAsJsonAsync("/api/subscriptions", new { name = "bench receiver", url = receiver.Url, secret = Secret, scope = "full" }, ct);
        return (await Ok(response, HttpStatusCode.Created, ct)).GetProperty("id").GetString()!;
    }

    private sealed record BirthsPhase(List<double> Latencies, double BirthsPerSecond, double DeliveriesPerSecond, List<byte[]> Bodies);

    /// <summary>
    /// Registers births one after another, back-to-back, or spaced: each only once the previous one's webhook has arrived and
    /// after a random pause of up to one poll interval (else each birth would follow a delivery, and so a poll, by the same
    /// time, and every latency would be alike). A birth's latency is its webhook's arrival less the instant its 201 returned. Rates are taken from the first to the last 201, and
    /// from the first to the last arrival.
    /// </summary>
    private async Task<BirthsPhase> BirthsAsync(int count, bool spaced, CancellationToken ct)
    {
        var committed = new Dictionary<string, long>();
        var arrivals = new List<Arrival>();
        for (var i = 0; i < count; i++)
        {
            if (spaced) await Task.Delay(pollInterval * _pauses.NextDouble(), ct);
            using var response = await _registrar.PostAsJsonAsync("/api/births", Birth(_births++), ct);
            var at = Stopwatch.GetTimestamp();
            committed[(await Ok(response, HttpStatusCode.Created, ct)).GetProperty("nationalCode").GetString()!] = at;
            if (spaced) arrivals.AddRange(await receiver.TakeAsync(1, ArrivalTimeout, SubscriptionStateAsync));
        }
        if (!spaced) arrivals.AddRange(await receiver.TakeAsync(count, ArrivalTimeout, SubscriptionStateAsync));
        var first = arrivals.GroupBy(Subject).ToDictionary(g => g.Key, g => g.Min(a => a.At));
        if (arrivals.Count != count || committed.Keys.Any(code => !first.ContainsKey(code)))
            throw new InvalidOperationException($"{arrivals.Count} webhook requests for {count} births, covering {committed.Keys.Count(first.ContainsKey)} of them");
        return new BirthsPhase([.. committed.Select(c => Milliseconds(first[c.Key] - c.Value))], Rate(committed.Values), Rate(first.Values),
            [.. arrivals.Select(a => a.Body)]);
    }

    /// <summary>Events a second from the first instant to the last.</summary>
    private static double Rate(IReadOnlyCollection<long> instants) => (instants.Count - 1) / Seconds(instants.Max() - instants.Min());

    private static string Subject(Arrival arrival) => JsonDocument.Parse(arrival.Body).RootElement.GetProperty("subject").GetString()!;

    /// <summary>POSTs the sample body to the receiver one after another, with the headers a delivery carries.</summary>
    private async Task<(List<double> Latencies, double PerSecond)> DirectAsync(int count, CancellationToken ct)
    {
        var signature = WebhookSender.Signature(Secret, _sampleBody);
        var sent = new Dictionary<Guid, long>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new ByteArrayContent(_sampleBody) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(WebhookSender.ContentType);
            request.Headers.Add(Receiver.EventIdHeader, id.ToString());
            request.Headers.Add("X-VitalEvents-Sequence", (i + 1).ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-VitalEvents-Signature", signature);
            request.Headers.Add("X-VitalEvents-Delivery-Attempt", "1");
            request.Headers.Add("X-VitalEvents-Subscription", _subscription);
            sent[id] = Stopwatch.GetTimestamp();
            using var response = await _direct.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
        }
        var arrivals = await receiver.TakeAsync(count, ArrivalTimeout, SubscriptionStateAsync);
        if (arrivals.Count != count) throw new InvalidOperationException($"{arrivals.Count} requests arrived for {count} direct POSTs (a stray webhook delivery?)");
        return ([.. arrivals.Select(a => Milliseconds(a.At - sent[a.EventId]))], Rate([.. arrivals.Select(a => a.At)]));
    }

    /// <summary>
    /// Rewinds the subscription to cursor 0 and takes the redelivery of every event; deliveries per second from the first
    /// arrival to the last (the wait for the worker's next poll, up to one interval, is left out).
    /// </summary>
    private async Task<double> BacklogAsync(int events, CancellationToken ct)
    {
        using (var response = await _admin.PostAsJsonAsync($"/api/subscriptions/{_subscription}/rewind", new { cursor = 0 }, ct))
            await Ok(response, HttpStatusCode.OK, ct);
        var arrivals = await receiver.TakeAsync(events, ArrivalTimeout, SubscriptionStateAsync);
        if (arrivals.Count != events || arrivals.Select(a => a.EventId).Distinct().Count() != events)
            throw new InvalidOperationException($"{arrivals.Count} webhook requests for a backlog of {events} events");
        return Rate([.. arrivals.Select(a => a.At)]);
    }

    private async Task<string> SubscriptionStateAsync() =>
        "subscription: " + await _admin.GetStringAsync($"/api/subscriptions/{_subscription}");

    private static object Birth(int n) => new
    {
        givenName = GivenNames[n % GivenNames.Length], familyName = FamilyNames[n / GivenNames.Length % FamilyNames.Length],
        sex = GivenNames[n % GivenNames.Length] is "فاطمه" or "زهرا" or "مریم" or "زینب" or "سارا" or "ریحانه" ? "female" : "male",
        birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-(n % 28) - 2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        birthPlace = new { province = "تهران", county = "تهران", city = "تهران" },
        officeCode = "001",
        evidence = new { kind = "medicalCertificate", reference = $"MC-001-{n:D8}" },
    };

    private static async Task<JsonElement> Ok(HttpResponseMessage response, HttpStatusCode expected, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
    private static double Milliseconds(long ticks) => Seconds(ticks) * 1000;

    private static void Rates(string title, List<double> baseline, string baselineName, IEnumerable<(string Name, List<double> Runs)> others)
    {
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine();
        Console.WriteLine("| measure | runs (events/s) | median (events/s) | ratio to baseline |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (var (name, runs) in others.Prepend((baselineName, baseline)))
            Console.WriteLine(F($"| {name} | {string.Join(", ", runs.Select(r => r.ToString("F1", CultureInfo.InvariantCulture)))} | {Phase.Median(runs):F1} | {Phase.Median(runs) / Phase.Median(baseline):F3}× |"));
    }
}

/// <summary>The latencies of one measure over all its rounds, and each round's rate.</summary>
internal sealed class Phase(string name)
{
    private readonly List<double> _latencies = [];
    private readonly List<double> _roundMedians = [];

    public string Name { get; } = name;
    public List<double> PerSecond { get; } = [];

    public void Add(List<double> latencies, double? perSecond = null)
    {
        _latencies.AddRange(latencies);
        _roundMedians.Add(Median(latencies));
        if (perSecond is { } rate) PerSecond.Add(rate);
    }

    /// <summary>Nearest rank.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);

    private static readonly double[] Shown = [50, 95, 99, 100];

    public static void Table(TimeSpan pollInterval, Phase baseline, IReadOnlyList<Phase> measured)
    {
        Console.WriteLine();
        Console.WriteLine($"### Commit-to-webhook latency (webhook poll interval {pollInterval.TotalMilliseconds:0.###} ms)");
        Console.WriteLine();
        Console.WriteLine("| measure | samples | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | min (ms) | each round's p50 (ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var m in measured.Prepend(baseline))
        {
            Console.WriteLine(F($"| {m.Name} | {m._latencies.Count} | {string.Join(" | ", Shown.Select(p => Percentile(m._latencies, p).ToString("F2", CultureInfo.InvariantCulture)))} | {m._latencies.Min():F2} | {string.Join(", ", m._roundMedians.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))} |"));
            if (m != baseline)
                Console.WriteLine(F($"| … ratio to baseline | | {string.Join(" | ", Shown.Select(p => (Percentile(m._latencies, p) / Percentile(baseline._latencies, p)).ToString("F0", CultureInfo.InvariantCulture) + "×"))} | | |"));
        }
    }
}
