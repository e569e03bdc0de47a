using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Cluster;

/// <summary>
/// The registry on the replicated PostgreSQL of <c>scripts/cluster.sh</c>: the primary killed under write load, a standby
/// promoted by pg_auto_failover, and the service carrying on by itself with nothing acknowledged lost or recorded twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FailoverTests(ClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Letters = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی";
    private RegistryFactory _registry = null!;

    /// <summary>
    /// The service on the cluster. A node that has just rejoined (the previous test's) may still restart once its standby is
    /// settled, ending connections with 57P01 as the service applies its schema: then it is started again.
    /// </summary>
    public async Task InitializeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            _registry = new RegistryFactory(new Dictionary<string, string?>
            {
                ["VitalEvents:Database"] = cluster.Database,
                ["VitalEvents:OwnerDatabase"] = cluster.OwnerDatabase,
                ["VitalEvents:ReadDatabase"] = cluster.ReadDatabase,
                ["VitalEvents:Integrity:CheckpointSeconds"] = "1",
                ["VitalEvents:Feed:GapSettle"] = "00:00:02",
            }, keepSchema: true);
            try
            {
                _ = _registry.Services;
                return;
            }
            catch (Exception e) when (attempt < 10 && Storage.Commit.IsConnectionFailure(e))
            {
                output.WriteLine($"starting on the cluster: {e.Message}; again in 2 s");
                await _registry.DisposeAsync();
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        await ClusterFixture.ScalarAsync<object>(cluster.OwnerDatabase, $"drop schema if exists {_registry.Schema} cascade");
    }

    /// <summary>A family name of Persian letters, one for each (writer, birth).</summary>
    private static string FamilyName(int writer, int n)
    {
        var value = writer * 10_000 + n;
        var name = "ک";
        for (var i = 0; i < 4; i++, value /= Letters.Length) name += Letters[value % Letters.Length];
        return name;
    }

    [Fact]
    public async Task The_primary_killed_under_births_a_standby_takes_over_and_no_acknowledged_birth_is_lost_or_doubled()
    {
        var acknowledged = new ConcurrentDictionary<string, string>();   // idempotency key -> national code
        var statuses = new ConcurrentDictionary<int, int>();
        var unexpected = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        TimeSpan? killedAt = null, firstAfter = null;
        var acknowledgedAt = new ConcurrentBag<TimeSpan>();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        async Task Writer(int writer)
        {
            using var client = _registry.As(Pipeline.Roles.Registrar);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = $"failover-{writer}-{n}";
                var birth = Birth(familyName: FamilyName(writer, n));
                // The same request with the same key until it is answered: a 503 (no writable node, or the outcome unknown) is retried.
                while (!stop.IsCancellationRequested)
                {
                    var sent = clock.Elapsed;
                    using var response = await client.SendAsync(Register(birth, key));
                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged[key] = (await response.Json()).Str("nationalCode");
                        acknowledgedAt.Add(clock.Elapsed);
                        if (sent > killedAt) firstAfter ??= clock.Elapsed;
                        break;
                    }
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    {
                        unexpected.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        break;
                    }
                    await Task.Delay(100);
                }
            }
        }

        var writers = Enumerable.Range(1, 4).Select(w => Task.Run(() => Writer(w))).ToArray();
        while (acknowledged.Count < 30) await Task.Delay(50);
        var before = acknowledged.Count;
        var killed = ClusterFixture.Run("kill", "pg-primary");
        killedAt = clock.Elapsed;
        output.WriteLine($"killed {killed} after {before} births");
        while (!(firstAfter is not null && acknowledged.Count >= before + 60) && !stop.IsCancellationRequested) await Task.Delay(100);
        var recovered = firstAfter - killedAt;
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var promoted = ClusterFixture.Run("primary");
        var times = acknowledgedAt.Order().ToList();
        var outage = times.Zip(times.Skip(1), (a, b) => b - a).Max();
        output.WriteLine($"promoted {promoted}; a birth sent after the kill acknowledged {recovered?.TotalSeconds:F1} s after it; " +
            $"longest time without an acknowledgement {outage.TotalSeconds:F1} s; {acknowledged.Count} births acknowledged; " +
            $"answers {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");

        try
        {
            unexpected.Should().BeEmpty("every answer is 201, or 503 while no node is writable");
            recovered.Should().NotBeNull("births are recorded again once the standby is promoted");
            promoted.Should().NotBe(killed);
            acknowledged.Values.Should().OnlyHaveUniqueItems();

            // Every acknowledged birth is recorded, once, and nothing else is: each retry with its key found the first answer.
            var recorded = await ClusterFixture.ScalarAsync<long>(cluster.OwnerDatabase,
                $"select count(*) from {_registry.Schema}.mt_events where type = 'birth_registered.v1'");
            recorded.Should().Be(acknowledged.Count);
            foreach (var code in acknowledged.Values.Take(25).Concat(acknowledged.Values.TakeLast(25)))
                (await _registry.EventsOf(code)).Should().ContainSingle().Which.Should().BeOfType<VitalEvents.Domain.BirthRegistered>();

            // The chain and the checkpoints signed on both sides of the failover verify, with the command line's verify.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var checkpoints = await ClusterFixture.ScalarAsync<long>(cluster.OwnerDatabase, $"select count(*) from {_registry.Schema}.{VitalEvents.Integrity.IntegritySchema.CheckpointTable}");
            checkpoints.Should().BeGreaterThan(0);
            var (exit, verified, error) = await Cli("verify", "--json");
            exit.Should().Be(0, verified + error);
            System.Text.Json.Nodes.JsonNode.Parse(verified)!["ok"]!.GetValue<bool>().Should().BeTrue(verified);
        }
        finally
        {
            // The killed node rejoins as the new primary's standby, for the next run.
            output.WriteLine(ClusterFixture.Run("start", "pg-" + killed));
        }
    }

    [Fact]
    public async Task A_search_sent_with_a_writes_consistency_token_finds_it_on_the_standby_and_a_malformed_token_is_refused()
    {
        using var registrar = _registry.As(Pipeline.Roles.Registrar);
        var n = Random.Shared.Next(9999);
        var family = FamilyName(9, n);
        using var response = await registrar.SendAsync(Register(Birth(familyName: family), $"token-{n}-{Guid.NewGuid():N}"));
        await response.ShouldHaveStatus(HttpStatusCode.Created);
        var token = response.Headers.GetValues("Consistency-Token").Single();

        using var search = new HttpRequestMessage(HttpMethod.Get, $"/api/persons?familyName={Uri.EscapeDataString(family)}");
        search.Headers.Add("Consistency-Token", token);
        using var found = await registrar.SendAsync(search);
        await found.ShouldHaveStatus(HttpStatusCode.OK);
        var code = (await response.Json()).Str("nationalCode");
        (await found.Json())["results"]!.AsArray().First()!.Str("nationalCode").Should().Be(code, "exact matches come first");
        (await ClusterFixture.ScalarAsync<bool>(cluster.ReadDatabase, $"select coalesce(pg_last_wal_replay_lsn() >= '{token}'::pg_lsn, true)"))
            .Should().BeTrue();

        using var bad = new HttpRequestMessage(HttpMethod.Get, $"/api/persons?familyName={Uri.EscapeDataString(family)}");
        bad.Headers.Add("Consistency-Token", "yesterday");
        using var refused = await registrar.SendAsync(bad);
        await refused.ShouldHaveStatus(HttpStatusCode.BadRequest);
        (await refused.Json()).Str("code").Should().Be("consistencyToken.invalid");
    }

    [Fact]
    public async Task A_standby_whose_replay_is_paused_does_not_pass_a_gap_its_view_is_too_stale_to_call_permanent()
    {
        var reader = _registry.Services.GetRequiredService<VitalEvents.Feeds.FeedReader>();
        using var registrar = _registry.As(Pipeline.Roles.Registrar);
        var schema = _registry.Schema;
        var n = Random.Shared.Next(9999);
        var start = await ClusterFixture.ScalarAsync<long>(cluster.OwnerDatabase, $"select coalesce(max(seq_id), 0) from {schema}.mt_events");
        // A sequence number taken and never used, as by an append that rolled back: a permanent gap before the birth.
        await ClusterFixture.ScalarAsync<long>(cluster.OwnerDatabase, $"select nextval('{schema}.mt_events_sequence')");
        using (var first = await registrar.SendAsync(Register(Birth(familyName: FamilyName(7, n)), $"gap-{n}-{Guid.NewGuid():N}")))
            await first.ShouldHaveStatus(HttpStatusCode.Created);
        while ((await OnStandbysAsync<long>($"select count(*) from {schema}.mt_events where seq_id > {start}")).Min() < 1) await Task.Delay(50);

        await OnStandbysAsync<object>("select pg_wal_replay_pause()");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3));   // by the clock the gap is older than GapSettle (2 s)
            var page = await reader.ReadAsync(start, VitalEvents.Feeds.FeedFilter.All, 100, CancellationToken.None);
            page.Events.Should().BeEmpty("in the standbys' view, as of the birth's commit, the gap is not yet 2 s old");
            page.Next.Should().Be(start);
        }
        finally
        {
            await OnStandbysAsync<object>("select pg_wal_replay_resume()");
        }

        // A later write replayed moves the standbys' view past the settle time: the gap is passed and the birth served.
        using (var second = await registrar.SendAsync(Register(Birth(familyName: FamilyName(6, n)), $"gap-{n}-{Guid.NewGuid():N}")))
            await second.ShouldHaveStatus(HttpStatusCode.Created);
        var served = Stopwatch.StartNew();
        VitalEvents.Feeds.FeedPage after;
        do after = await reader.ReadAsync(start, VitalEvents.Feeds.FeedFilter.All, 100, CancellationToken.None);
        while (after.Events.Count < 2 && served.Elapsed < TimeSpan.FromSeconds(20) && await Delay());
        after.Events.Select(e => e.Type).Should().Equal("birth_registered.v1", "birth_registered.v1");
        after.Events[0].Sequence.Should().Be(start + 2, "the gap at start + 1 was passed");

        static async Task<bool> Delay()
        {
            await Task.Delay(100);
            return true;
        }
    }

    /// <summary>SQL on every standby the read connection names, as the superuser (the local cluster trusts loopback).</summary>
    private async Task<List<T>> OnStandbysAsync<T>(string sql)
    {
        var results = new List<T>();
        foreach (var host in new Npgsql.NpgsqlConnectionStringBuilder(cluster.ReadDatabase).Host!.Split(','))
        {
            var node = $"Host={host.Split(':')[0]};Port={host.Split(':')[1]};Database=vitalevents;Username=postgres";
            if (await ClusterFixture.ScalarAsync<bool>(node, "select pg_is_in_recovery()")) results.Add(await ClusterFixture.ScalarAsync<T>(node, sql));
        }
        return results;
    }

    private async Task<(int Exit, string Out, string Err)> Cli(params string[] args)
    {
        var start = CliProcess.Start(args);
        start.Environment["VitalEvents__Schema"] = _registry.Schema;
        start.Environment["VITALEVENTS_DB"] = cluster.Database;
        start.Environment["VITALEVENTS_OWNER_DB"] = cluster.OwnerDatabase;
        start.Environment["VitalEvents__Integrity__KeyPath"] = _registry.IntegrityKeyPath;
        start.Environment["VitalEvents__Auth__DevelopmentKeyPath"] = _registry.KeyPath;
        start.Environment["VitalEvents__Documents__KeyDirectory"] = _registry.DocumentKeyDirectory;
        return await CliProcess.RunAsync(start);
    }
}
