using System.CommandLine;
using VitalEvents.Bench;

static Option<string> SchemaOption(string name) =>
    new("--schema") { Description = "A schema of the benchmark's own (bench_…): dropped and recreated at the start, dropped at the end.", DefaultValueFactory = _ => name };

static Option<int> RoundsOption(string what, int rounds) =>
    new("--rounds") { Description = $"Timed runs of {what}, alternating with the baseline's; the median is reported.", DefaultValueFactory = _ => rounds };

var eventsOption = new Option<long>("--events") { Description = "Synthetic events to load.", DefaultValueFactory = _ => 1_000_000 };
var streamsOption = new Option<long?>("--streams") { Description = "Person streams the events are spread over (default: events / 4)." };

SyntheticEvents Synthetic(ParseResult result, Option<string> schema, IReadOnlyList<string> offices)
{
    var events = result.GetValue(eventsOption);
    return new SyntheticEvents(BenchDatabase.FromEnvironment(result.GetValue(schema)!), events, result.GetValue(streamsOption) ?? Math.Max(1, events / 4), offices);
}

var verifySchema = SchemaOption("bench_verify");
var verifyRounds = RoundsOption("each read measure", 5);
var loadRoundsOption = new Option<int>("--load-rounds") { Description = "Timed loads with and without the chain trigger, alternating; the median is reported.", DefaultValueFactory = _ => 3 };
var verify = new Command("verify", "Time `verify` (every hash chain and checkpoint) against a plain read of the same events, and the chain trigger's cost at write time.")
{
    eventsOption, streamsOption, verifyRounds, loadRoundsOption, verifySchema,
};
verify.SetAction((result, ct) => VerifyBenchmark.RunAsync(
    new VerifyBenchmark.Options(Synthetic(result, verifySchema, SyntheticEvents.NumberedOffices(640)), result.GetValue(verifyRounds), result.GetValue(loadRoundsOption)), ct));

var feedSchema = SchemaOption("bench_feed");
var feedRounds = RoundsOption("each read of the feed", 5);
var pageOption = new Option<int>("--page") { Description = "Events per feed page (GET /api/feed allows up to 1000).", DefaultValueFactory = _ => 1000 };
var feedExisting = new Option<string?>("--existing") { Description = "Catch up through the feed of this schema as it is (an imported registry, say) instead of synthetic events; nothing is dropped, and there is no warm-up." };
var feed = new Command("feed", "Time catching up through the whole feed (FeedReader pages mapped to CloudEvents JSON) against a plain read of the same rows in sequence order.")
{
    eventsOption, streamsOption, feedRounds, pageOption, feedSchema, feedExisting,
};
feed.SetAction((result, ct) => FeedBenchmark.RunAsync(
    new FeedBenchmark.Options(Synthetic(result, feedSchema, SyntheticEvents.RegistryOffices), result.GetValue(feedRounds), result.GetValue(pageOption),
        result.GetValue(feedExisting) is { } existing ? BenchDatabase.Existing(existing) : null), ct));

var webhookSchema = SchemaOption("bench_webhook");
var webhookRounds = RoundsOption("births (and direct POSTs, and backlog redeliveries)", 5);
var birthsOption = new Option<int>("--births") { Description = "Births registered and delivered, split evenly over the rounds.", DefaultValueFactory = _ => 500 };
var warmUpOption = new Option<int>("--warm-up") { Description = "A first round of this many births back-to-back, direct POSTs and births spaced, not counted (the code is compiled and tiered up meanwhile).", DefaultValueFactory = _ => 100 };
var pollOption = new Option<TimeSpan>("--poll") { Description = "The webhook worker's poll interval (VitalEvents:Webhooks:PollInterval); it bounds the latency.", DefaultValueFactory = _ => TimeSpan.FromMilliseconds(50) };
var webhook = new Command("webhook", "Commit-to-webhook latency and delivery throughput of the service in process, against direct POSTs to the same receiver.")
{
    birthsOption, webhookRounds, warmUpOption, pollOption, webhookSchema,
};
webhook.SetAction((result, ct) => WebhookBenchmark.RunAsync(
    new WebhookBenchmark.Options(BenchDatabase.FromEnvironment(result.GetValue(webhookSchema)!), result.GetValue(birthsOption), result.GetValue(webhookRounds),
        result.GetValue(warmUpOption), result.GetValue(pollOption)), ct));

var consoleSchema = SchemaOption("bench_console");
var personsOption = new Option<int>("--persons") { Description = "People loaded (synthetic births, projected by the rebuild) before the pages are timed.", DefaultValueFactory = _ => 100_000 };
var requestsOption = new Option<int>("--requests") { Description = "Timed requests of each page and of each baseline.", DefaultValueFactory = _ => 400 };
var consoleRounds = RoundsOption("each page and its baseline (requests split evenly)", 4);
var consolePages = new Command("console", "Time the web console's pages (person, 50-event timeline, search, correction queue, observatory) against the API reads they show, p50 and p95.")
{
    personsOption, requestsOption, consoleRounds, consoleSchema,
};
consolePages.SetAction((result, ct) => ConsoleBenchmark.RunAsync(
    new ConsoleBenchmark.Options(BenchDatabase.FromEnvironment(result.GetValue(consoleSchema)!), result.GetValue(personsOption), result.GetValue(requestsOption),
        result.GetValue(consoleRounds)), ct));

var verificationsSchema = SchemaOption("bench_verifications");
var verifiedPersonsOption = new Option<int>("--persons") { Description = "People loaded (synthetic births, projected by the rebuild) before verifications are timed.", DefaultValueFactory = _ => 20_000 };
var durationOption = new Option<int>("--seconds") { Description = "Timed seconds of each measure at each concurrency (split over two rounds, alternating with the baseline).", DefaultValueFactory = _ => 10 };
var connectionsOption = new Option<int[]>("--connections") { Description = "Concurrent connections (one request at a time on each).", DefaultValueFactory = _ => [16, 64], AllowMultipleArgumentsPerToken = true };
var verifications = new Command("verifications", "Identity verifications over HTTP (access log on) against a plain indexed lookup of the same rows at the same concurrency, and a batch of 10,000 rows.")
{
    verifiedPersonsOption, durationOption, connectionsOption, verificationsSchema,
};
verifications.SetAction((result, ct) => VerificationBenchmark.RunAsync(
    new VerificationBenchmark.Options(BenchDatabase.FromEnvironment(result.GetValue(verificationsSchema)!), result.GetValue(verifiedPersonsOption),
        TimeSpan.FromSeconds(result.GetValue(durationOption)), result.GetValue(connectionsOption)!), ct));

var notificationsSchema = SchemaOption("bench_notifications");
var notifiedPersonsOption = new Option<int>("--persons") { Description = "People loaded (synthetic births, projected by the rebuild); the women among them are the mothers.", DefaultValueFactory = _ => 40_000 };
var notificationSeconds = new Option<int>("--seconds") { Description = "Timed seconds of each measure (split over two rounds, alternating with the baseline).", DefaultValueFactory = _ => 10 };
var notificationConnections = new Option<int>("--connections") { Description = "Concurrent connections (one request at a time on each).", DefaultValueFactory = _ => 16 };
var pairsOption = new Option<int>("--pairs") { Description = "End-to-end measures (notification and confirmation) and office registrations, one at a time.", DefaultValueFactory = _ => 200 };
var notifications = new Command("notifications", "Birth notifications over HTTP (JSON and FHIR) against plain Marten appending the same event in process, and notification-to-code time against an office registration.")
{
    notifiedPersonsOption, notificationSeconds, notificationConnections, pairsOption, notificationsSchema,
};
notifications.SetAction((result, ct) => NotificationBenchmark.RunAsync(
    new NotificationBenchmark.Options(BenchDatabase.FromEnvironment(result.GetValue(notificationsSchema)!), result.GetValue(notifiedPersonsOption),
        TimeSpan.FromSeconds(result.GetValue(notificationSeconds)), result.GetValue(notificationConnections), result.GetValue(pairsOption)), ct));

var documentsSchema = SchemaOption("bench_documents");
var documentPersonsOption = new Option<int>("--persons") { Description = "People loaded (synthetic births, projected by the rebuild) to issue documents for.", DefaultValueFactory = _ => 20_000 };
var documentSeconds = new Option<int>("--seconds") { Description = "Timed seconds of each measure (split over two rounds, alternating with the baseline).", DefaultValueFactory = _ => 10 };
var documentConnections = new Option<int>("--connections") { Description = "Concurrent connections (one request at a time on each).", DefaultValueFactory = _ => 16 };
var documents = new Command("documents", "Documents issued over HTTP (JSON, and JSON then PDF) against plain Marten appending the same event, PDFs served against JSON, and offline verifications against bare ECDSA.")
{
    documentPersonsOption, documentSeconds, documentConnections, documentsSchema,
};
documents.SetAction((result, ct) => DocumentBenchmark.RunAsync(
    new DocumentBenchmark.Options(BenchDatabase.FromEnvironment(result.GetValue(documentsSchema)!), result.GetValue(documentPersonsOption),
        TimeSpan.FromSeconds(result.GetValue(documentSeconds)), result.GetValue(documentConnections)), ct));

var httpSchema = SchemaOption("bench_http");
var httpPersons = new Option<int>("--persons") { Description = "People loaded (synthetic births, projected by the rebuild): the writes' mothers, spouses, deceased and corrected, the reads' subjects.", DefaultValueFactory = _ => 50_000 };
var httpSeconds = new Option<int>("--seconds") { Description = "Timed seconds of each measure in each round.", DefaultValueFactory = _ => 3 };
var httpConnections = new Option<int>("--connections") { Description = "Concurrent connections (one request at a time on each), for the baselines too.", DefaultValueFactory = _ => 16 };
var httpRounds = RoundsOption("every measure (the baselines' and the service's), in alternating order", 2);
var httpExisting = new Option<string?>("--existing") { Description = "Measure on this schema as it is (an imported registry, say) instead of loading synthetic births: nothing is dropped, the measures' writes stay, and only living single people aged 20 to 40, without children or a correction under way, are written about. For a scratch copy: the baseline's events and the run's checkpoints stay too." };
var httpOnly = new Option<string?>("--only") { Description = "Only the measures whose name contains this text, and their baselines (to profile one path for longer)." };
var http = new Command("http", "The service's writes and reads over HTTP (births, marriages, deaths, corrections, snapshots, history, search, verifications, feed) against plain Marten starting a stream with an inline projection, LoadAsync and a raw indexed select, at the same concurrency.")
{
    httpPersons, httpSeconds, httpConnections, httpRounds, httpSchema, httpExisting, httpOnly,
};
http.SetAction((result, ct) => HttpBenchmark.RunAsync(
    new HttpBenchmark.Options(result.GetValue(httpExisting) is { } existing ? BenchDatabase.Existing(existing) : BenchDatabase.FromEnvironment(result.GetValue(httpSchema)!),
        result.GetValue(httpPersons), TimeSpan.FromSeconds(result.GetValue(httpSeconds)), result.GetValue(httpConnections), result.GetValue(httpRounds),
        result.GetValue(httpExisting) is not null, result.GetValue(httpOnly)), ct));

var importSchema = SchemaOption("bench_import");
var importPersons = new Option<int>("--persons") { Description = "People in the generated export (about 4 events each).", DefaultValueFactory = _ => 250_000 };
var importBatch = new Option<int>("--batch") { Description = "People per import transaction.", DefaultValueFactory = _ => 2000 };
var importBad = new Option<double>("--bad") { Description = "The share of deliberately wrong lines in the export.", DefaultValueFactory = _ => 0.01 };
var importVerify = new Option<bool>("--verify") { Description = "Run verify over the imported chain afterwards (not part of the ratio).", DefaultValueFactory = _ => true };
var import = new Command("import", "The legacy import of a generated export to queryable projections, against a plain binary COPY of the same event rows.")
{
    importPersons, importBatch, importBad, importVerify, importSchema,
};
import.SetAction((result, ct) => ImportBenchmark.RunAsync(
    new ImportBenchmark.Options(BenchDatabase.FromEnvironment(result.GetValue(importSchema)!), result.GetValue(importPersons), result.GetValue(importBatch),
        result.GetValue(importBad), result.GetValue(importVerify)), ct));

var rebuildSchema = SchemaOption("bench_rebuild");
var rebuildRounds = RoundsOption("the rebuild", 3);
var rebuild = new Command("rebuild", "Time Rebuild.AllAsync (every stored projection) against a plain streamed read of the same events and plain Marten rebuilding one trivial projection.")
{
    eventsOption, streamsOption, rebuildRounds, rebuildSchema,
};
rebuild.SetAction((result, ct) => RebuildBenchmark.RunAsync(
    new RebuildBenchmark.Options(Synthetic(result, rebuildSchema, SyntheticEvents.RegistryOffices), result.GetValue(rebuildRounds)), ct));

var settleOption = new Option<int>("--settle") { Description = "Seconds of load after each fault has been recovered from, before the next.", DefaultValueFactory = _ => 5 };
var commitOption = new Option<int>("--commit-seconds") { Description = "Seconds of births under each synchronous_commit setting (local, on, remote_apply), before the faults; 0 skips it.", DefaultValueFactory = _ => 40 };
var faults = new Command("faults", "The fault suite against scripts/cluster.sh's topology (bench.sh faults brings it up): an instance, a NATS node and the primary killed, a standby lagging, under births and read-your-writes searches; then the background work checked.")
{
    settleOption, commitOption,
};
faults.SetAction((result, ct) =>
{
    static string Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : throw new InvalidOperationException($"{name} is not set: run scripts/bench.sh faults");
    return FaultsBenchmark.RunAsync(new FaultsBenchmark.Options(new Uri(Env("VITALEVENTS_CLUSTER_URL")),
        Path.Combine(Env("VITALEVENTS_DATA"), "jwt-signing-key.pem"), Env("VITALEVENTS_DB"), Env("VITALEVENTS_OWNER_DB"), Env("VITALEVENTS_READ_DB"),
        Env("VITALEVENTS_NATS_URL"), Env("VITALEVENTS_CLUSTER_SCRIPT"), Env("VITALEVENTS_CLI_DLL"), TimeSpan.FromSeconds(result.GetValue(settleOption)),
        TimeSpan.FromSeconds(result.GetValue(commitOption))), ct);
});

var root = new RootCommand("VitalEvents benchmarks. Every figure is a ratio against a baseline measured in the same run (DESIGN.md, \"Measuring\").") { verify, feed, webhook, consolePages, verifications, notifications, documents, http, import, rebuild, faults };
return await root.Parse(args).InvokeAsync();
