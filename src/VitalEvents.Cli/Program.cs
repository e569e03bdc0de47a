using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Marten;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using VitalEvents.Api;
using VitalEvents.Cli;
using VitalEvents.Demo;
using VitalEvents.Documents;
using VitalEvents.Domain;
using VitalEvents.History;
using VitalEvents.Identity;
using VitalEvents.Integrity;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

var jsonOption = new Option<bool>("--json") { Description = "Print JSON instead of text." };
var root = new RootCommand("vitalevents: the national civil-status registry (event-sourced, on PostgreSQL).");

var serve = new Command("serve", "Serve the HTTP API (ASP.NET Core options such as --urls pass through).") { TreatUnmatchedTokensAsErrors = false };
serve.SetAction((result, ct) => ApiHost.Build([.. result.UnmatchedTokens]).RunAsync(ct));
root.Subcommands.Add(serve);

var roleOption = new Option<string[]>("--role", "-r") { Description = $"Role(s): {string.Join(", ", Roles.All)}.", Required = true, AllowMultipleArgumentsPerToken = true };
var officeOption = new Option<string?>("--office", "-o") { Description = "The office (county code) the user acts for, e.g. 001." };
var userOption = new Option<string?>("--user", "-u") { Description = "The user id (for a citizen, --national-code instead)." };
var nationalCodeOption = new Option<string?>("--national-code") { Description = "For citizens: their national code, the token's user." };
var agencyOption = new Option<string?>("--agency") { Description = "For verifiers: the id of the agency they verify for." };
var facilityOption = new Option<string?>("--facility") { Description = "For hospitals: the id of the facility they notify births from." };
var scopeOption = new Option<string?>("--scope") { Description = "For subscribers: the feed scope (full, health, pension, elections, statistics)." };
var hoursOption = new Option<int>("--hours") { Description = "Lifetime in hours.", DefaultValueFactory = _ => 8 };
var token = new Command("token", "Mint a development bearer token (Development environment only) signed with the local key; prints the token alone.")
{
    roleOption, officeOption, userOption, nationalCodeOption, agencyOption, facilityOption, scopeOption, hoursOption,
};
token.SetAction(result =>
{
    var roles = result.GetValue(roleOption)!;
    if (roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
    {
        Console.Error.WriteLine($"Unknown role '{unknown}'. Roles: {string.Join(", ", Roles.All)}.");
        return 2;
    }
    var office = result.GetValue(officeOption);
    if (office is not null && Offices.Find(office) is null)
    {
        Console.Error.WriteLine($"Unknown office '{office}'.");
        return 2;
    }
    var scope = result.GetValue(scopeOption);
    if (scope is not null && VitalEvents.Feeds.FeedScopes.Find(scope) is null)
    {
        Console.Error.WriteLine($"Unknown scope '{scope}'. Scopes: {string.Join(", ", VitalEvents.Feeds.FeedScopes.Names)}.");
        return 2;
    }
    var user = result.GetValue(userOption);
    if (result.GetValue(nationalCodeOption) is { } nationalCode)
    {
        if (user is not null)
        {
            Console.Error.WriteLine("Give --national-code or --user, not both.");
            return 2;
        }
        if (NationalCode.Validate(nationalCode, out var citizen) is { } codeError)
        {
            Console.Error.WriteLine($"--national-code is not a valid national code ({codeError}).");
            return 2;
        }
        user = citizen;
    }
    else if (roles.Contains(Roles.Citizen))
    {
        Console.Error.WriteLine("A citizen's token names their national code: --national-code.");
        return 2;
    }
    if (user is null || user.Length is 0 or > AuthSetup.MaxUserIdLength || !TextRules.IsAcceptable(user))
    {
        Console.Error.WriteLine($"--user is 1 to {AuthSetup.MaxUserIdLength} characters of text.");
        return 2;
    }
    var (agency, facility) = (result.GetValue(agencyOption), result.GetValue(facilityOption));
    foreach (var (option, value) in new[] { ("--agency", agency), ("--facility", facility) })
        if (value is not null && (value.Length is 0 or > 100 || !TextRules.IsAcceptable(value)))
        {
            Console.Error.WriteLine($"{option} is 1 to 100 characters of text.");
            return 2;
        }
    var hours = result.GetValue(hoursOption);
    if (hours is < 1 or > 24 * 30)
    {
        Console.Error.WriteLine("--hours is from 1 to 720.");
        return 2;
    }
    // The web host reads its environment from ASPNETCORE_ENVIRONMENT as well as DOTNET_ENVIRONMENT: a token is minted
    // only when neither names an environment other than Development.
    foreach (var variable in new[] { "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT" })
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } named && !string.Equals(named, Environments.Development, StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"Development tokens are off: {variable} is {named}. Outside Development, tokens come from the registry's OpenID Connect " +
                "authority (docs/auth.md).");
            return 2;
        }
    using var host = BuildHost(database: false);
    var environment = host.Services.GetRequiredService<IHostEnvironment>();
    var configuration = host.Services.GetRequiredService<IConfiguration>();
    AuthSettings auth;
    try
    {
        auth = AuthSettings.From(configuration, environment);
    }
    catch (InvalidOperationException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
    if (auth.Development != true)
    {
        Console.Error.WriteLine($"Development tokens are off in the {environment.EnvironmentName} environment: tokens come from the registry's OpenID Connect " +
            "authority (docs/auth.md). (Locally, the scripts run in Development.)");
        return 2;
    }
    var key = DevelopmentTokens.Key(DevelopmentTokens.KeyPath(configuration));
    Console.WriteLine(DevelopmentTokens.Mint(key, user, roles, office, TimeSpan.FromHours(hours), DateTimeOffset.UtcNow, scope, auth, agency, facility));
    return 0;
});
root.Subcommands.Add(token);

var db = new Command("db", "Database schema management.");
var apply = new Command("apply", "Create or update every table, function and index the registry needs.");
apply.SetAction(async (_, ct) =>
{
    using var host = BuildHost();
    await DatabaseSchema.ApplyAsync(host.Services.GetRequiredService<StoreSettings>(), ct);
    Console.Error.WriteLine("Schema is up to date.");
});
db.Subcommands.Add(apply);
root.Subcommands.Add(db);

var projectionOption = new Option<string[]>("--projection") { Description = "Rebuild only these projections (by name, e.g. statistics); every one when absent.", AllowMultipleArgumentsPerToken = true };
var rebuild = new Command("rebuild", "Rebuild every projection (identity snapshots, history, look-ups, statistics) from the events.") { projectionOption };
rebuild.SetAction(async (parse, ct) =>
{
    using var host = BuildHost();
    var store = host.Services.GetRequiredService<IDocumentStore>();
    var only = parse.GetValue(projectionOption) is { Length: > 0 } named ? named : null;
    var names = Rebuild.Projections(store).Select(p => p.Name).ToList();
    if (only?.FirstOrDefault(n => !names.Contains(n)) is { } unknown)
    {
        Console.Error.WriteLine($"There is no projection '{unknown}'. Projections: {string.Join(", ", names)}.");
        return 2;
    }
    await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new EventCountColumn(),
            new EventRateColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
        .StartAsync(async progress =>
        {
            var task = progress.AddTask("events replayed", maxValue: 1);
            await Rebuild.AllAsync(store, Rebuild.Reporter(p =>
            {
                task.MaxValue = Math.Max(1, p.Total);
                task.Value = p.Events;
            }), ct, only);
            task.Value = task.MaxValue;
        });
    Console.Error.WriteLine(only is null ? "Rebuilt every projection." : $"Rebuilt {string.Join(", ", only)}.");
    return 0;
});
root.Subcommands.Add(rebuild);

var check = new Command("check", "Recompute every identity snapshot and history from the events and list the stored ones that differ (exit 1 if any).")
{
    jsonOption,
};
check.SetAction(async (result, ct) =>
{
    using var host = BuildHost();
    var store = host.Services.GetRequiredService<IDocumentStore>();
    IReadOnlyList<ProjectionMismatch> mismatches = [];
    if (result.GetValue(jsonOption)) mismatches = await ProjectionCheck.RunAsync(store, null, ct);   // stdout is the JSON alone
    else
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("people checked");
                mismatches = await ProjectionCheck.RunAsync(store, (done, total) =>
                {
                    task.MaxValue = total;
                    task.Value = done;
                }, ct);
            });
    if (result.GetValue(jsonOption)) Console.WriteLine(JsonSerializer.Serialize(mismatches, Json));
    else
    {
        Console.WriteLine(mismatches.Count == 0 ? "No mismatches: every stored projection matches its events." : $"{mismatches.Count} mismatches (repair with `vitalevents rebuild`):");
        foreach (var m in mismatches) Console.WriteLine($"  {m.NationalCode}  {m.Projection}: {m.Detail}");
    }
    return mismatches.Count == 0 ? 0 : 1;
});
root.Subcommands.Add(check);

var codeArgument = new Argument<string>("nationalCode") { Description = "The person's 10-digit national code." };
var asOfOption = new Option<string?>("--as-of") { Description = "An instant (ISO 8601) or a date (ISO or Solar Hijri): the record as it was then." };
var purposeOption = new Option<string?>("--purpose") { Description = "Why you read it; kept in the access log with your name." };
var person = new Command("person", "Print a person's identity snapshot as JSON (the read is in the access log).") { codeArgument, asOfOption, purposeOption };
person.SetAction(async (result, ct) =>
{
    if (NationalCode.Validate(result.GetValue(codeArgument), out var code) is { } error) return Fail(error);
    DateTimeOffset? instant = null;
    if (result.GetValue(asOfOption) is { } asOf)
    {
        if (Instants.TryParse(asOf, out var parsed) is { } asOfError) return Fail(asOfError);
        instant = parsed;
    }
    using var host = BuildHost();
    var snapshot = await Read(host, result.GetValue(purposeOption), new GetPersonQuery(code, instant), ct);
    if (snapshot is null) return Fail($"No person {code} is registered{(instant is null ? "" : " at that instant")}.");
    Console.WriteLine(JsonSerializer.Serialize(snapshot, Json));
    return 0;
});
root.Subcommands.Add(person);

var history = new Command("history", "Print a person's audit history (the read is in the access log).") { codeArgument, jsonOption, purposeOption };
history.SetAction(async (result, ct) =>
{
    if (NationalCode.Validate(result.GetValue(codeArgument), out var code) is { } error) return Fail(error);
    using var host = BuildHost();
    if (await Read(host, result.GetValue(purposeOption), new GetHistoryQuery(code), ct) is not { } found) return Fail($"No person {code} is registered.");
    if (result.GetValue(jsonOption))
    {
        Console.WriteLine(JsonSerializer.Serialize(found, Json));
        return 0;
    }
    var table = new Table().AddColumns("v", "when (UTC)", "event", "by", "office", "what");
    foreach (var e in found.Entries)
        table.AddRow(e.Version.ToString(), e.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"), e.EventType, Markup.Escape(e.RecordedBy ?? ""),
            e.OfficeCode ?? "", Markup.Escape(e.Summary + (e.Reason is null ? "" : $" — {e.Reason}")));
    AnsiConsole.Write(table);
    if (found.Total > found.Entries.Count) Console.WriteLine($"… {found.Total - found.Entries.Count} more entries (--json for all is paged the same way).");
    return 0;
});
root.Subcommands.Add(history);

var offlineOption = new Option<string?>("--offline") { Description = "Verify an export file without a database." };
var keyOption = new Option<string?>("--public-key") { Description = "With --offline: a PEM file holding the registry's public key to trust (default: the key in the export)." };
var verify = new Command("verify", "Recompute every stream's hash chain and every signed checkpoint; exit 1 and name the first broken event if anything was changed.")
{
    offlineOption, keyOption, jsonOption,
};
verify.SetAction(async (result, ct) =>
{
    IntegrityReport report;
    if (result.GetValue(offlineOption) is { } file)
        report = IntegrityExport.Verify(file, result.GetValue(keyOption) is { } pem ? await File.ReadAllTextAsync(pem, ct) : null);
    else
    {
        using var host = BuildHost();
        report = await Read(host, null, new VerifyIntegrityQuery(), ct);
    }
    if (result.GetValue(jsonOption)) Console.WriteLine(JsonSerializer.Serialize(report, Json));
    else PrintReport(report);
    return report.Ok ? 0 : 1;
});
root.Subcommands.Add(verify);

var exportPath = new Argument<string>("file") { Description = "The export file to write (JSON Lines)." };
var export = new Command("export", "Write every event, chain link and signed checkpoint, with the public key, for offline verification.") { exportPath };
export.SetAction(async (result, ct) =>
{
    using var host = BuildHost();
    var events = await IntegrityExport.WriteAsync(host.Services.GetRequiredService<DatabaseIntegrity>(),
        host.Services.GetRequiredService<System.Security.Cryptography.ECDsa>(), result.GetValue(exportPath)!, DateTimeOffset.UtcNow, ct);
    Console.Error.WriteLine($"Exported {events} events to {result.GetValue(exportPath)}.");
});
root.Subcommands.Add(export);

var checkpoint = new Command("checkpoint", "Sign a checkpoint over the events recorded since the last one.");
checkpoint.SetAction(async (_, ct) =>
{
    using var host = BuildHost();
    var signed = await host.Services.GetRequiredService<DatabaseIntegrity>()
        .CheckpointAsync(host.Services.GetRequiredService<System.Security.Cryptography.ECDsa>(), TimeSpan.Zero, ct);
    Console.Error.WriteLine(signed is null ? "Nothing new to sign." : $"Checkpoint {signed.Id} signed over {signed.EventCount} events up to sequence {signed.UpToSeq}.");
});
root.Subcommands.Add(checkpoint);

var publicKey = new Command("public-key", "Print the public key that verifies checkpoint signatures (PEM).");
publicKey.SetAction(_ =>
{
    using var host = BuildHost();
    Console.Write(RegistryKey.PublicPem(host.Services.GetRequiredService<System.Security.Cryptography.ECDsa>()));
});
root.Subcommands.Add(publicKey);

var keys = new Command("keys", "The documents' signing keys (separate from the checkpoint key).");
var keysList = new Command("list", "Print the public key list (a JSON Web Key Set), as /.well-known/document-keys serves it: keep a copy to verify offline.");
keysList.SetAction(_ =>
{
    using var host = BuildHost(database: false);
    Console.WriteLine(DocumentKeyList.Serialize(DocumentKeys(host).Keys()));
});
var keysRotate = new Command("rotate", "Make a new key the one that signs documents; the one before is retired and still verifies what it signed until its end.");
keysRotate.SetAction(_ =>
{
    using var host = BuildHost(database: false);
    var store = DocumentKeys(host);
    var previous = store.Keys().FirstOrDefault(k => k.SignsUntil is null);
    var fresh = store.Rotate(DateTimeOffset.UtcNow);
    Console.Error.WriteLine(previous is null ? $"Key {fresh.KeyId} made; it signs documents from now."
        : $"Key {fresh.KeyId} signs documents from now; {previous.KeyId} is retired and verifies until {store.Keys().First(k => k.KeyId == previous.KeyId).VerifiesUntil:yyyy-MM-dd}.");
});
keys.Subcommands.Add(keysList);
keys.Subcommands.Add(keysRotate);
root.Subcommands.Add(keys);

var documentArgument = new Argument<string>("document") { Description = "The QR code's text (VE1:…), or a file holding it or a document's PDF." };
var keysFileOption = new Option<string?>("--keys") { Description = "A copy of the key list (JWKS) to trust (default: this installation's keys)." };
var verifyDocument = new Command("verify-document", "Check a document's signature offline: exit 0 when the registry signed it (with the fields it prints), 1 when not.")
{
    documentArgument, keysFileOption, jsonOption,
};
verifyDocument.SetAction(async (result, ct) =>
{
    var argument = result.GetValue(documentArgument)!;
    string? payload;
    try
    {
        payload = File.Exists(argument) ? DocumentVerifier.PayloadIn(await File.ReadAllBytesAsync(argument, ct)) : argument.Trim('\r', '\n', '\t');
    }
    catch (IOException e)
    {
        return Usage($"Cannot read {argument}: {e.Message}");
    }
    if (payload is null) return Usage($"{argument} holds no document payload (VE1:…).");
    IReadOnlyList<DocumentPublicKey> trusted;
    if (result.GetValue(keysFileOption) is { } keysFile)
    {
        try
        {
            trusted = DocumentKeyList.FromJwks(await File.ReadAllTextAsync(keysFile, ct));
        }
        catch (Exception e) when (e is IOException or FormatException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return Usage($"{keysFile} is not a key list (JWKS): {e.Message}");
        }
    }
    else
    {
        using var host = BuildHost(database: false);
        trusted = DocumentKeys(host).Keys();
    }
    var (reading, problem) = DocumentVerifier.Check(payload, trusted, DateTimeOffset.UtcNow);
    var claims = reading.SignatureValid ? reading.Claims : null;
    if (result.GetValue(jsonOption))
        Console.WriteLine(JsonSerializer.Serialize(new { signatureValid = claims is not null, problem, keyId = reading.KeyId, claims }, Json));
    else if (claims is null) Console.WriteLine($"NOT VALID: {problem}");
    else
    {
        Console.WriteLine($"VALID: {claims.Kind} {claims.DocumentId}, issued {claims.IssuedAt:yyyy-MM-dd HH:mm}Z by {claims.Issuer}, signed with key {reading.KeyId}.");
        foreach (var (name, value) in claims.Fields) Console.WriteLine($"  {name,-32} {value}");
        Console.WriteLine($"Whether it is still in force (not superseded or revoked) is online: GET /api/documents/{claims.DocumentId}/status.");
    }
    return claims is null ? 1 : 0;
});
root.Subcommands.Add(verifyDocument);

var seed = new Command("seed", "Seed the demo families when the registry is empty.");
seed.SetAction(async (_, ct) =>
{
    using var host = BuildHost();
    var seeded = await new DemoData(host.Services).SeedAsync(ct);
    Console.Error.WriteLine(seeded == 0 ? "The registry already has people; nothing seeded." : $"Seeded {seeded} people.");
});
root.Subcommands.Add(seed);

var legacyPersons = new Option<int>("--persons") { Description = "How many people (lines) to write.", Required = true };
var legacyOut = new Option<string>("--out") { Description = "The JSON Lines file to write.", Required = true };
var legacySeed = new Option<int>("--seed") { Description = "The same seed gives the same file.", DefaultValueFactory = _ => 1 };
var legacyBad = new Option<double>("--bad") { Description = "The share of deliberately wrong lines (0 to 1), for the refusal report.", DefaultValueFactory = _ => 0 };
var generateLegacy = new Command("generate-legacy", "Write a synthetic legacy-registry export (docs/legacy-import.md): families over generations, Persian names, valid codes.")
{
    legacyPersons, legacyOut, legacySeed, legacyBad,
};
generateLegacy.SetAction(async (result, ct) =>
{
    if (result.GetValue(legacyPersons) is var count && count < 1) return Usage("--persons must be at least 1.");
    if (result.GetValue(legacyBad) is var share && share is < 0 or >= 1) return Usage("--bad is a share from 0 to below 1.");
    await using var writer = new StreamWriter(result.GetValue(legacyOut)!, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
    var (lines, bad) = await VitalEvents.Import.LegacyGenerator.WriteAsync(writer, new VitalEvents.Import.GeneratorOptions(count, result.GetValue(legacySeed), share), ct);
    Console.Error.WriteLine($"Wrote {lines:N0} people ({bad:N0} deliberately wrong) to {result.GetValue(legacyOut)}.");
    return 0;
});
root.Subcommands.Add(generateLegacy);

var importFile = new Argument<string>("file") { Description = "The legacy export to import (JSON Lines, docs/legacy-import.md)." };
var importBatch = new Option<int>("--batch") { Description = "People per transaction.", DefaultValueFactory = _ => 2000 };
var importReport = new Option<string?>("--report") { Description = "Where to write the refused lines with their reasons (JSON Lines); default FILE.refused.jsonl." };
var import = new Command("import", "Import a legacy-registry export: validated by the registry's rules, written in bulk with its hash chain and projections, resumable.")
{
    importFile, importBatch, importReport,
};
import.SetAction(async (result, ct) =>
{
    var file = result.GetValue(importFile)!;
    if (!File.Exists(file)) return Fail($"No file {file}.");
    if (result.GetValue(importBatch) is var batch && batch < 1) return Usage("--batch must be at least 1.");
    var report = result.GetValue(importReport) ?? file + ".refused.jsonl";
    using var host = BuildHost();
    var settings = host.Services.GetRequiredService<StoreSettings>();
    await DatabaseSchema.ApplyAsync(settings, ct);
    using var owner = DatabaseSchema.OwnerStore(settings);
    var importer = new VitalEvents.Import.LegacyImporter(owner, settings.Owner);
    var options = new VitalEvents.Import.ImportOptions(batch, report, Path.GetFileName(file), $"import:{Environment.UserName}");
    VitalEvents.Import.ImportSummary summary = null!;
    var started = System.Diagnostics.Stopwatch.GetTimestamp();
    await AnsiConsole.Progress().AutoClear(false)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
        .StartAsync(async progress =>
        {
            var task = progress.AddTask("importing", maxValue: Math.Max(1, new FileInfo(file).Length));
            summary = await importer.RunAsync(file, options, p =>
            {
                var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
                task.Value = p.BytesRead;
                task.Description = $"{p.Persons:N0} people, {p.Events:N0} events, {p.Refused:N0} refused, {p.Skipped:N0} already there; {p.Events / Math.Max(seconds, 0.001):N0} events/s";
            }, ct);
            task.Value = task.MaxValue;
        });
    var phases = summary.Phases;
    Console.WriteLine($"{(summary.Cancelled ? "Stopped (re-run to resume)" : "Imported")}: {summary.Persons:N0} people, {summary.Events:N0} events in {summary.Batches:N0} batches; " +
        $"{summary.Refused:N0} refused (see {report}), {summary.Skipped:N0} already imported; {summary.Elapsed.TotalSeconds:N1} s, {summary.EventsPerSecond:N0} events/s, " +
        $"peak RSS {summary.PeakRssBytes / 1048576.0:N0} MiB.");
    Console.WriteLine($"Time per phase: reading, deciding and serialising {phases.Decide.TotalSeconds:N1} s (beside the writes), events {phases.Events.TotalSeconds:N1} s, chain {phases.Chain.TotalSeconds:N1} s, " +
        $"documents {phases.Documents.TotalSeconds:N1} s, commit {phases.Commit.TotalSeconds:N1} s.");
    return summary.Cancelled ? 130 : 0;
});
root.Subcommands.Add(import);

return await root.Parse(args).InvokeAsync();

static IHost BuildHost(bool database = true)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["VitalEvents:Integrity:CheckpointSeconds"] = "0", ["VitalEvents:Statistics:Daemon"] = "false" });
    if (database)
    {
        var settings = ApiHost.Settings(builder.Configuration, builder.Environment) with { ApplySchemaOnStart = false };
        builder.Services.AddVitalEvents(builder.Configuration, settings, ApiHost.Law(builder.Configuration));
        builder.Services.AddCommandLineTelemetry(builder.Configuration);
    }
    var host = builder.Build();
    host.Services.StartCommandLineTelemetry();
    return host;
}

// Runs a read as the operator at the terminal, through the same query (and access log) as the HTTP API.
static async Task<T> Read<T>(IHost host, string? purpose, IQuery<T> query, CancellationToken ct)
{
    await using var scope = host.Services.CreateAsyncScope();
    var context = scope.ServiceProvider.GetRequiredService<RequestContext>();
    (context.UserId, context.Roles, context.Purpose) = ($"cli:{Environment.UserName}", new HashSet<string> { "operator" }, purpose);
    return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query, ct);
}

static void PrintReport(IntegrityReport report)
{
    Console.WriteLine($"{(report.Ok ? "OK" : "BROKEN")}: {report.EventsChecked} events in {report.StreamsChecked} streams, {report.CheckpointsChecked} signed checkpoints (key {report.KeyId}); {report.EventsAfterLastCheckpoint} events after the last checkpoint.");
    if (report.FirstBroken is { } first)
        Console.WriteLine($"First broken: {first.StreamId} version {first.Version} (sequence {first.Seq}): {first.Kind}: {first.Detail}");
    foreach (var problem in report.Problems)
        Console.WriteLine($"  {problem.Kind,-28} {problem.StreamId,-12} v{problem.Version,-4} seq {problem.Seq,-8} {problem.Detail}");
}

static IDocumentKeyStore DocumentKeys(IHost host) =>
    new FileDocumentKeyStore(DocumentSettings.From(host.Services.GetRequiredService<IConfiguration>()), TimeProvider.System);

static int Usage(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 1;
}

internal static partial class Program
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
