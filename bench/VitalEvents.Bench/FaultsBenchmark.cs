using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Npgsql;
using VitalEvents.Api;
using static VitalEvents.Bench.Report;

namespace VitalEvents.Bench;

/// <summary>
/// The fault suite against the topology of <c>scripts/cluster.sh</c> (which <c>bench.sh faults</c> brings up): under births
/// and read-your-writes searches through HAProxy, a service instance killed, a NATS node killed, the PostgreSQL primary
/// killed, a standby's replay paused; for each, what the clients saw and what was lost. Then the background work is checked
/// across all of it: every event relayed to JetStream once, every event delivered to a webhook, the statistics counting
/// every birth once, and <c>vitalevents verify</c> passing.
/// </summary>
public static class FaultsBenchmark
{
    public sealed record Options(Uri Service, string KeyPath, string Database, string OwnerDatabase, string ReadDatabase, string NatsUrl, string Script,
        string Cli, TimeSpan Settle, TimeSpan CommitSeconds);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var key = DevelopmentTokens.Key(o.KeyPath);
        using var admin = ClosedLoop.Bearer(o.Service, key, "faults-admin", "admin", null);
        using var statistician = ClosedLoop.Bearer(o.Service, key, "faults-statistician", "statistician", null);
        await using var receiver = await Receiver.StartAsync(ct);
        if (o.CommitSeconds > TimeSpan.Zero) await CommitModesAsync(o, key, ct);
        var startSeq = await ScalarAsync<long>(o.OwnerDatabase, "select coalesce(max(seq_id), 0) from vitalevents.mt_events", ct);
        using (var subscribed = await admin.PostAsJsonAsync("/api/subscriptions",
                   new { name = "faults receiver", url = receiver.Url, secret = "faults-webhook-secret-of-32-chars", scope = "full" }, ct))
            subscribed.EnsureSuccessStatusCode();
        Console.WriteLine($"cluster at {o.Service}; events before the run: {startSeq:N0}; a webhook subscription to {receiver.Url}");

        var load = new Load(o.Service, key);
        var results = new List<(string Fault, Load.Window Window)>();
        async Task Fault(string name, Func<Task> inject, Func<Task> heal)
        {
            Console.WriteLine($"— {name}");
            var window = await load.AroundAsync(inject, o.Settle, ct);
            results.Add((name, window));
            Console.WriteLine("  " + window.Describe());
            await heal();
        }

        await load.StartAsync(ct);
        await Task.Delay(o.Settle, ct);
        await Fault("a service instance killed (kill -9 instance-1: the first started, which took the relay's lease and the daemon)",
            () => Cluster(o, "kill", "instance-1"), () => Cluster(o, "start", "instance-1"));
        await Fault("a NATS node killed (kill -9 nats-1)", () => Cluster(o, "kill", "nats-1"), () => Cluster(o, "start", "nats-1"));
        string? killed = null;
        await Fault("the PostgreSQL primary killed (kill -9 of its keeper and postmaster)",
            async () => killed = await Cluster(o, "kill", "pg-primary"), () => Cluster(o, "start", "pg-" + killed));
        await Fault("a standby lagging (its replay paused for 10 s; reads with a token wait, then go to the primary)",
            async () =>
            {
                await StandbyAsync(o, "select pg_wal_replay_pause()", ct);
                await Task.Delay(TimeSpan.FromSeconds(10), ct);
                await StandbyAsync(o, "select pg_wal_replay_resume()", ct);
            }, () => Task.CompletedTask);
        var total = await load.StopAsync();

        Console.WriteLine();
        Console.WriteLine("| fault | answers during the window | births acknowledged | longest time without one | first birth sent after the fault acknowledged after | read-your-writes misses |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var (fault, w) in results)
            Console.WriteLine(F($"| {fault} | {w.Answers} | {w.Acknowledged} | {w.LongestGap.TotalSeconds:F1} s | {w.Recovery?.TotalSeconds ?? double.NaN:F1} s | {w.Misses} |"));

        // What was acknowledged is there, once; and nothing else was recorded.
        var codes = total.Acknowledged.Values.ToArray();
        var births = await ScalarAsync<long>(o.OwnerDatabase,
            $"select count(*) from vitalevents.mt_events where seq_id > {startSeq} and type = 'birth_registered.v1'", ct);
        var found = await ScalarAsync<long>(o.OwnerDatabase,
            "select count(*) from (select stream_id from vitalevents.mt_events where type = 'birth_registered.v1' and stream_id = any(@codes) group by stream_id having count(*) = 1) s",
            ct, ("codes", codes));
        Console.WriteLine();
        Console.WriteLine($"births acknowledged {codes.Length:N0} (distinct codes {codes.Distinct().Count():N0}); recorded once each {found:N0}; births recorded in the run {births:N0}");
        Check(found == codes.Length && births == codes.Length && codes.Distinct().Count() == codes.Length, "every acknowledged birth recorded exactly once, and nothing else");

        var end = await ScalarAsync<long>(o.OwnerDatabase, "select coalesce(max(seq_id), 0) from vitalevents.mt_events", ct);
        var events = await ScalarAsync<long>(o.OwnerDatabase, "select count(*) from vitalevents.mt_events where stream_id <> 'mt_tombstone'", ct);
        var eventsInRun = await ScalarAsync<long>(o.OwnerDatabase, $"select count(*) from vitalevents.mt_events where seq_id > {startSeq} and stream_id <> 'mt_tombstone'", ct);

        // JetStream: every feed event once (the relay moved between instances; a NATS node was lost).
        var relayed = await Until(TimeSpan.FromMinutes(2), async () =>
        {
            await using var nats = new NatsConnection(new NatsOpts { Url = o.NatsUrl });
            var stream = await new NatsJSContext(nats).GetStreamAsync("VITALEVENTS", cancellationToken: ct);
            return ((long)stream.Info.State.Messages, stream.Info.Config.NumReplicas);
        }, r => r.Item1 >= events, ct);
        Console.WriteLine($"JetStream stream VITALEVENTS: {relayed.Item1:N0} messages for {events:N0} feed events (replicas {relayed.Item2})");
        Check(relayed.Item1 == events, "every event relayed to JetStream exactly once");

        // Statistics: the daemon (HotCold) moved with the instance killed; every birth counted once.
        var counted = await Until(TimeSpan.FromMinutes(2), async () =>
        {
            using var status = await statistician.GetAsync("/api/statistics/status", ct);
            if (!status.IsSuccessStatusCode) return long.MaxValue;
            var projections = JsonDocument.Parse(await status.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("projections");
            return projections.EnumerateArray().Max(p => p.GetProperty("lagEvents").GetInt64());
        }, lag => lag == 0, ct);
        var statisticsBirths = await ScalarAsync<long>(o.OwnerDatabase, "select coalesce(sum(count), 0)::bigint from vitalevents.stat_counts where measure = 'births'", ct);
        var allBirths = await ScalarAsync<long>(o.OwnerDatabase, "select count(*) from vitalevents.mt_events where type = 'birth_registered.v1'", ct);
        Console.WriteLine($"statistics: lag {counted} events; births counted {statisticsBirths:N0} of {allBirths:N0} recorded");
        Check(counted == 0 && statisticsBirths == allBirths, "every birth counted once by the statistics");

        // Webhooks: every event delivered; a redelivery (an instance killed between sending and saving its position) is counted.
        var ids = new HashSet<Guid>();
        var deliveries = 0;
        var deadline = Stopwatch.StartNew();
        while (ids.Count < eventsInRun && deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            try
            {
                foreach (var arrival in await receiver.TakeAsync(1, TimeSpan.FromSeconds(5), () => Task.FromResult("")))
                {
                    deliveries++;
                    ids.Add(arrival.EventId);
                }
            }
            catch (TimeoutException)
            {
            }
        }
        Console.WriteLine($"webhook: {ids.Count:N0} of {eventsInRun:N0} events delivered, {deliveries - ids.Count:N0} delivered again");
        Check(ids.Count == eventsInRun, "every event of the run delivered to the webhook");

        // The hash chain and the checkpoints, signed on both sides of every fault.
        var verify = await CliAsync(o, ct, "verify", "--json");
        var report = JsonDocument.Parse(verify).RootElement;
        Console.WriteLine($"vitalevents verify: ok {report.GetProperty("ok").GetBoolean()}, {report.GetProperty("eventsChecked").GetInt64():N0} events, " +
                          $"{report.GetProperty("checkpointsChecked").GetInt32()} checkpoints");
        Check(report.GetProperty("ok").GetBoolean(), "vitalevents verify passes");
        Console.WriteLine($"feed end {end:N0}");
        return Environment.ExitCode;
    }

    /// <summary>
    /// Births through the load balancer at 16 connections with the primary committing locally (the standby may trail: a
    /// failover can lose the last acknowledged commits), waiting for the standby to have flushed the commit (pg_auto_failover's
    /// default, <c>on</c>), and waiting for it to have applied it (<c>remote_apply</c>: a standby read then sees every
    /// acknowledged write without a token). Alternating, two rounds each.
    /// </summary>
    private static async Task CommitModesAsync(Options o, Microsoft.IdentityModel.Tokens.ECDsaSecurityKey key, CancellationToken ct)
    {
        var primary = new NpgsqlConnectionStringBuilder(o.Database) { Username = "postgres", Password = null }.ConnectionString;
        using var registrar = ClosedLoop.Bearer(o.Service, key, "faults-commit", "registrar", null, "001");
        var runs = new Dictionary<string, List<ClosedLoop.Run>> { ["local"] = [], ["on"] = [], ["remote_apply"] = [] };
        var seed = Random.Shared.Next(1_000_000);
        var offset = 0;
        Task<ClosedLoop.Run> Births(TimeSpan duration)
        {
            var from = Interlocked.Add(ref offset, 1_000_000);
            return ClosedLoop.LoadAsync(16, duration, async i =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/births") { Content = JsonContent.Create(Load.Birth(Load.Name(seed, from + i))) };
                request.Headers.Add("Idempotency-Key", $"commit-{seed}-{from + i}");
                using var response = await registrar.SendAsync(request, ct);
                if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }, ct);
        }
        async Task Round(string mode)
        {
            await ScalarAsync<object>(primary, $"alter system set synchronous_commit = '{mode}'", ct);
            await ScalarAsync<bool>(primary, "select pg_reload_conf()", ct);
            var run = await Births(o.CommitSeconds / 2);
            runs[mode].Add(run);
            Console.WriteLine(F($"  synchronous_commit = {mode}: {run.PerSecond:F1} births/s, p50 {run.Percentile(50):F1} ms, p95 {run.Percentile(95):F1} ms"));
        }
        var warm = await Births(o.CommitSeconds);
        Console.WriteLine(F($"  warming up (not counted): {warm.PerSecond:F1} births/s"));
        try
        {
            await Measure.AlternateAsync(2, [() => Round("local"), () => Round("on"), () => Round("remote_apply")]);
        }
        finally
        {
            await ScalarAsync<object>(primary, "alter system reset synchronous_commit", ct);
            await ScalarAsync<bool>(primary, "select pg_reload_conf()", ct);
        }
        var baseline = ClosedLoop.Run.Merge(runs["local"]);
        Console.WriteLine();
        Console.WriteLine("| births at 16 connections through HAProxy | births/s | × local | p50 ms | p95 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (mode, list) in runs)
        {
            var run = ClosedLoop.Run.Merge(list);
            Console.WriteLine(F($"| synchronous_commit = {mode}{(mode == "local" ? " (baseline)" : "")} | {run.PerSecond:F1} | {run.PerSecond / baseline.PerSecond:F2} | {run.Percentile(50):F1} | {run.Percentile(95):F1} |"));
        }
        Console.WriteLine();
    }

    private static void Check(bool holds, string what)
    {
        Console.WriteLine((holds ? "  holds: " : "  FAILS: ") + what);
        if (!holds) Environment.ExitCode = 1;
    }

    private static async Task<T> Until<T>(TimeSpan limit, Func<Task<T>> read, Func<T, bool> done, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || started.Elapsed > limit) return value;
            await Task.Delay(500, ct);
        }
    }

    private static async Task<string> Cluster(Options o, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(o.Script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"cluster.sh {string.Join(' ', args)}: {await error}");
        return (await output).Trim();
    }

    private static async Task<string> CliAsync(Options o, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(o.Cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["VITALEVENTS_DB"] = o.Database;
        start.Environment["VITALEVENTS_OWNER_DB"] = o.OwnerDatabase;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode is not (0 or 1)) throw new InvalidOperationException($"vitalevents {string.Join(' ', args)}: {await error}");
        return await output;
    }

    /// <summary>SQL on the standby as the superuser (the cluster's nodes trust loopback connections).</summary>
    private static async Task StandbyAsync(Options o, string sql, CancellationToken ct)
    {
        var standby = new NpgsqlConnectionStringBuilder(o.ReadDatabase) { Username = "postgres", Password = null, TargetSessionAttributes = "standby" };
        await using var connection = new NpgsqlConnection(standby.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Writers registering births through the load balancer, each retrying a birth with its Idempotency-Key until it is
    /// acknowledged; after each, a search for it carrying the write's consistency token, which must find it.
    /// </summary>
    private sealed class Load(Uri service, Microsoft.IdentityModel.Tokens.ECDsaSecurityKey key)
    {
        private const int Writers = 6;
        private const string Letters = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی";
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly ConcurrentQueue<(TimeSpan Sent, TimeSpan Answered, string Answer)> _answers = new();
        private readonly ConcurrentQueue<(TimeSpan At, bool Found)> _reads = new();
        private readonly CancellationTokenSource _stop = new();
        private Task[] _writers = [];
        private readonly string _run = Guid.NewGuid().ToString("N")[..8];

        public ConcurrentDictionary<string, string> Acknowledged { get; } = new();

        public sealed record Window(string Answers, int Acknowledged, TimeSpan LongestGap, TimeSpan? Recovery, int Misses)
        {
            public string Describe() => F($"{Answers}; {Acknowledged} births acknowledged; longest without one {LongestGap.TotalSeconds:F1} s; recovered {Recovery?.TotalSeconds ?? double.NaN:F1} s; read-your-writes misses {Misses}");
        }

        public Task StartAsync(CancellationToken ct)
        {
            _writers = [.. Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(w), ct))];
            return Task.CompletedTask;
        }

        public async Task<Load> StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_writers);
            return this;
        }

        /// <summary>Injects the fault, waits until births sent after it are acknowledged again, and then <paramref name="settle"/> more.</summary>
        public async Task<Window> AroundAsync(Func<Task> inject, TimeSpan settle, CancellationToken ct)
        {
            var from = _clock.Elapsed;
            await inject();
            var at = _clock.Elapsed;
            TimeSpan? recovered = null;
            var limit = Stopwatch.StartNew();
            while (recovered is null && limit.Elapsed < TimeSpan.FromMinutes(3))
            {
                await Task.Delay(100, ct);
                recovered = _answers.Where(a => a.Sent > _clock.Elapsed - TimeSpan.FromSeconds(30) && a.Sent >= at && a.Answer == "201")
                    .Select(a => (TimeSpan?)(a.Answered - at)).Min();
            }
            await Task.Delay(settle, ct);
            var to = _clock.Elapsed;
            var answers = _answers.Where(a => a.Answered >= from && a.Answered <= to).ToList();
            var acks = answers.Where(a => a.Answer == "201").Select(a => a.Answered).Order().ToList();
            var gap = acks.Zip(acks.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max();
            var counts = string.Join(", ", answers.GroupBy(a => a.Answer).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
            var misses = _reads.Count(r => r.At >= from && r.At <= to && !r.Found);
            return new Window(counts, acks.Count, gap, recovered, misses);
        }

        private async Task WriteAsync(int writer)
        {
            using var client = ClosedLoop.Bearer(service, key, $"faults-registrar-{writer}", "registrar", null, "001");
            client.Timeout = TimeSpan.FromSeconds(30);
            for (var n = 0; !_stop.IsCancellationRequested; n++)
            {
                var family = Name(_seed, writer * 1_000_000L + n);
                var birth = Birth(family);
                var idempotencyKey = $"faults-{_run}-{writer}-{n}";
                string? token = null, code = null;
                while (!_stop.IsCancellationRequested)
                {
                    var sent = _clock.Elapsed;
                    string answer;
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/births") { Content = JsonContent.Create(birth) };
                        request.Headers.Add("Idempotency-Key", idempotencyKey);
                        using var response = await client.SendAsync(request);
                        answer = ((int)response.StatusCode).ToString();
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            code = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("nationalCode").GetString()!;
                            Acknowledged[idempotencyKey] = code;
                            token = response.Headers.TryGetValues("Consistency-Token", out var values) ? values.Single() : null;
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        answer = "connection error";
                    }
                    _answers.Enqueue((sent, _clock.Elapsed, answer));
                    if (answer == "201") break;
                    if (answer is not ("502" or "503" or "504" or "connection error")) break;   // counted; not retried
                    await Task.Delay(100);
                }
                if (token is not null && code is not null) await ReadAsync(client, family, code, token);
            }
        }

        /// <summary>A search for the birth just acknowledged, with its token: exact matches come first, so it is the first result.</summary>
        private async Task ReadAsync(HttpClient client, string family, string code, string token)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/persons?familyName={Uri.EscapeDataString(family)}");
                request.Headers.Add("Consistency-Token", token);
                using var response = await client.SendAsync(request);
                if (!response.IsSuccessStatusCode) return;   // the read is not retried; its answer is not a miss
                var results = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results");
                _reads.Enqueue((_clock.Elapsed, results.GetArrayLength() > 0 && results[0].GetProperty("nationalCode").GetString() == code));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
        }

        private readonly long _seed = Random.Shared.Next(30_000);

        /// <summary>A family name of Persian letters for each (run, number), so that a search finds the one birth.</summary>
        public static string Name(long seed, long number)
        {
            var value = seed * 100_000_000 + number;
            var name = "ف";
            for (var i = 0; i < 10; i++, value /= Letters.Length) name += Letters[(int)(value % Letters.Length)];
            return name;
        }

        public static object Birth(string familyName) => new
        {
            givenName = "علی", familyName, sex = "male", birthDate = "1404/01/01",
            birthPlace = new { province = "تهران", county = "تهران", city = "تهران" }, officeCode = "001",
            evidence = new { kind = "medicalCertificate", reference = "MC-1404-0001" },
        };
    }
}
