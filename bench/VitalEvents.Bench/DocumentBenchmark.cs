using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Marten;
using Npgsql;
using VitalEvents.Api;
using VitalEvents.Documents;
using VitalEvents.Domain;
using static VitalEvents.Bench.ClosedLoop;
using static VitalEvents.Bench.Report;

namespace VitalEvents.Bench;

/// <summary>
/// Documents issued per second over HTTP — the JSON answer alone, and the JSON answer then the PDF — against plain Marten appending
/// the same event to the person's stream in process at the same concurrency; PDFs of issued documents served per second against
/// their JSON; and offline verifications per second (the registry's check of a QR payload) against the bare ECDSA P-256
/// verification of the same signature, on all cores.
/// </summary>
public static class DocumentBenchmark
{
    public sealed record Options(BenchDatabase Database, int Persons, TimeSpan Duration, int Connections);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        Console.WriteLine(F($"documents benchmark: {o.Persons:N0} persons, {o.Duration.TotalSeconds:F0} s per measure at {o.Connections} connections, schema {o.Database.Schema}"));
        var synthetic = new SyntheticEvents(o.Database, o.Persons, o.Persons, ["001"]);
        return await BenchService.OnProjectedBirthsAsync(synthetic, (address, key) => MeasureAsync(o, address, key, ct), ct);
    }

    private static async Task MeasureAsync(Options o, Uri address, Microsoft.IdentityModel.Tokens.ECDsaSecurityKey key, CancellationToken ct)
    {
        var db = o.Database;
        var people = new List<string>();
        await using (var source = NpgsqlDataSource.Create(db.App))
        await using (var select = source.CreateCommand($"select id from {db.Schema}.mt_doc_personsnapshot order by id"))
        await using (var rows = await select.ExecuteReaderAsync(ct))
            while (await rows.ReadAsync(ct))
                if (NationalCode.Validate(rows.GetString(0), out _) is null) people.Add(rows.GetString(0));
        // Three groups: the baseline's, the JSON issues', the JSON-then-PDF issues'; each person asked in turn.
        var groups = Enumerable.Range(0, 3).Select(g => people.Where((_, i) => i % 3 == g).ToArray()).ToArray();
        Console.WriteLine(F($"  {people.Count:N0} people to issue documents for, {groups[0].Length:N0} a group (not timed)"));

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = o.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevelopmentTokens.Mint(key, "reg-bench", ["registrar"], "001", TimeSpan.FromHours(4), DateTimeOffset.UtcNow));

        var issued = new System.Collections.Concurrent.ConcurrentBag<(Guid Id, string Qr)>();
        async Task<(Guid Id, string Qr)> Issue(string person)
        {
            using var response = await client.PostAsJsonAsync($"/api/persons/{person}/documents", new { kind = "birthCertificate", language = "both" }, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"issue: {(int)response.StatusCode} {body}");
            var json = JsonDocument.Parse(body).RootElement;
            var document = (json.GetProperty("documentId").GetGuid(), json.GetProperty("qr").GetString()!);
            issued.Add(document);
            return document;
        }
        async Task<int> Get(string url)
        {
            using var response = await client.GetAsync(url, ct);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
            return bytes.Length;
        }
        Task Json(int i) => Issue(groups[1][i % groups[1].Length]);
        async Task JsonThenPdf(int i) => await Get($"/api/documents/{(await Issue(groups[2][i % groups[2].Length])).Id}/pdf");

        using var store = DocumentStore.For(opts => VitalEvents.Storage.StoreSetup.Configure(opts, db.App, db.Schema, JasperFx.AutoCreate.None));
        var fields = new[] { new DocumentField("nationalCode", "0010000011"), new DocumentField("givenName", "علی") };
        async Task Marten(int i)
        {
            var person = groups[0][i % groups[0].Length];
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Person>(person, ct);
            stream.AppendOne(new DocumentIssued(Guid.CreateVersion7(), "birthCertificate", null, "both", $"BIR-1405-{i:D7}", 1405, i, stream.CurrentVersion ?? 0,
                fields, new string('0', 64), DateTimeOffset.UtcNow, "reg-bench", "office", "bench", "VE1:"));
            await session.SaveChangesAsync(ct);
        }

        Console.WriteLine();
        Console.WriteLine(F($"| issuing ({o.Connections} connections) | req/s | p50 ms | p95 ms | p99 ms | throughput ratio to plain Marten |"));
        Console.WriteLine("|---|---|---|---|---|---|");
        var offsets = new int[3];
        foreach (var (send, index) in new[] { (Marten, 0), ((Func<int, Task>)Json, 1), (JsonThenPdf, 2) })
            offsets[index] = (await LoadAsync(o.Connections, TimeSpan.FromSeconds(2), send, ct)).Milliseconds.Count + 1;
        var runs = new[] { new List<Run>(), new List<Run>(), new List<Run>() };
        for (var round = 0; round < 2; round++)
        {
            runs[0].Add(await LoadAsync(o.Connections, o.Duration / 2, i => Marten(i + offsets[0] + round * 1_000_000), ct));
            runs[1].Add(await LoadAsync(o.Connections, o.Duration / 2, i => Json(i + offsets[1] + round * 1_000_000), ct));
            runs[2].Add(await LoadAsync(o.Connections, o.Duration / 2, i => JsonThenPdf(i + offsets[2] + round * 1_000_000), ct));
        }
        var merged = runs.Select(Run.Merge).ToArray();
        foreach (var (name, run) in new[] { ("plain Marten: append document_issued.v1 to the person's stream (in process)", merged[0]),
                     ("POST /api/persons/{code}/documents (JSON: serial, fields, seal)", merged[1]), ("the same, then GET …/pdf (A4, fa + en)", merged[2]) })
            Console.WriteLine(F($"| {name} | {run.PerSecond:N0} | {run.Percentile(50):F1} | {run.Percentile(95):F1} | {run.Percentile(99):F1} | {run.PerSecond / merged[0].PerSecond:F2}× |"));

        // Reading issued documents: the PDF rendered on each request, against the JSON of the same documents.
        var ids = issued.Select(d => d.Id).ToArray();
        Console.WriteLine();
        Console.WriteLine(F($"| reading an issued document ({o.Connections} connections, {ids.Length:N0} documents) | req/s | p50 ms | p99 ms | throughput ratio to JSON |"));
        Console.WriteLine("|---|---|---|---|---|");
        await LoadAsync(o.Connections, TimeSpan.FromSeconds(2), i => Get($"/api/documents/{ids[i % ids.Length]}/pdf"), ct);
        var json = new List<Run>();
        var pdf = new List<Run>();
        for (var round = 0; round < 2; round++)
        {
            json.Add(await LoadAsync(o.Connections, o.Duration / 2, i => Get($"/api/documents/{ids[i % ids.Length]}"), ct));
            pdf.Add(await LoadAsync(o.Connections, o.Duration / 2, i => Get($"/api/documents/{ids[i % ids.Length]}/pdf"), ct));
        }
        var (j, p) = (Run.Merge(json), Run.Merge(pdf));
        Console.WriteLine(F($"| GET /api/documents/{{id}} (JSON) | {j.PerSecond:N0} | {j.Percentile(50):F1} | {j.Percentile(99):F1} | 1.00× |"));
        Console.WriteLine(F($"| GET /api/documents/{{id}}/pdf | {p.PerSecond:N0} | {p.Percentile(50):F1} | {p.Percentile(99):F1} | {p.PerSecond / j.PerSecond:F2}× |"));

        await OfflineAsync(o, client, issued.Select(d => d.Qr).ToArray(), ct);
    }

    /// <summary>The registry's offline check of QR payloads with a copy of the key list, against bare ECDSA verifications, on every core.</summary>
    private static async Task OfflineAsync(Options o, HttpClient client, string[] payloads, CancellationToken ct)
    {
        var keys = DocumentKeyList.FromJwks(await client.GetStringAsync(DocumentKeyList.Path, ct));
        var data = RandomNumberGenerator.GetBytes(400);
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = signer.SignData(data, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        if (DocumentVerifier.Check(payloads[0], keys, now).Problem is { } problem) throw new InvalidOperationException(problem);

        Run Loop(Func<int, bool> verify) => LoadAsync(Environment.ProcessorCount, o.Duration / 2, i =>
        {
            if (!verify(i)) throw new InvalidOperationException("a verification failed");
            return Task.CompletedTask;
        }, ct).GetAwaiter().GetResult();
        bool Bare(int i) => signer.VerifyData(data, signature, HashAlgorithmName.SHA256);
        bool Registry(int i) => DocumentVerifier.Check(payloads[i % payloads.Length], keys, now).Reading.SignatureValid;
        Loop(Bare);
        Loop(Registry);
        var (bare, registry) = (new List<Run>(), new List<Run>());
        for (var round = 0; round < 2; round++)
        {
            bare.Add(Loop(Bare));
            registry.Add(Loop(Registry));
        }
        var (b, r) = (Run.Merge(bare), Run.Merge(registry));
        Console.WriteLine();
        Console.WriteLine(F($"| offline verification ({Environment.ProcessorCount} threads, {payloads.Length:N0} payloads) | per second | p50 µs | p99 µs | ratio to bare ECDSA |"));
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(F($"| bare ECDSA P-256 verify of 400 bytes (System.Security.Cryptography) | {b.PerSecond:N0} | {b.Percentile(50) * 1000:F0} | {b.Percentile(99) * 1000:F0} | 1.00× |"));
        Console.WriteLine(F($"| DocumentVerifier.Check: Base45, inflate, COSE_Sign1, CWT, key validity | {r.PerSecond:N0} | {r.Percentile(50) * 1000:F0} | {r.Percentile(99) * 1000:F0} | {r.PerSecond / b.PerSecond:F2}× |"));
    }
}
