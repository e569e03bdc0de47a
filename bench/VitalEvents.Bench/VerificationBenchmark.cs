using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using VitalEvents.Api;
using static VitalEvents.Bench.ClosedLoop;
using static VitalEvents.Bench.Report;

namespace VitalEvents.Bench;

/// <summary>
/// Identity verifications (Hoda) over HTTP at 16 and 64 connections, with the access log on, against the plain indexed lookup of
/// the same rows (raw Npgsql, the same select by id on the snapshot table) at the same concurrency; and a batch of 10,000 rows.
/// The load generator (HttpClient) runs in the same process as the service, on the same cores: the figures include its cost.
/// </summary>
public static class VerificationBenchmark
{
    public sealed record Options(BenchDatabase Database, int Persons, TimeSpan Duration, int[] Connections);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var db = o.Database;
        Console.WriteLine(F($"verifications benchmark: {o.Persons:N0} persons, {o.Duration.TotalSeconds:F0} s per measure at {string.Join(" and ", o.Connections)} connections, schema {db.Schema}"));
        var synthetic = new SyntheticEvents(db, o.Persons, o.Persons, SyntheticEvents.RegistryOffices);
        return await BenchService.OnProjectedBirthsAsync(synthetic, (address, key) => MeasureAsync(o, address, key, ct), ct);
    }

    private sealed record Person(string Code, string GivenName, string FamilyName, string BirthDate);

    private static async Task MeasureAsync(Options o, Uri address, Microsoft.IdentityModel.Tokens.ECDsaSecurityKey key, CancellationToken ct)
    {
        var db = o.Database;
        var people = new List<Person>();
        await using (var source = NpgsqlDataSource.Create(db.App))
        await using (var select = source.CreateCommand($"select id, data->>'GivenName', data->>'FamilyName', data->>'BirthDate' from {db.Schema}.mt_doc_personsnapshot"))
        await using (var rows = await select.ExecuteReaderAsync(ct))
            while (await rows.ReadAsync(ct))
                // The first serials of each office are 0, which no code may have: the registry refuses to be asked about them.
                if (Domain.NationalCode.Validate(rows.GetString(0), out _) is null)
                    people.Add(new Person(rows.GetString(0), rows.GetString(1), rows.GetString(2), rows.GetString(3)));
        Console.WriteLine(F($"  {people.Count:N0} snapshots projected (not timed)"));

        using var admin = Bearer(address, key, "bench-admin", "admin", null);
        await ClosedLoop.RegisterBenchBankAsync(admin, ct);
        var random = new Random(10);
        // Half of the asks match in full; the other half have a wrong family name (alive is then not answered).
        var bodies = Enumerable.Range(0, 4096).Select(i =>
        {
            var p = people[random.Next(people.Count)];
            return JsonSerializer.SerializeToUtf8Bytes(new
            {
                nationalCode = p.Code, purpose = "account-opening", birthDate = p.BirthDate, givenName = p.GivenName, familyName = i % 2 == 0 ? p.FamilyName : "غریبه",
            });
        }).ToArray();
        var codes = people.Select(p => p.Code).ToArray();

        Console.WriteLine();
        Console.WriteLine("| connections | baseline req/s | baseline p50 ms | baseline p99 ms | verifications req/s | p50 ms | p99 ms | throughput ratio |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        await using var lookup = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.App) { MaxAutoPrepare = 10, MaxPoolSize = 100 }.ConnectionString);
        var sql = $"""
            select data->>'GivenName', data->>'FamilyName', data->'Father'->>'GivenName', (data->>'BirthDate')::date, (data->>'Alive')::boolean,
                (data->>'DateOfDeath')::date
            from {db.Schema}.mt_doc_personsnapshot where id = $1
            """;
        foreach (var connections in o.Connections)
        {
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var client = new HttpClient(handler) { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                DevelopmentTokens.Mint(key, "bench-client", ["verifier"], null, TimeSpan.FromHours(4), DateTimeOffset.UtcNow, agency: "bench-bank"));

            async Task Verify(int i)
            {
                using var content = new ByteArrayContent(bodies[i % bodies.Length]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync("/api/verifications", content, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"verification: {(int)response.StatusCode}");
            }
            async Task Lookup(int i)
            {
                await using var command = lookup.CreateCommand(sql);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = codes[i % codes.Length] });
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) { }
            }

            // Warm-up (not counted), then baseline and verifications alternate: baseline, verifications, baseline, verifications.
            await LoadAsync(connections, TimeSpan.FromSeconds(2), Lookup, ct);
            await LoadAsync(connections, TimeSpan.FromSeconds(3), Verify, ct);
            var baseline = new List<Run>();
            var verified = new List<Run>();
            for (var round = 0; round < 2; round++)
            {
                baseline.Add(await LoadAsync(connections, o.Duration / 2, Lookup, ct));
                verified.Add(await LoadAsync(connections, o.Duration / 2, Verify, ct));
            }
            var (b, v) = (Run.Merge(baseline), Run.Merge(verified));
            Console.WriteLine(F($"| {connections} | {b.PerSecond:N0} | {b.Percentile(50):F2} | {b.Percentile(99):F2} | {v.PerSecond:N0} | {v.Percentile(50):F2} | {v.Percentile(99):F2} | {v.PerSecond / b.PerSecond:F2}× |"));
        }

        var batch = new StringBuilder();
        for (var i = 0; i < 10_000; i++) batch.Append(Encoding.UTF8.GetString(bodies[i % bodies.Length])).Append('\n');
        using var verifier = Bearer(address, key, "bench-batch", "verifier", "bench-bank");
        verifier.Timeout = TimeSpan.FromMinutes(10);
        for (var round = 0; round < 3; round++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await verifier.PostAsync("/api/verifications/batch", new StringContent(batch.ToString(), Encoding.UTF8, "application/x-ndjson"), ct);
            var answers = (await response.Content.ReadAsStringAsync(ct)).Count(c => c == '\n');
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (answers != 10_000 || response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"batch: {(int)response.StatusCode}, {answers} rows");
            Console.WriteLine(F($"  batch of 10,000 rows (NDJSON), round {round + 1}: {seconds:F2} s, {10_000 / seconds:N0} rows/s"));
        }
    }
}
