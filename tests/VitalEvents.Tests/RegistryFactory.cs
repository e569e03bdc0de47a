using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Api;
using VitalEvents.Births;
using VitalEvents.Integrity;
using VitalEvents.Storage;

namespace VitalEvents.Tests;

/// <summary>
/// The registry's web host against the real PostgreSQL the scripts start (or VITALEVENTS_DB), in a schema of its own
/// per test class. Tests reset the data at their start.
/// </summary>
public sealed class RegistryFactory : WebApplicationFactory<Program>
{
    public string Schema { get; } = $"t_{Guid.NewGuid():N}"[..14];
    public string KeyPath { get; } = Path.Combine(Path.GetTempPath(), $"vitalevents-test-{Guid.NewGuid():N}-jwt.pem");
    public string IntegrityKeyPath { get; } = Path.Combine(Path.GetTempPath(), $"vitalevents-test-{Guid.NewGuid():N}.pem");
    public string DocumentKeyDirectory { get; } = Path.Combine(Path.GetTempPath(), $"vitalevents-test-{Guid.NewGuid():N}-document-keys");
    private readonly IReadOnlyDictionary<string, string?> _settings = new Dictionary<string, string?>();
    private readonly bool _keepSchema;
    private DocumentStore? _owner;

    public RegistryFactory()
    {
    }

    /// <summary>
    /// A service with further settings, on a schema of its own or on an existing one (as when the service restarts);
    /// <paramref name="keepSchema"/> leaves the schema in place on dispose, for the next service to start on.
    /// </summary>
    internal RegistryFactory(IReadOnlyDictionary<string, string?> settings, string? schema = null, bool keepSchema = false)
    {
        _settings = settings;
        Schema = schema ?? Schema;
        _keepSchema = keepSchema;
    }

    /// <summary>The application role's connection: it can append events but not change them.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("VITALEVENTS_DB") is { Length: > 0 } db ? db : StoreSetup.LocalConnectionString;

    /// <summary>The schema owner's connection: it applies the schema and resets data between tests.</summary>
    public static string OwnerConnectionString =>
        Environment.GetEnvironmentVariable("VITALEVENTS_OWNER_DB") is { Length: > 0 } db ? db
        : Environment.GetEnvironmentVariable("VITALEVENTS_DB") is { Length: > 0 } app ? app : StoreSetup.LocalOwnerConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("VitalEvents:Schema", Schema);
        builder.UseSetting("VitalEvents:Database", ConnectionString);
        builder.UseSetting("VitalEvents:OwnerDatabase", OwnerConnectionString);
        builder.UseSetting("VitalEvents:Auth:DevelopmentKeyPath", KeyPath);
        builder.UseSetting("VitalEvents:Http:RateLimitBurst", "1000000");
        builder.UseSetting("VitalEvents:Http:RateLimitPerSecond", "1000000");
        builder.UseSetting("VitalEvents:Integrity:KeyPath", IntegrityKeyPath);
        builder.UseSetting("VitalEvents:Documents:KeyDirectory", DocumentKeyDirectory);
        builder.UseSetting("VitalEvents:Integrity:CheckpointSeconds", "0");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // The async daemon runs only where a test asks for it (the statistics tests): a reset under a running daemon would leave it past the events.
        builder.UseSetting("VitalEvents:Statistics:Daemon", "false");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    /// <summary>Deletes every event, document, chain link, checkpoint, access-log row, agency change, quota count and issued serial in this class's schema.</summary>
    /// <remarks>
    /// Marten writes a failed commit's tombstones later, in a transaction of its own, with the sequence numbers that commit
    /// took; the reset restarts the sequence, so it first waits for those writes (Marten keeps that wait internal, for
    /// tests and disposal) lest a late tombstone take a number the next test's events are given.
    /// </remarks>
    public async Task ResetAsync()
    {
        _ = Services;
        _owner ??= DatabaseSchema.OwnerStore(new StoreSettings(ConnectionString, Schema, false, OwnerConnectionString));
        await PendingTombstones();
        await _owner.Advanced.Clean.DeleteAllEventDataAsync();
        await _owner.Advanced.Clean.DeleteAllDocumentsAsync();
        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        // Every table the owner's SQL adds holds data of its own: the serials, the chain, the quota, and each capability's append-only log.
        var tables = new[] { NationalCodeIssuer.TableName, VitalEvents.Documents.DocumentSerials.TableName, IntegritySchema.ChainTable, VitalEvents.Verifications.DailyQuota.TableName,
                VitalEvents.Statistics.StatisticsSchema.Counts, VitalEvents.Statistics.StatisticsSchema.Population }
            .Concat(VitalEvents.Capabilities.All.SelectMany(c => c.AppendOnlyTables));
        await using var truncate = new NpgsqlCommand(string.Concat(tables.Select(t =>
            $"do $$ begin if to_regclass('{Schema}.{t}') is not null then truncate {Schema}.{t}; end if; end $$;\n")), connection);
        await truncate.ExecuteNonQueryAsync();
    }

    private Task PendingTombstones()
    {
        var events = ((DocumentStore)Store).Options.Events;
        var wait = events.GetType().GetMethod("WaitForPendingTombstonesAsync", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Marten no longer has EventGraph.WaitForPendingTombstonesAsync: find its new way to wait for tombstones.");
        return (Task)wait.Invoke(events, null)!;
    }

    /// <summary>Runs SQL as the schema owner.</summary>
    public Task AsOwner(string sql) => Run(OwnerConnectionString, sql);

    /// <summary>
    /// Runs SQL as an intruder with full database rights: the cluster's superuser where the scripts provide it
    /// (VITALEVENTS_SUPERUSER_DB), else the schema owner.
    /// </summary>
    public Task AsSuperuser(string sql) =>
        Run(Environment.GetEnvironmentVariable("VITALEVENTS_SUPERUSER_DB") is { Length: > 0 } superuser ? superuser : OwnerConnectionString, sql);

    private async Task Run(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", Schema), connection);
        await command.ExecuteNonQueryAsync();
    }

    public string Token(string role, string? office = "001", string user = "user-1", string? scope = null, string? agency = null, string? facility = null) =>
        DevelopmentTokens.Mint(DevelopmentTokens.Key(KeyPath), user, [role], office, TimeSpan.FromHours(1), DateTimeOffset.UtcNow, scope, agency: agency,
            facility: facility);

    /// <summary>A client acting as a user with one role.</summary>
    public HttpClient As(string role, string? office = "001", string? user = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, office, user ?? $"{role}-{office}"));
        return client;
    }

    /// <summary>A citizen signed in with their national code.</summary>
    public HttpClient AsCitizen(string nationalCode) => As(Pipeline.Roles.Citizen, office: null, user: nationalCode);

    /// <summary>A verifier of an agency.</summary>
    public HttpClient AsVerifier(string agency, string? user = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Token(Pipeline.Roles.Verifier, office: null, user: user ?? $"client-{agency}", agency: agency));
        return client;
    }

    /// <summary>A hospital user notifying births for a facility.</summary>
    public HttpClient AsHospital(string facility, string? user = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Token(Pipeline.Roles.Hospital, office: null, user: user ?? $"his-{facility}", facility: facility));
        return client;
    }

    /// <summary>Every event on a person's stream, oldest first.</summary>
    public async Task<IReadOnlyList<object>> EventsOf(string nationalCode)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(nationalCode)).Select(e => e.Data).ToList();
    }

    /// <summary>
    /// Every event in the log but Marten's tombstones: a request that loses a race at commit gives back the sequence numbers it
    /// reserved as tombstone events on Marten's own stream, which belong to no person.
    /// </summary>
    public async Task<IReadOnlyList<object>> RecordedEvents()
    {
        await using var session = Store.QuerySession();
        var all = await session.Events.QueryAllRawEvents().ToListAsync();
        return all.Where(e => e.StreamKey != "mt_tombstone").Select(e => e.Data).ToList();
    }

    public async Task<long> EventCount() => (await RecordedEvents()).Count;

    public override async ValueTask DisposeAsync()
    {
        _owner?.Dispose();
        if (!_keepSchema) await AsOwner("drop schema if exists {schema} cascade");
        File.Delete(KeyPath);
        File.Delete(IntegrityKeyPath);
        if (Directory.Exists(DocumentKeyDirectory)) Directory.Delete(DocumentKeyDirectory, recursive: true);
        File.Delete(DocumentKeyDirectory + ".passphrase");
        await base.DisposeAsync();
    }
}

/// <summary>Requests the tests send again and again.</summary>
public static class Requests
{
    /// <summary>A birth registration with an Idempotency-Key.</summary>
    public static HttpRequestMessage Register(object birth, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/births") { Content = System.Net.Http.Json.JsonContent.Create(birth) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    public static object Birth(string givenName = "علی", string familyName = "رضایی", string sex = "male", string birthDate = "1404/01/01",
        string? mother = null, string? father = null, string office = "001", int? multipleBirthOrder = null) => new
    {
        givenName, familyName, sex, birthDate, multipleBirthOrder,
        birthPlace = new { province = "تهران", county = "تهران", city = "تهران" },
        motherNationalCode = mother, fatherNationalCode = father, officeCode = office,
        evidence = new { kind = "medicalCertificate", reference = "MC-1404-0001" },
    };

    public static object Marriage(string husband, string wife, string date = "1403/06/01", string kind = "permanent",
        string? termEnds = null, string? court = null, string office = "001") => new
    {
        husbandNationalCode = husband, wifeNationalCode = wife, date, kind, termEnds, courtAuthorisationReference = court, officeCode = office,
    };

    public static object Death(string nationalCode, string date = "1404/02/01", string office = "001") => new
    {
        nationalCode, date, place = new { province = "تهران", county = "تهران", city = "تهران" }, causeIcd10 = "I21.9", certifier = "Dr. Ahmadi", officeCode = office,
    };

    public static object Correction(string field, string newValue, string authority = "board") => new
    {
        field, newValue, authority, decisionReference = "HE-001-1404-17", reason = "Transcription error.",
    };

    public static async Task<JsonNode> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("Empty body");
    }

    public static async Task<JsonNode> PostOk(this HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{url} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Json();
    }

    public static async Task<string> Born(this HttpClient client, object? birth = null) =>
        (await client.PostOk("/api/births", birth ?? Birth()))["nationalCode"]!.GetValue<string>();

    public static async Task<JsonNode> Person(this HttpClient client, string nationalCode, string query = "")
    {
        var response = await client.GetAsync($"/api/persons/{nationalCode}{query}");
        response.EnsureSuccessStatusCode();
        return await response.Json();
    }

    public static string Str(this JsonNode node, string property) => node[property]!.GetValue<string>();

    private const string Letters = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی";

    /// <summary>A distinct name for the n-th of many people: the stem and n written in letters (a name holds no digits).</summary>
    public static string Numbered(string stem, int n)
    {
        var suffix = "";
        do
        {
            suffix = Letters[n % Letters.Length] + suffix;
            n /= Letters.Length;
        }
        while (n > 0);
        return stem + suffix;
    }

    public static JsonSerializerOptions WebJson { get; } = new(JsonSerializerDefaults.Web);
}
