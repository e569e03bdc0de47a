using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marten;
using Npgsql;
using VitalEvents.Api;
using VitalEvents.Domain;
using static VitalEvents.Bench.ClosedLoop;
using static VitalEvents.Bench.Report;

namespace VitalEvents.Bench;

/// <summary>
/// Birth notifications accepted per second over HTTP, as JSON and as FHIR R4 Bundles, against plain Marten appending the same
/// event to the mother's stream in process (FetchForWriting, append, SaveChanges, the store's inline projections) at the same
/// concurrency; and the end-to-end time from a notification to the issued code (the facility notifies, the mother confirms
/// online) against one office registration of a birth over HTTP. Every mother is asked once per birth date, in her own group.
/// </summary>
public static class NotificationBenchmark
{
    public sealed record Options(BenchDatabase Database, int Persons, TimeSpan Duration, int Connections, int Pairs);

    private const string Facility = "bench-hospital";

    /// <summary>The synthetic people hold codes of office 001 that its serials do not know of: newborns are registered under another office.</summary>
    private const string Office = "002";

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        Console.WriteLine(F($"notifications benchmark: {o.Persons:N0} persons, {o.Duration.TotalSeconds:F0} s per measure at {o.Connections} connections, {o.Pairs} end-to-end pairs, schema {o.Database.Schema}"));
        var synthetic = new SyntheticEvents(o.Database, o.Persons, o.Persons, ["001"]);
        return await BenchService.OnProjectedBirthsAsync(synthetic, (address, key) => MeasureAsync(o, address, key, ct), ct);
    }

    private static async Task MeasureAsync(Options o, Uri address, Microsoft.IdentityModel.Tokens.ECDsaSecurityKey key, CancellationToken ct)
    {
        var db = o.Database;
        var mothers = new List<string>();
        await using (var source = NpgsqlDataSource.Create(db.App))
        await using (var select = source.CreateCommand($"select id from {db.Schema}.mt_doc_personsnapshot where data->>'Sex' = 'female' order by id"))
        await using (var rows = await select.ExecuteReaderAsync(ct))
            while (await rows.ReadAsync(ct))
                if (NationalCode.Validate(rows.GetString(0), out _) is null) mothers.Add(rows.GetString(0));
        // Four groups of mothers: the baseline's, the JSON notifications', the FHIR notifications', the end-to-end pairs'.
        var groups = Enumerable.Range(0, 4).Select(g => mothers.Where((_, i) => i % 4 == g).ToArray()).ToArray();
        Console.WriteLine(F($"  {mothers.Count:N0} women to notify births of, {groups[0].Length:N0} a group (not timed)"));

        using var admin = Bearer(address, key, "bench-admin", "admin", null);
        using (var registered = await admin.PostAsJsonAsync("/api/facilities",
                   new { id = Facility, name = "بیمارستان", nameEnglish = "Bench Hospital", officeCode = Office, city = "تهران" }, ct))
            registered.EnsureSuccessStatusCode();

        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(3.5));
        // Request i asks about mother i of its group, born a day earlier each time the group comes round.
        (string Mother, string BirthDate) Ask(string[] group, int i) => (group[i % group.Length], today.AddDays(-1 - i / group.Length).ToString("yyyy-MM-dd"));

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = o.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevelopmentTokens.Mint(key, "his-bench", ["hospital"], null, TimeSpan.FromHours(4), DateTimeOffset.UtcNow, facility: Facility));

        async Task Post(string url, string mediaType, string body)
        {
            using var content = new StringContent(body, Encoding.UTF8, mediaType);
            using var response = await client.PostAsync(url, content, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
        Task Json(int i)
        {
            var (mother, born) = Ask(groups[1], i);
            return Post("/api/birth-notifications", "application/json", JsonNotification($"J-{i}", mother, born));
        }
        Task Fhir(int i)
        {
            var (mother, born) = Ask(groups[2], i);
            return Post("/fhir/Bundle", "application/fhir+json", FhirNotification($"F-{i}", mother, born));
        }
        using var store = BenchStore(db);
        async Task Marten(int i)
        {
            var (mother, born) = Ask(groups[0], i);
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Person>(mother, ct);
            stream.AppendOne(new BirthNotified(Guid.CreateVersion7(), Facility, Office, new PlaceRecord("تهران", "تهران", "تهران"), $"M-{i}",
                new CertifierRecord("مریم احمدی", "https://irimc.org/fhir/sid/medical-council-number", "12345"), "female", DateOnly.Parse(born), "08:45", 1, null,
                3250, 39, mother, null, "json", "his-bench"));
            await session.SaveChangesAsync(ct);
        }

        Console.WriteLine();
        Console.WriteLine(F($"| measure ({o.Connections} connections) | req/s | p50 ms | p95 ms | p99 ms | throughput ratio to plain Marten |"));
        Console.WriteLine("|---|---|---|---|---|---|");
        // Warm-up (not counted) of each, then the three alternate over two rounds.
        var offsets = new int[3];
        foreach (var (send, index) in new[] { (Marten, 0), ((Func<int, Task>)Json, 1), (Fhir, 2) })
            offsets[index] = (await LoadAsync(o.Connections, TimeSpan.FromSeconds(2), send, ct)).Milliseconds.Count + 1;
        var runs = new[] { new List<Run>(), new List<Run>(), new List<Run>() };
        for (var round = 0; round < 2; round++)
        {
            runs[0].Add(await LoadAsync(o.Connections, o.Duration / 2, i => Marten(i + offsets[0] + round * 1_000_000), ct));
            runs[1].Add(await LoadAsync(o.Connections, o.Duration / 2, i => Json(i + offsets[1] + round * 1_000_000), ct));
            runs[2].Add(await LoadAsync(o.Connections, o.Duration / 2, i => Fhir(i + offsets[2] + round * 1_000_000), ct));
        }
        var merged = runs.Select(Run.Merge).ToArray();
        foreach (var (name, run) in new[] { ("plain Marten: append birth_notified.v1 to the mother's stream (in process)", merged[0]),
                     ("POST /api/birth-notifications (JSON)", merged[1]), ("POST /fhir/Bundle (FHIR R4 document)", merged[2]) })
            Console.WriteLine(F($"| {name} | {run.PerSecond:N0} | {run.Percentile(50):F1} | {run.Percentile(95):F1} | {run.Percentile(99):F1} | {run.PerSecond / merged[0].PerSecond:F2}× |"));

        await EndToEndAsync(o, address, key, client, groups[3], today, ct);
    }

    /// <summary>One at a time: notification then the mother's confirmation (the code issued), against an office registration of a birth.</summary>
    private static async Task EndToEndAsync(Options o, Uri address, Microsoft.IdentityModel.Tokens.ECDsaSecurityKey key, HttpClient hospital, string[] mothers,
        DateOnly today, CancellationToken ct)
    {
        using var registrar = Bearer(address, key, "reg-bench", "registrar", null, office: Office);
        string[] names = ["ترانه", "آوا", "نیلوفر", "ستاره", "رها", "آیدا", "مهسا", "یاسمن"];
        var pairs = new List<double>();
        var office = new List<double>();
        for (var i = 0; i < o.Pairs * 2 && i < mothers.Length; i++)
        {
            var mother = mothers[i];
            var born = today.AddDays(-1).ToString("yyyy-MM-dd");
            var name = names[i % names.Length];
            var started = Stopwatch.GetTimestamp();
            if (i % 2 == 0)
            {
                using var notified = await hospital.PostAsync("/api/birth-notifications",
                    new StringContent(JsonNotification($"E-{i}", mother, born), Encoding.UTF8, "application/json"), ct);
                var id = JsonDocument.Parse(await notified.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("notificationId").GetString();
                using var citizen = new HttpClient { BaseAddress = address };
                citizen.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                    DevelopmentTokens.Mint(key, mother, ["citizen"], null, TimeSpan.FromHours(1), DateTimeOffset.UtcNow));
                using var confirmed = await citizen.PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = name }, ct);
                if (confirmed.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"confirm: {(int)confirmed.StatusCode} {await confirmed.Content.ReadAsStringAsync(ct)}");
                if (i >= 20) pairs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                using var registered = await registrar.PostAsJsonAsync("/api/births", new
                {
                    givenName = name, familyName = "رضایی", sex = "female", birthDate = born, officeCode = Office, motherNationalCode = mother,
                    birthPlace = new { province = "تهران", county = "تهران", city = "تهران" }, evidence = new { kind = "medicalCertificate", reference = $"O-{i}" },
                }, ct);
                if (registered.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"office: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync(ct)}");
                if (i >= 20) office.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        static double P(List<double> ms, int p) => ms.Order().ElementAt(Math.Min(ms.Count - 1, (int)Math.Ceiling(p / 100.0 * ms.Count) - 1));
        Console.WriteLine();
        Console.WriteLine(F($"| end to end, one at a time ({pairs.Count} of each, alternating, after 10 of each not counted) | p50 ms | p95 ms | ratio of p50 to the office registration |"));
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine(F($"| office registration: POST /api/births (the code issued) | {P(office, 50):F1} | {P(office, 95):F1} | 1.00× |"));
        Console.WriteLine(F($"| notification, then the mother confirms online (the code issued) | {P(pairs, 50):F1} | {P(pairs, 95):F1} | {P(pairs, 50) / P(office, 50):F2}× |"));
    }

    /// <summary>The registry's own Marten configuration on the benchmark's schema: its inline projections run on every append.</summary>
    private static DocumentStore BenchStore(BenchDatabase db) => DocumentStore.For(opts =>
        VitalEvents.Storage.StoreSetup.Configure(opts, db.App, db.Schema, JasperFx.AutoCreate.None));

    private static string JsonNotification(string certificate, string mother, string born) => JsonSerializer.Serialize(new
    {
        certificateNumber = certificate, certifier = new { name = "مریم احمدی", identifier = "12345" }, sex = "female", birthDate = born, birthTime = "08:45",
        birthWeightGrams = 3250, gestationWeeks = 39, motherNationalCode = mother,
    });

    /// <summary>A provider live-birth report as docs/fhir.md shapes it: Composition, child, mother, Location, Practitioner, weight and gestation.</summary>
    private static string FhirNotification(string certificate, string mother, string born) => FhirTemplate
        .Replace("@certificate", certificate).Replace("@mother", mother).Replace("@born", born).Replace("@facility", Facility);

    private const string FhirTemplate = """
        {"resourceType":"Bundle","type":"document","identifier":{"system":"https://sabteahval.ir/fhir/sid/birth-certificate","value":"@certificate"},
         "timestamp":"@bornT12:00:00+03:30","entry":[
          {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Composition","status":"final",
            "type":{"coding":[{"system":"http://loinc.org","code":"68998-6"}]},"subject":{"reference":"urn:uuid:00000000-0000-4000-8000-000000000002"},
            "date":"@bornT12:00:00+03:30","author":[{"reference":"urn:uuid:00000000-0000-4000-8000-000000000005"}],"title":"Provider live birth report"}},
          {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Patient","gender":"female",
            "birthDate":"@born","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthTime","valueDateTime":"@bornT08:45:00+03:30"}]},
            "multipleBirthBoolean":false}},
          {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000003","resource":{"resourceType":"Patient","gender":"female",
            "identifier":[{"system":"https://sabteahval.ir/fhir/sid/national-code","value":"@mother"}]}},
          {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000004","resource":{"resourceType":"Location","name":"Bench Hospital",
            "identifier":[{"system":"https://sabteahval.ir/fhir/sid/facility","value":"@facility"}]}},
          {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000005","resource":{"resourceType":"Practitioner","name":[{"given":["مریم"],"family":"احمدی"}],
            "identifier":[{"system":"https://irimc.org/fhir/sid/medical-council-number","value":"12345"}]}},
          {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000006","resource":{"resourceType":"Observation","status":"final",
            "code":{"coding":[{"system":"http://loinc.org","code":"8339-4"}]},"subject":{"reference":"urn:uuid:00000000-0000-4000-8000-000000000002"},
            "valueQuantity":{"value":3250,"unit":"g","system":"http://unitsofmeasure.org","code":"g"}}},
          {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000007","resource":{"resourceType":"Observation","status":"final",
            "code":{"coding":[{"system":"http://loinc.org","code":"11884-4"}]},"subject":{"reference":"urn:uuid:00000000-0000-4000-8000-000000000002"},
            "valueQuantity":{"value":39,"unit":"wk","system":"http://unitsofmeasure.org","code":"wk"}}}]}
        """;
}
