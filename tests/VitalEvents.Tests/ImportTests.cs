using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Corrections;
using VitalEvents.Domain;
using VitalEvents.History;
using VitalEvents.Identity;
using VitalEvents.Import;
using VitalEvents.Integrity;
using VitalEvents.Marriages;
using VitalEvents.Storage;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// The legacy import (docs/legacy-import.md) against real PostgreSQL: a generated export gives the same records as the same
/// facts sent through the commands; an import stopped after some batches and run again gives the same database as one run
/// through; refused lines are reported and leave nothing; the chain verifies and the commands work on imported people.
/// </summary>
public sealed partial class ImportTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vitalevents-import-").FullName;

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;
    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> Export(int persons, int seed, double bad = 0)
    {
        var path = Path.Combine(_directory, $"export-{persons}-{seed}-{bad}.jsonl");
        await using var writer = new StreamWriter(path);
        await LegacyGenerator.WriteAsync(writer, new GeneratorOptions(persons, seed, bad, VillageSize: 120), CancellationToken.None);
        return path;
    }

    private static async Task<ImportSummary> Import(RegistryFactory target, string file, int batch = 25, string? report = null,
        Action<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        _ = target.Services;
        using var owner = DatabaseSchema.OwnerStore(new StoreSettings(RegistryFactory.ConnectionString, target.Schema, false, RegistryFactory.OwnerConnectionString));
        return await new LegacyImporter(owner, RegistryFactory.OwnerConnectionString)
            .RunAsync(file, new ImportOptions(batch, report, "test-export", "import:test"), progress, ct);
    }

    private static IEnumerable<LegacyPerson> Lines(string file) =>
        File.ReadLines(file).Select(l => LegacyFormat.Read(l, out _)).OfType<LegacyPerson>();

    private static string CodeOf(LegacyPerson p, string? code) => LegacyFormat.Code(code, p.CodeStoredWithoutLeadingZeros)!;

    [Fact]
    public async Task A_generated_export_gives_the_records_the_same_facts_give_through_the_commands()
    {
        var file = await Export(70, seed: 3);
        var summary = await Import(registry, file);
        var lines = Lines(file).ToList();
        summary.Persons.Should().Be(lines.Count);
        summary.Refused.Should().Be(0);

        // The same facts, oldest first, through the HTTP commands of a second registry (its own schema, its own codes).
        await using var commands = new RegistryFactory();
        await commands.ResetAsync();
        var codes = new Dictionary<string, string>();       // imported code → code the commands issued
        var ids = new Dictionary<Guid, Guid>();              // imported marriage or correction id → the commands' id
        var clients = new Dictionary<(string, string, string), HttpClient>();
        HttpClient As(string role, string office, string user) =>
            clients.TryGetValue((role, office, user), out var c) ? c : clients[(role, office, user)] = commands.As(role, office, user);
        var facts = new List<(DateOnly Date, int Rank, int Order, Func<Task> Send)>();
        foreach (var (p, order) in lines.Select((p, i) => (p, i)))
        {
            var code = CodeOf(p, p.NationalCode);
            var b = p.Birth!;
            facts.Add((Day(b.BirthDate), 0, order, async () => codes[code] = await As("registrar", b.OfficeCode!, "registrar").Born(new
            {
                b.GivenName, b.FamilyName, b.Sex, b.BirthDate, b.BirthPlace, b.OfficeCode, b.Evidence, b.BirthTime, b.MotherName, b.FatherName,
                motherNationalCode = p.Mother is null ? null : codes[CodeOf(p, p.Mother.NationalCode)],
                fatherNationalCode = p.Father is null ? null : codes[CodeOf(p, p.Father.NationalCode)],
            })));
            foreach (var fact in p.Events!)
                switch (fact)
                {
                    case LegacyMarriage m when CodeOf(p, m.HusbandNationalCode) == code:
                        facts.Add((Day(m.Date), 1, order, async () =>
                        {
                            var created = await As("registrar", m.OfficeCode!, "registrar").PostOk("/api/marriages", new
                            {
                                husbandNationalCode = codes[code], wifeNationalCode = codes[CodeOf(p, m.WifeNationalCode)], m.Date, m.Kind, m.OfficeCode,
                            });
                            ids[LegacyFormat.IdOf("marriage", m.LegacyId!)] = Guid.Parse(created.Str("marriageId"));
                        }));
                        break;
                    case LegacyDivorce d when p.Birth!.Sex == Vocabulary.Male:
                        facts.Add((Day(d.Date), 2, order, () => As("registrar", d.OfficeCode!, "registrar").PostOk("/api/divorces", new
                        {
                            marriageId = ids[LegacyFormat.IdOf("marriage", d.MarriageLegacyId!)], d.Date, d.Kind, d.OfficeCode, d.WaitingPeriodEnds,
                        })));
                        break;
                    case LegacyCorrection k:
                        facts.Add((Day(k.Date), 3, order, async () =>
                        {
                            var asked = await As("registrar", k.OfficeCode!, k.RequestedBy!).PostOk($"/api/persons/{codes[code]}/corrections",
                                new { k.Field, k.NewValue, k.Authority, k.DecisionReference, k.Reason });
                            var id = Guid.Parse(asked.Str("correctionId"));
                            ids[LegacyFormat.IdOf("correction", k.LegacyId!)] = id;
                            var supervisor = k.Outcome == LegacyCorrection.Pending ? null : As("supervisor", k.OfficeCode!, k.DecidedBy!);
                            if (k.Outcome == LegacyCorrection.Approved) await supervisor!.PostOk($"/api/corrections/{id}/approve", new { });
                            if (k.Outcome == LegacyCorrection.Rejected) await supervisor!.PostOk($"/api/corrections/{id}/reject", new { reason = k.RejectionReason });
                        }));
                        break;
                    case LegacyDeath d:
                        facts.Add((Day(d.Date), 5, order, () => As("registrar", d.OfficeCode!, "registrar").PostOk("/api/deaths", new
                        {
                            nationalCode = codes[code], d.Date, d.Place, d.OfficeCode, d.CausesIcd10, d.Certifier,
                        })));
                        break;
                }
        }
        foreach (var fact in facts.OrderBy(f => f.Date).ThenBy(f => f.Rank).ThenBy(f => f.Order)) await fact.Send();

        // Every record compared field by field, codes and ids put side by side; what legitimately differs is left out: the
        // instants of recording (the import keeps the legacy registry's days), who recorded (the import's user), the event ids
        // and request ids, and lateness (decided as of the legacy registry's day, where the commands run today).
        var (importedNames, issuedNames) = (new Dictionary<string, string>(), new Dictionary<string, string>());
        foreach (var ((imported, issued), i) in codes.Select((c, i) => (c, i))) (importedNames[imported], issuedNames[issued]) = ($"person-{i}", $"person-{i}");
        foreach (var ((imported, issued), i) in ids.Select((c, i) => (c, i))) (importedNames[imported.ToString()], issuedNames[issued.ToString()]) = ($"id-{i}", $"id-{i}");
        static string Canonical(object? document, Dictionary<string, string> names)
        {
            var json = JsonSerializer.Serialize(document);
            json = Code().Replace(json, m => names.GetValueOrDefault(m.Value, m.Value));
            json = Uuid().Replace(json, m => names.GetValueOrDefault(m.Value, m.Value));
            var node = JsonNode.Parse(json)!;
            Strip(node);
            return node.ToJsonString();
        }
        string Imported(object? document) => Canonical(document, importedNames);
        string Issued(object? document) => Canonical(document, issuedNames);
        await using var left = registry.Store.QuerySession();
        await using var right = commands.Store.QuerySession();
        foreach (var (imported, issued) in codes)
        {
            Imported(await left.LoadAsync<PersonSnapshot>(imported)).Should().Be(Issued(await right.LoadAsync<PersonSnapshot>(issued)), $"the snapshot of {imported}");
            Imported(await left.LoadAsync<PersonHistory>(imported)).Should().Be(Issued(await right.LoadAsync<PersonHistory>(issued)), $"the history of {imported}");
        }
        var marriages = await left.Query<MarriageRecord>().ToListAsync();
        marriages.Should().NotBeEmpty();
        foreach (var marriage in marriages)
            Imported(marriage).Should().Be(Issued(await right.LoadAsync<MarriageRecord>(ids[marriage.Id])));
        foreach (var correction in await left.Query<CorrectionCase>().ToListAsync())
            Imported(correction).Should().Be(Issued(await right.LoadAsync<CorrectionCase>(ids[correction.Id])));
        (await left.Query<CorrectionCase>().CountAsync()).Should().Be(await right.Query<CorrectionCase>().CountAsync());
        (await left.Query<MarriageRecord>().CountAsync()).Should().Be(await right.Query<MarriageRecord>().CountAsync());
    }

    private static readonly string[] Differ =
        ["LastChangedAt", "LateRegistration", "DeathRegisteredLate", "EventId", "RecordedAt", "RecordedBy", "CorrelationId", "CausationId", "RequestedAt", "DecidedAt"];

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in Differ) o.Remove(name);
                if (o["Summary"] is JsonValue summary) o["Summary"] = summary.GetValue<string>().Replace(" (late registration)", "");
                foreach (var (_, child) in o.ToList()) Strip(child);
                break;
            case JsonArray list:
                foreach (var child in list) Strip(child);
                break;
        }
    }

    private static DateOnly Day(string? date) => SolarHijri.TryParse(date, out var day) is null ? day : throw new FormatException(date);

    private static string Unstamped(string row) => Instant().Replace(row, "<instant>");

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")]
    private static partial Regex Instant();

    [GeneratedRegex(@"\b\d{10}\b")]
    private static partial Regex Code();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    [Fact]
    public async Task An_import_stopped_after_some_batches_and_run_again_gives_the_database_of_one_run_through()
    {
        var file = await Export(400, seed: 5, bad: 0.05);
        using var stop = new CancellationTokenSource();
        var first = await Import(registry, file, batch: 20, progress: p => { if (p.Batches == 3) stop.Cancel(); }, ct: stop.Token);
        first.Cancelled.Should().BeTrue();
        first.Persons.Should().BeInRange(1, 60);
        (await Scalar(registry, "select count(*) from {schema}.mt_streams")).Should().Be(first.Persons, "a batch commits whole or not at all");
        (await Scalar(registry, "select count(*) from {schema}.mt_events")).Should().Be(first.Events);

        var second = await Import(registry, file, batch: 20);
        second.Cancelled.Should().BeFalse();
        second.Skipped.Should().Be(first.Persons);
        await using var once = new RegistryFactory();
        await once.ResetAsync();
        var whole = await Import(once, file, batch: 20);
        (first.Persons + second.Persons).Should().Be(whole.Persons);
        (first.Events + second.Events).Should().Be(whole.Events);

        foreach (var query in new[]
        {
            "select stream_id, version, id, type, data::text, headers::text, user_name, correlation_id, mt_dotnet_type from {schema}.mt_events order by stream_id, version",
            "select stream_id, version, version = 1 and previous_hash = '' from {schema}.event_chain order by stream_id, version",
            "select id, version from {schema}.mt_streams order by id",
            "select id, data::text, mt_version from {schema}.mt_doc_personsnapshot order by id",
            "select id, data::text, mt_version from {schema}.mt_doc_personhistory order by id",
            "select id, data::text from {schema}.mt_doc_marriagerecord order by id",
            "select id, data::text from {schema}.mt_doc_correctioncase order by id",
            "select county, last_serial from {schema}.national_code_serials order by county",
        })
        {
            // The events are stamped when they are recorded, so only the instants (and the hashes that cover them) differ.
            var resumed = (await Rows(registry, query)).Select(Unstamped).ToList();
            resumed.Should().NotBeEmpty(query);
            resumed.Should().Equal((await Rows(once, query)).Select(Unstamped), query);
        }
        foreach (var target in new[] { registry, once })
            (await target.Services.GetRequiredService<DatabaseIntegrity>().VerifyAsync(target.Services.GetRequiredService<ECDsa>(), CancellationToken.None))
                .Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Refused_lines_are_reported_with_their_reasons_and_leave_nothing_behind()
    {
        var file = await Export(300, seed: 9, bad: 0.1);
        var report = Path.Combine(_directory, "refused.jsonl");
        var summary = await Import(registry, file, report: report);

        var refused = File.ReadLines(report).Select(l => JsonSerializer.Deserialize<RefusedLine>(l, LegacyFormat.Json)!).ToList();
        refused.Should().HaveCount((int)summary.Refused).And.HaveCountGreaterThan(20);
        refused.Should().OnlyContain(r => r.Line > 0 && r.Reasons.Count > 0 && r.Reasons.All(x => x.Code.Length > 0 && x.Message.Length > 0));
        refused.SelectMany(r => r.Reasons.Select(x => x.Code)).Distinct().Should().Contain(
            ["nationalCode.invalidChecksum", "nationalCode.invalidFormat", "death.beforeBirth", "office.unknown", "name.invalidCharacters", "line.invalidJson",
             "marriage.underMinimumAge"]);
        summary.Persons.Should().Be(summary.Lines - summary.Refused);

        var codes = refused.Select(r => r.NationalCode).OfType<string>().ToArray();
        (await Scalar(registry, "select count(*) from {schema}.mt_streams where id = any(@codes)", codes)).Should().Be(0);
        (await Scalar(registry, "select count(*) from {schema}.mt_events where headers->>'legacyId' = any(@codes)",
            refused.Select(r => r.LegacyId).OfType<string>().ToArray())).Should().Be(0);
        (await Scalar(registry, "select count(*) from {schema}.mt_streams")).Should().Be(summary.Persons);
        (await Scalar(registry, "select count(*) from {schema}.mt_events")).Should().Be(summary.Events);
        (await Scalar(registry, "select count(*) from {schema}.mt_doc_personsnapshot")).Should().Be(summary.Persons);
    }

    [Fact]
    public async Task The_chain_verifies_after_an_import_and_the_commands_work_on_imported_people()
    {
        var file = await Export(250, seed: 11);
        var summary = await Import(registry, file, batch: 40);
        var integrity = registry.Services.GetRequiredService<DatabaseIntegrity>();
        var key = registry.Services.GetRequiredService<ECDsa>();
        var report = await integrity.VerifyAsync(key, CancellationToken.None);
        report.Ok.Should().BeTrue(string.Join("; ", report.Problems.Select(p => p.Detail)));
        report.EventsChecked.Should().Be(summary.Events);
        (await Scalar(registry, "select count(*) from {schema}.event_chain")).Should().Be(summary.Events);

        // Two imported single adults marry through the service, and have a child: the code issued is none of the imported ones.
        await using var session = registry.Store.QuerySession();
        var singles = (await session.Query<PersonSnapshot>().Where(p => p.Alive && p.MaritalStatus == Vocabulary.Single).ToListAsync())
            .Where(p => p.BirthDate < new DateOnly(2000, 1, 1) && p.BirthDate > new DateOnly(1975, 1, 1)).ToList();
        var (husband, wife) = singles.Where(p => p.Sex == Vocabulary.Male)
            .SelectMany(h => singles.Where(w => w.Sex == Vocabulary.Female && w.MotherNationalCode != h.MotherNationalCode && w.FatherNationalCode != h.FatherNationalCode)
                .Select(w => (h, w)))
            .First();
        var office = husband.RegisteredAtOffice;
        var registrar = registry.As("registrar", office);
        await registrar.PostOk("/api/marriages", Marriage(husband.NationalCode, wife.NationalCode, "1403/01/10", office: office));
        var child = await registrar.Born(Birth("آرش", husband.FamilyName, "male", "1404/01/20", wife.NationalCode, husband.NationalCode, office));
        (await Scalar(registry, "select count(*) from {schema}.mt_events where stream_id = @code", child)).Should().Be(1);
        (await Scalar(registry, "select count(*) from {schema}.mt_events where stream_id = @code and headers ? 'importedFrom'", child)).Should().Be(0);
        (await registrar.Person(husband.NationalCode))["maritalStatus"]!.GetValue<string>().Should().Be(Vocabulary.Married);
        var events = await registry.EventsOf(wife.NationalCode);
        events[^1].Should().BeOfType<ChildBirthRecorded>();

        (await integrity.VerifyAsync(key, CancellationToken.None)).Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Codes_kept_as_numbers_are_padded_only_where_the_line_says_so()
    {
        var file = Path.Combine(_directory, "zeros.jsonl");
        var code = NationalCode.Issue("001", 4242)!;
        LegacyPerson Line(string legacyId, string? nationalCode, bool flagged) => new(legacyId, nationalCode,
            new LegacyBirth("مریم", "رضایی", "female", "1370/01/01", new("تهران", "تهران", "تهران"), "001", new("medicalCertificate", "MC-1"),
                MotherName: "زهرا", FatherName: "علی"), CodeStoredWithoutLeadingZeros: flagged);
        await File.WriteAllLinesAsync(file, [LegacyFormat.Write(Line("A", code.TrimStart('0'), flagged: false)), LegacyFormat.Write(Line("B", code.TrimStart('0'), flagged: true))]);
        var report = Path.Combine(_directory, "zeros.refused.jsonl");
        var summary = await Import(registry, file, report: report);
        summary.Persons.Should().Be(1);
        var refused = JsonSerializer.Deserialize<RefusedLine>(File.ReadLines(report).Single(), LegacyFormat.Json)!;
        refused.LegacyId.Should().Be("A");
        refused.Reasons.Single().Code.Should().Be("nationalCode.invalidFormat");
        (await Scalar(registry, "select count(*) from {schema}.mt_streams where id = @code", code)).Should().Be(1);
    }

    private static async Task<long> Scalar(RegistryFactory target, string sql, object? parameter = null)
    {
        await using var connection = new NpgsqlConnection(RegistryFactory.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", target.Schema), connection);
        if (parameter is not null) command.Parameters.AddWithValue(sql.Contains("@codes") ? "codes" : "code", parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<List<string>> Rows(RegistryFactory target, string sql)
    {
        await using var connection = new NpgsqlConnection(RegistryFactory.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", target.Schema), connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                byte[] bytes => Convert.ToHexString(bytes),
                DateTime t => t.ToString("O"),
                var v => v.ToString(),
            })));
        return rows;
    }
}
