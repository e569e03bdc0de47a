using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Npgsql;
using VitalEvents.Api;
using VitalEvents.Domain;
using VitalEvents.Identity;
using static VitalEvents.Bench.ClosedLoop;
using static VitalEvents.Bench.Report;

namespace VitalEvents.Bench;

/// <summary>
/// The service's HTTP paths against plain Marten on the same database and schema, in one run: writes (births, marriages, deaths,
/// correction requests) against starting a stream with an inline projection in process; reads (snapshots, history, search,
/// verifications, feed pages) against <c>LoadAsync&lt;PersonSnapshot&gt;</c> and a raw indexed select. Every measure runs for
/// the same time at the same number of connections, in rounds that alternate their order. The load generator (HttpClient)
/// runs in the same process as the service, on the same cores: the figures include its cost.
/// </summary>
public static class HttpBenchmark
{
    public sealed record Options(BenchDatabase Database, int Persons, TimeSpan Duration, int Connections, int Rounds, bool Existing = false, string? Only = null);

    /// <summary>The synthetic people hold codes of office 001; newborns are registered under other offices, whose serials are free.</summary>
    private const string PeopleOffice = "001";

    /// <summary>Sixteen offices other than 001, for births spread over offices as a country's are.</summary>
    private static readonly string[] BirthOffices = ["002", "003", "004", "005", "006", "007", "008", "011", "015", "020", "025", "031", "032", "037", "038", "041"];

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var db = o.Database;
        if (o.Existing)
        {
            Console.WriteLine(F($"http benchmark on the registry in schema {db.Schema} as it is: {o.Duration.TotalSeconds:F0} s per measure a round, {o.Rounds} rounds, {o.Connections} connections"));
            return await BenchService.OnExistingAsync(db, (address, key) => MeasureAsync(o, address, key, ct), ct);
        }
        Console.WriteLine(F($"http benchmark: {o.Persons:N0} persons, {o.Duration.TotalSeconds:F0} s per measure a round, {o.Rounds} rounds, {o.Connections} connections, schema {db.Schema}"));
        var synthetic = new SyntheticEvents(db, o.Persons, o.Persons, [PeopleOffice]);
        return await BenchService.OnProjectedBirthsAsync(synthetic, (address, key) => MeasureAsync(o, address, key, ct), ct, daemon: true);
    }

    private sealed record Person(string Code, string Sex, string GivenName, string FamilyName, string BirthDate, bool Writable);

    /// <summary>People each used once by a write measure: a second birth to the same mother the same day would be held, a second death refused.</summary>
    private sealed class Group(string name, IReadOnlyList<Person> people)
    {
        private int _next = -1;

        public Person Next()
        {
            var i = Interlocked.Increment(ref _next);
            return i < people.Count ? people[i]
                : throw new InvalidOperationException($"{name}: all {people.Count:N0} people of the group used; run with more --persons or fewer --seconds");
        }
    }

    private sealed record Measured(string Name, Func<int, Task> Send, string? Baseline);

    private static async Task MeasureAsync(Options o, Uri address, Microsoft.IdentityModel.Tokens.ECDsaSecurityKey key, CancellationToken ct)
    {
        var db = o.Database;
        var people = new List<Person>();
        // An existing registry has the dead, the married, parents and corrections under way (an earlier run's too): a birth,
        // marriage, death or correction is asked only of someone the law lets it happen to without a hold. The synthetic births
        // are all such people.
        var writable = o.Existing
            ? "(data->>'Alive')::boolean and data->>'MaritalStatus' = 'single' and (data->>'BirthDate')::date between current_date - 14610 and current_date - 7305"
              + " and jsonb_array_length(data->'Children') = 0 and jsonb_array_length(data->'PendingCorrections') = 0"
            : "true";
        await using (var source = NpgsqlDataSource.Create(db.App))
        await using (var select = source.CreateCommand(
                         $"select id, data->>'Sex', data->>'GivenName', data->>'FamilyName', data->>'BirthDate', {writable} from {db.Schema}.mt_doc_personsnapshot order by id"))
        await using (var rows = await select.ExecuteReaderAsync(ct))
            while (await rows.ReadAsync(ct))
                // The first serial of the office is 0, which no code may have: the registry refuses to be asked about it.
                if (NationalCode.Validate(rows.GetString(0), out _) is null)
                    people.Add(new Person(rows.GetString(0), rows.GetString(1), rows.GetString(2), rows.GetString(3), rows.GetString(4), rows.GetBoolean(5)));
        var women = people.Where(p => p.Writable && p.Sex == "female").ToArray();
        var men = people.Where(p => p.Writable && p.Sex == "male").ToArray();
        // Disjoint groups: women are mothers (two births measures), brides, or asked to be corrected; men grooms, deceased, or corrected.
        var w = women.Length / 4;
        var m = men.Length / 3;
        var mothersOne = new Group("births at one office", women[..w]);
        var mothersMany = new Group("births at 16 offices", women[w..(2 * w)]);
        var couples = new Group("marriages", [.. women[(2 * w)..(3 * w)].Zip(men[..m], (bride, groom) => bride with { Code = groom.Code + bride.Code })]);
        var deceased = new Group("deaths", men[m..(2 * m)]);
        var corrected = new Group("corrections", [.. women[(3 * w)..], .. men[(2 * m)..]]);
        var codes = people.Select(p => p.Code).ToArray();
        long events;
        await using (var source = NpgsqlDataSource.Create(db.App))
            events = (long)(await source.CreateCommand($"select max(seq_id) from {db.Schema}.mt_events").ExecuteScalarAsync(ct))!;
        Console.WriteLine(F($"  {people.Count:N0} snapshots, {women.Length:N0} women and {men.Length:N0} men written about, {events:N0} events (not timed)"));

        using var admin = Bearer(address, key, "bench-admin", "admin", null);
        await ClosedLoop.RegisterBenchBankAsync(admin, ct);

        HttpClient Client(string user, string role, string? office = null, string? agency = null)
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = address,
            };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                DevelopmentTokens.Mint(key, user, [role], office, TimeSpan.FromHours(4), DateTimeOffset.UtcNow, agency: agency));
            return client;
        }
        using var registrar = Client("reg-bench-001", "registrar", PeopleOffice);
        var offices = BirthOffices.Select(office => Client($"reg-bench-{office}", "registrar", office)).ToArray();
        using var auditor = Client("aud-bench", "auditor");
        using var verifier = Client("bench-client", "verifier", agency: "bench-bank");

        async Task Expect(Task<HttpResponseMessage> sending, HttpStatusCode expected, string what)
        {
            using var response = await sending;
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (response.StatusCode != expected)
                throw new InvalidOperationException($"{what}: {(int)response.StatusCode}, not {(int)expected}: {Encoding.UTF8.GetString(body)}");
        }
        Task Post(HttpClient client, string url, object body, HttpStatusCode expected) =>
            Expect(client.PostAsync(url, new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, ct),
                expected, $"POST {url}");
        Task Get(HttpClient client, string url) => Expect(client.GetAsync(url, ct), HttpStatusCode.OK, $"GET {url}");

        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(3.5));
        string[] names = ["ترانه", "آوا", "نیلوفر", "ستاره", "رها", "آیدا", "مهسا", "یاسمن"];
        Task Birth(HttpClient client, string office, Person mother, int i) => Post(client, "/api/births", new
        {
            givenName = names[i % names.Length], familyName = mother.FamilyName, sex = i % 2 == 0 ? "female" : "male", birthDate = today.AddDays(-1).ToString("yyyy-MM-dd"),
            officeCode = office, motherNationalCode = mother.Code, birthPlace = new { province = "تهران", county = "تهران", city = "تهران" },
            evidence = new { kind = "medicalCertificate", reference = $"MC-{office}-{i}" },
        }, HttpStatusCode.Created);
        Task Marriage(int i)
        {
            var couple = couples.Next();
            return Post(registrar, "/api/marriages", new
            {
                husbandNationalCode = couple.Code[..10], wifeNationalCode = couple.Code[10..], date = today.AddDays(-2).ToString("yyyy-MM-dd"), kind = "permanent",
                officeCode = PeopleOffice, courtAuthorisationReference = $"دادگاه خانواده تهران - {i}",
            }, HttpStatusCode.Created);
        }
        Task Death(int i) => Post(registrar, "/api/deaths", new
        {
            nationalCode = deceased.Next().Code, date = today.AddDays(-3).ToString("yyyy-MM-dd"), place = new { province = "تهران", county = "تهران", city = "تهران" },
            officeCode = PeopleOffice, causeIcd10 = "I21.9",
        }, HttpStatusCode.Created);
        Task Correction(int i)
        {
            var person = corrected.Next();
            var name = names[i % names.Length] is var n && n != person.GivenName ? n : names[(i + 1) % names.Length];
            return Post(registrar, $"/api/persons/{person.Code}/corrections", new
            {
                field = "givenName", newValue = name, authority = "board", decisionReference = $"هیئت حل اختلاف ۱۴۰۴/{i}", reason = "اشتباه در ثبت",
            }, HttpStatusCode.Accepted);
        }
        var random = new Random(13);
        string Anyone() => codes[Random.Shared.Next(codes.Length)];
        var searches = people.Take(4096).Select(p => $"/api/persons?givenName={Uri.EscapeDataString(p.GivenName)}&familyName={Uri.EscapeDataString(p.FamilyName)}&birthYear={p.BirthDate[..4]}").ToArray();
        // Half of the asks match in full; the other half have a wrong family name (alive is then not answered), as VerificationBenchmark's.
        var asks = Enumerable.Range(0, 4096).Select(i =>
        {
            var p = people[random.Next(people.Count)];
            return JsonSerializer.SerializeToUtf8Bytes(new
            {
                nationalCode = p.Code, purpose = "account-opening", birthDate = p.BirthDate, givenName = p.GivenName, familyName = i % 2 == 0 ? p.FamilyName : "غریبه",
            });
        }).ToArray();
        Task Verify(int i) => Expect(verifier.PostAsync("/api/verifications", new ByteArrayContent(asks[i % asks.Length]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, ct),
            HttpStatusCode.OK, "POST /api/verifications");

        // The baselines: plain Marten (a store of its own on the same schema, its tiny projection inline) and plain Npgsql.
        using var plain = await PlainStoreAsync(db, ct);
        using var registry = DocumentStore.For(opts => Storage.StoreSetup.Configure(opts, db.App, db.Schema, JasperFx.AutoCreate.None));
        // The service's own store settings and pool, for its pieces timed in process.
        using var service = DocumentStore.For(opts => Storage.StoreSetup.Configure(opts, Storage.StoreSetup.Pooled(db.App), db.Schema, JasperFx.AutoCreate.None));
        await using var raw = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.App) { MaxAutoPrepare = 16 }.ConnectionString);
        var rawSql = $"select data from {db.Schema}.mt_doc_personsnapshot where id = $1";
        // After the baseline's streams of an earlier run on the same schema (--existing).
        var started = int.Parse((await db.ScalarAsync($"select coalesce(max(substr(id, 2)), '0') from {db.Schema}.mt_streams where id like '9_________'", ct)));
        async Task StartStream(int i)
        {
            await using var session = plain.LightweightSession();
            var code = F($"9{Interlocked.Increment(ref started):D9}");
            session.Events.StartStream(code, new BenchPersonStarted(code, names[i % names.Length], "رضایی", today.AddDays(-1), PeopleOffice));
            await session.SaveChangesAsync(ct);
        }
        async Task Load(int i)
        {
            await using var session = registry.QuerySession();
            if (await session.LoadAsync<PersonSnapshot>(Anyone(), ct) is null) throw new InvalidOperationException("LoadAsync found no snapshot");
        }
        async Task Select(int i)
        {
            await using var command = raw.CreateCommand(rawSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Anyone() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct) || reader.GetString(0).Length == 0) throw new InvalidOperationException("the raw select found no snapshot");
        }

        // In process, the pieces of a snapshot read: the access log's group commit (its own pool, as the service's), and the reads.
        await using var logSource = NpgsqlDataSource.Create(Storage.StoreSetup.Pooled(db.App));
        var accessLog = new Audit.AccessLog(logSource, db.Settings);
        var reader = new Pipeline.RequestContext { UserId = "reg-bench-001", Roles = new HashSet<string> { "registrar" }, OfficeCode = PeopleOffice };
        Task Logged(int i) => accessLog.RecordAsync(reader, Audit.AccessedResource.Snapshot, Anyone(), null, null, 200, ct);
        async Task WithRelatives(int i)
        {
            await using var session = service.QuerySession();
            if (await Family.LoadCurrentAsync(session, Anyone(), ct) is null) throw new InvalidOperationException("no snapshot");
        }
        async Task TwoLoads(int i)
        {
            await using var session = service.QuerySession();
            var person = await session.LoadAsync<PersonSnapshot>(Anyone(), ct) ?? throw new InvalidOperationException("no snapshot");
            await Family.ResolveAsync(person, session, ct);
        }

        const string Start = "plain Marten: start a stream, tiny inline projection", LoadBase = "plain Marten: LoadAsync<PersonSnapshot>", SelectBase = "raw indexed select by id";
        Measured[] all =
        [
            new(Start, StartStream, null),
            new(LoadBase, Load, null),
            new(SelectBase, Select, null),
            new("in process: access log RecordAsync (group commit)", Logged, SelectBase),
            new("in process: snapshot, then relatives (LoadAsync, LoadManyAsync)", TwoLoads, LoadBase),
            new("in process: snapshot and relatives in one query (GetPerson's)", WithRelatives, LoadBase),
            new("GET /health/live (the HTTP stack alone: no token, no database)", _ => Get(auditor, "/health/live"), SelectBase),
            new("GET /api/persons/0000000000 (400: token, authorisation, a problem answer; no database)",
                _ => Expect(registrar.GetAsync("/api/persons/0000000000", ct), HttpStatusCode.BadRequest, "GET /api/persons/0000000000"), SelectBase),
            new("POST /api/births (mother's stream too), one office", i => Birth(offices[0], BirthOffices[0], mothersOne.Next(), i), Start),
            new("POST /api/births (mother's stream too), 16 offices", i => Birth(offices[i % offices.Length], BirthOffices[i % offices.Length], mothersMany.Next(), i), Start),
            new("POST /api/marriages", Marriage, Start),
            new("POST /api/deaths", Death, Start),
            new("POST /api/persons/{code}/corrections", Correction, Start),
            new("GET /api/persons/{code}", _ => Get(registrar, $"/api/persons/{Anyone()}"), LoadBase),
            new("GET /api/persons/{code}/history", _ => Get(registrar, $"/api/persons/{Anyone()}/history"), LoadBase),
            new("GET /api/persons?givenName&familyName&birthYear", i => Get(registrar, searches[i % searches.Length]), SelectBase),
            new("POST /api/verifications", Verify, SelectBase),
            new("GET /api/feed?after&limit=100", _ => Get(auditor, F($"/api/feed?after={Random.Shared.NextInt64(Math.Max(1, events - 100))}&limit=100")), SelectBase),
        ];
        var chosen = all.Where(m => o.Only is null || m.Name.Contains(o.Only, StringComparison.OrdinalIgnoreCase)).ToList();
        var measures = all.Where(m => chosen.Contains(m) || chosen.Any(c => c.Baseline == m.Name)).ToArray();

        // Warm-up of each (not counted), then the rounds: forwards in even rounds, backwards in odd ones. Meanwhile the
        // statistics' lag behind the events is sampled, by the measure running.
        using var statistician = Client("stat-bench", "statistician");
        var lag = new StatisticsLag(statistician);
        using var sampling = new CancellationTokenSource();
        Console.WriteLine(F($"  the statistics caught up on the loaded events in {(await lag.CaughtUpAsync(ct)).TotalSeconds:F1} s (not timed)"));
        var sampler = lag.SampleAsync(sampling.Token);
        foreach (var measure in measures) await LoadAsync(o.Connections, TimeSpan.FromSeconds(1), measure.Send, ct);
        var runs = measures.ToDictionary(x => x.Name, _ => new List<Run>());
        for (var round = 0; round < o.Rounds; round++)
            foreach (var measure in round % 2 == 0 ? measures : measures.Reverse())
            {
                lag.Measure = measure.Name;
                runs[measure.Name].Add(await LoadAsync(o.Connections, o.Duration, measure.Send, ct));
            }
        lag.Measure = null;
        var drained = await lag.CaughtUpAsync(ct);
        await sampling.CancelAsync();
        await sampler;
        var merged = runs.ToDictionary(r => r.Key, r => Run.Merge(r.Value));

        Console.WriteLine();
        Console.WriteLine(F($"machine after the run: {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        Console.WriteLine();
        Console.WriteLine(F($"| measure ({o.Connections} connections) | req/s | p50 ms | p95 ms | p99 ms | baseline | throughput ratio |"));
        Console.WriteLine("|---|---:|---:|---:|---:|---|---:|");
        foreach (var measure in measures)
        {
            var run = merged[measure.Name];
            var ratio = measure.Baseline is { } b ? F($"{run.PerSecond / merged[b].PerSecond:F2}×") : "1.00×";
            Console.WriteLine(F($"| {measure.Name} | {run.PerSecond:N0} | {run.Percentile(50):F2} | {run.Percentile(95):F2} | {run.Percentile(99):F2} | {measure.Baseline ?? "(baseline)"} | {ratio} |"));
        }
        foreach (var client in offices) client.Dispose();

        Console.WriteLine();
        Console.WriteLine("### The statistics' lag behind the events while each write ran (GET /api/statistics/status every 200 ms)");
        Console.WriteLine();
        Console.WriteLine("| measure | samples | lag p50 s | lag p95 s | lag max s | lag max events |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var measure in measures.Where(m => m.Name.StartsWith("POST", StringComparison.Ordinal)))
            if (lag.Of(measure.Name) is { Count: > 0 } samples)
            {
                var seconds = samples.Select(x => x.Seconds).Order().ToList();
                Console.WriteLine(F($"| {measure.Name} | {samples.Count} | {seconds[seconds.Count / 2]:F2} | {seconds[(int)(seconds.Count * 0.95)]:F2} | {seconds[^1]:F2} | {samples.Max(x => x.Events):N0} |"));
            }
        Console.WriteLine(F($"caught up {drained.TotalSeconds:F1} s after the last measure"));
    }

    /// <summary>Samples the statistics projection's lag (events, and the age of the oldest event not processed) by the measure running.</summary>
    private sealed class StatisticsLag(HttpClient statistician)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<(long Events, double Seconds)>> _samples = new();
        public volatile string? Measure;

        public List<(long Events, double Seconds)>? Of(string measure) => _samples.GetValueOrDefault(measure);

        private async Task<(long Events, double Seconds)> ReadAsync(CancellationToken ct)
        {
            var report = System.Text.Json.Nodes.JsonNode.Parse(await statistician.GetStringAsync("/api/statistics/status", ct))!;
            var status = report["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>().StartsWith("statistics", StringComparison.Ordinal))!;
            return (status["lagEvents"]!.GetValue<long>(), status["lagSeconds"]!.GetValue<double>());
        }

        public async Task SampleAsync(CancellationToken ct)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            try
            {
                while (await timer.WaitForNextTickAsync(ct))
                    if (Measure is { } measure) { var sample = await ReadAsync(ct); if (Measure == measure) _samples.GetOrAdd(measure, _ => []).Add(sample); }
            }
            catch (OperationCanceledException) { }
        }

        /// <summary>How long after the load stops the statistics have processed every event.</summary>
        public async Task<TimeSpan> CaughtUpAsync(CancellationToken ct)
        {
            var started = Stopwatch.GetTimestamp();
            while ((await ReadAsync(ct)).Events > 0 && Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(10)) await Task.Delay(100, ct);
            return Stopwatch.GetElapsedTime(started);
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>
    /// Plain Marten on the benchmark's schema: the registry's event store settings (so its tables are the ones already there), one
    /// event type and one tiny inline projection. Its document table is made by the owner; the runs connect as the application.
    /// </summary>
    private static async Task<DocumentStore> PlainStoreAsync(BenchDatabase db, CancellationToken ct)
    {
        void Configure(StoreOptions opts, string connection, JasperFx.AutoCreate autoCreate)
        {
            opts.Connection(connection);
            opts.DatabaseSchemaName = db.Schema;
            opts.Events.DatabaseSchemaName = db.Schema;
            opts.Events.StreamIdentity = StreamIdentity.AsString;
            opts.Events.MetadataConfig.EnableAll();
            opts.Events.MetadataConfig.UserNameEnabled = true;
            opts.Events.EnableUniqueIndexOnEventId = true;
            opts.Events.MapEventType<BenchPersonStarted>("bench_person_started.v1");
            opts.Projections.Add(new BenchPersonProjection(), ProjectionLifecycle.Inline);
            opts.AutoCreateSchemaObjects = autoCreate;
        }
        using (var owner = DocumentStore.For(opts => Configure(opts, db.Owner, JasperFx.AutoCreate.CreateOrUpdate)))
            await owner.Storage.Database.EnsureStorageExistsAsync(typeof(BenchPerson), ct);
        var app = new NpgsqlConnectionStringBuilder(db.App).Username;
        await db.ExecuteAsync($"grant select, insert, update, delete on {db.Schema}.mt_doc_benchperson to {app}; grant execute on all functions in schema {db.Schema} to {app}", ct);
        return DocumentStore.For(opts => Configure(opts, db.App, JasperFx.AutoCreate.None));
    }
}

public sealed record BenchPersonStarted(string NationalCode, string GivenName, string FamilyName, DateOnly BirthDate, string OfficeCode);

/// <summary>A snapshot as small as the registry's is large: the person's code, names, birth date and office.</summary>
public sealed class BenchPerson
{
    public string Id { get; set; } = "";
    public string GivenName { get; set; } = "";
    public string FamilyName { get; set; } = "";
    public DateOnly BirthDate { get; set; }
    public string OfficeCode { get; set; } = "";
}

public sealed class BenchPersonProjection : SingleStreamProjection<BenchPerson, string>
{
    public override BenchPerson? Evolve(BenchPerson? person, string id, IEvent e) => e.Data is BenchPersonStarted s
        ? new BenchPerson { Id = id, GivenName = s.GivenName, FamilyName = s.FamilyName, BirthDate = s.BirthDate, OfficeCode = s.OfficeCode }
        : person;
}
