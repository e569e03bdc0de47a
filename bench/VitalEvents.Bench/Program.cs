using System.CommandLine;
using VitalEvents.Bench;
using VitalEvents.Storage;

var eventsOption = new Option<long>("--events") { Description = "Events to load and verify.", DefaultValueFactory = _ => 1_000_000 };
var streamsOption = new Option<long?>("--streams") { Description = "Person streams the events are spread over (default: events / 4)." };
var roundsOption = new Option<int>("--rounds") { Description = "Timed runs of each read measure, alternating; the median is reported.", DefaultValueFactory = _ => 5 };
var loadRoundsOption = new Option<int>("--load-rounds") { Description = "Timed loads with and without the chain trigger, alternating; the median is reported.", DefaultValueFactory = _ => 3 };
var schemaOption = new Option<string>("--schema") { Description = "A schema of the benchmark's own: dropped and recreated at the start, dropped at the end.", DefaultValueFactory = _ => "bench_verify" };

var verify = new Command("verify", "Time `verify` (every hash chain and checkpoint) against a plain read of the same events, and the chain trigger's cost at write time.")
{
    eventsOption, streamsOption, roundsOption, loadRoundsOption, schemaOption,
};
verify.SetAction(async (result, ct) =>
{
    var events = result.GetValue(eventsOption);
    var options = new VerifyBenchmark.Options(
        events, result.GetValue(streamsOption) ?? Math.Max(1, events / 4), result.GetValue(roundsOption), result.GetValue(loadRoundsOption),
        result.GetValue(schemaOption)!,
        Environment.GetEnvironmentVariable("VITALEVENTS_DB") ?? StoreSetup.LocalConnectionString,
        Environment.GetEnvironmentVariable("VITALEVENTS_OWNER_DB") ?? StoreSetup.LocalOwnerConnectionString);
    return await VerifyBenchmark.RunAsync(options, ct);
});

var root = new RootCommand("VitalEvents benchmarks. Every figure is a ratio against a baseline measured in the same run (DESIGN.md, \"Measuring\").") { verify };
return await root.Parse(args).InvokeAsync();
