using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VitalEvents.Api;
using static VitalEvents.Bench.Report;

namespace VitalEvents.Bench;

/// <summary>
/// The web console's pages against the API reads they are built from, on one registry of <c>--persons</c> people (synthetic
/// births loaded as events, then projected by the registry's own rebuild): the person page (a person with a few events, and one with a 50-event timeline), search, and the
/// supervisor's correction queue. Each request is timed from the first byte sent to the last byte read over loopback, so the
/// figure is the server's time plus one local round trip (no browser rendering). Page and baseline alternate in rounds.
/// </summary>
public static partial class ConsoleBenchmark
{
    public sealed record Options(BenchDatabase Database, int Persons, int Requests, int Rounds);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        if (o.Persons < 100 || o.Requests < 20 || o.Rounds < 1) throw new ArgumentException("need ≥ 100 persons, ≥ 20 requests, a round");
        var db = o.Database;
        Console.WriteLine($"console benchmark: {o.Persons:N0} persons, {o.Requests} timed requests per measure in {o.Rounds} rounds, schema {db.Schema}");
        var synthetic = new SyntheticEvents(db, o.Persons, o.Persons, SyntheticEvents.RegistryOffices);
        // The projections births feed (the loaded events are births only: the corrections', holds' and marriages' stay empty).
        return await BenchService.OnProjectedBirthsAsync(synthetic, async (address, key) =>
        {
            var codes = (await db.ScalarAsync($"select string_agg(code, ',' order by i) from {db.Schema}.bench_people", ct)).Split(',')
                .Where(code => Domain.NationalCode.Validate(code, out _) is null).ToArray(); // the first serials of each office are 0, which no code may have
            await MeasureAsync(o, address, key, codes, ct);
        }, ct, daemon: true);
    }

    // As SyntheticEvents names its people.
    private static readonly string[] GivenNames = ["محمد", "علی", "حسین", "رضا", "مهدی", "فاطمه", "زهرا", "مریم", "زینب", "سارا"];
    private static readonly string[] FamilyNames = ["محمدی", "رضایی", "حسینی", "احمدی", "کریمی", "موسوی", "جعفری", "رحیمی", "صادقی", "کاظمی", "هاشمی", "قاسمی"];

    private static async Task MeasureAsync(Options o, Uri address, Microsoft.IdentityModel.Tokens.ECDsaSecurityKey key, string[] codes, CancellationToken ct)
    {
        HttpClient Bearer(string user, string role, string? office)
        {
            var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                DevelopmentTokens.Mint(key, user, [role], office, TimeSpan.FromHours(4), DateTimeOffset.UtcNow));
            return client;
        }
        using var registrar = Bearer("bench-registrar", "registrar", "001");
        using var supervisor = Bearer("bench-supervisor", "supervisor", "001");

        // The registry: the loaded persons, one of them given a 50-event timeline (24 corrections, each requested and approved), and
        // 20 corrections left waiting in the queue.
        var timeline = codes[0];
        for (var c = 0; c < 24; c++)
        {
            var correction = await Post(registrar, $"/api/persons/{timeline}/corrections", Correction(c % 2 == 0 ? "علیرضا" : "علی"), ct);
            await Post(supervisor, $"/api/corrections/{correction["correctionId"]!.GetValue<string>()}/approve", new { }, ct);
        }
        await Post(registrar, $"/api/persons/{timeline}/corrections", Correction("نگار"), ct);
        for (var c = 1; c < 20; c++) await Post(registrar, $"/api/persons/{codes[c]}/corrections", Correction(GivenNames[c % GivenNames.Length] + "ه"), ct);
        var events = (await registrar.GetFromJsonAsync<JsonNode>($"/api/persons/{timeline}/history", ct))!["entries"]!.AsArray().Count;
        Console.WriteLine($"  {timeline}: {events} events on the timeline; 20 corrections pending");

        // The observatory: once the statistics have caught up on the loaded births, its page for the latest year with births.
        using var statistician = Bearer("bench-statistician", "statistician", null);
        while ((await statistician.GetFromJsonAsync<JsonNode>("/api/statistics/status", ct))!["projections"]!.AsArray()
                   .Any(p => p!["lagEvents"]!.GetValue<long>() > 0))
            await Task.Delay(200, ct);
        var years = (await statistician.GetFromJsonAsync<JsonNode>("/api/statistics/tables/births?by=year&from=1300&to=1405", ct))!["rows"]!.AsArray();
        var year = years.Last(r => r!["total"]!.GetValue<long>() > 0)!["key"]!.GetValue<string>();
        using var statisticianPages = await SignedInAsync(address, "statistician", "001", "bench-observatory", ct);
        using var registrarPages = await SignedInAsync(address, "registrar", "001", "bench-desk", ct);
        using var supervisorPages = await SignedInAsync(address, "supervisor", "001", "bench-queue", ct);
        var random = new Random(9);
        string Someone() => codes[21 + random.Next(codes.Length - 21)];
        var measures = new (string Name, HttpClient Client, Func<string> Url, HttpClient Baseline, Func<string> BaselineUrl)[]
        {
            ("person page (a person with one event)", registrarPages, () => $"/persons/{Someone()}", registrar, () => $"/api/persons/{Someone()}"),
            ($"person page ({events}-event timeline)", registrarPages, () => $"/persons/{timeline}", registrar, () => $"/api/persons/{timeline}/history"),
            ("search page (given and family name, 20 a page)", registrarPages, () => $"/search?givenName={Uri.EscapeDataString(GivenNames[random.Next(GivenNames.Length)])}&familyName={Uri.EscapeDataString(FamilyNames[random.Next(FamilyNames.Length)])}",
                registrar, () => $"/api/persons?givenName={Uri.EscapeDataString(GivenNames[random.Next(GivenNames.Length)])}&familyName={Uri.EscapeDataString(FamilyNames[random.Next(FamilyNames.Length)])}&pageSize=20"),
            ("correction queue (20 pending)", supervisorPages, () => "/queues/corrections", supervisor, () => "/api/corrections?status=pending&office=001"),
            ($"observatory page (births, {year}: monthly, by province, pyramid, indicators)", statisticianPages, () => $"/statistics?measure=births&year={year}",
                statistician, () => $"/api/statistics/tables/births?by=province&year={year}"),
        };
        Console.WriteLine($"  warming up: {o.Requests / 4} requests of each (not counted)");
        foreach (var m in measures)
            for (var i = 0; i < o.Requests / 4; i++) { await TimeAsync(m.Client, m.Url(), ct); await TimeAsync(m.Baseline, m.BaselineUrl(), ct); }

        var pages = measures.Select(_ => new List<double>()).ToArray();
        var baselines = measures.Select(_ => new List<double>()).ToArray();
        var perRound = o.Requests / o.Rounds;
        for (var round = 0; round < o.Rounds; round++)
            for (var m = 0; m < measures.Length; m++)
            {
                var (page, baseline) = round % 2 == 0 ? (true, false) : (false, true);
                foreach (var first in new[] { page, baseline })
                    for (var i = 0; i < perRound; i++)
                        if (first) pages[m].Add(await TimeAsync(measures[m].Client, measures[m].Url(), ct));
                        else baselines[m].Add(await TimeAsync(measures[m].Baseline, measures[m].BaselineUrl(), ct));
            }

        Console.WriteLine();
        Console.WriteLine(F($"| page ({o.Persons:N0} persons) | page p50 ms | page p95 ms | API p50 ms | API p95 ms | p95 ratio page/API |"));
        Console.WriteLine("|---|---|---|---|---|---|");
        for (var m = 0; m < measures.Length; m++)
            Console.WriteLine(F($"| {measures[m].Name} | {Percentile(pages[m], 50):F1} | {Percentile(pages[m], 95):F1} | {Percentile(baselines[m], 50):F1} | {Percentile(baselines[m], 95):F1} | {Percentile(pages[m], 95) / Percentile(baselines[m], 95):F2}× |"));
    }

    private static object Correction(string givenName) => new
    {
        field = "givenName", newValue = givenName, authority = "board", decisionReference = "HE-001-1404-17", reason = "Transcription error.",
    };

    private static async Task<JsonNode> Post(HttpClient client, string url, object body, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync(url, body, ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        return (await response.Content.ReadFromJsonAsync<JsonNode>(ct))!;
    }

    private static async Task<double> TimeAsync(HttpClient client, string url, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, ct);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
        return elapsed;
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    /// <summary>A browser-like client with the console's session cookie, from the Development sign-in page.</summary>
    private static async Task<HttpClient> SignedInAsync(Uri address, string role, string office, string user, CancellationToken ct)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
        var form = await client.GetStringAsync("/signin", ct);
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "signin", ["Form.User"] = user, ["Form.Role"] = role, ["Form.Office"] = office,
        }), ct);
        if (response.StatusCode != HttpStatusCode.Found) throw new InvalidOperationException($"sign-in as {role}: {(int)response.StatusCode}");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
