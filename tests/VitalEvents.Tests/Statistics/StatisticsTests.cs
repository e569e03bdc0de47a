using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Import;
using VitalEvents.Storage;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Statistics;

/// <summary>
/// The statistics against a recount in SQL over the events themselves, on a generated legacy registry with commands on top; with two
/// service instances running the daemon; through a rebuild; and the lag the status reports.
/// </summary>
public sealed class StatisticsTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> WithDaemon = new() { ["VitalEvents:Statistics:Daemon"] = "true" };
    private readonly string _directory = Directory.CreateTempSubdirectory("vitalevents-statistics-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A generated legacy export of some hundred people imported, then births, a late birth, a foetal death, corrections of sex and birth date, a marriage, a divorce and deaths through HTTP.</summary>
    private async Task ArrangeAsync(RegistryFactory registry, int seed)
    {
        var path = Path.Combine(_directory, $"export-{seed}.jsonl");
        await using (var writer = new StreamWriter(path))
            await LegacyGenerator.WriteAsync(writer, new GeneratorOptions(300, seed, 0, VillageSize: 120), CancellationToken.None);
        _ = registry.Services;
        using (var owner = DatabaseSchema.OwnerStore(new StoreSettings(RegistryFactory.ConnectionString, registry.Schema, false, RegistryFactory.OwnerConnectionString)))
            await new LegacyImporter(owner, RegistryFactory.OwnerConnectionString)
                .RunAsync(path, new ImportOptions(50, null, "test-export", "import:test"), null, CancellationToken.None);

        var registrar = registry.As("registrar");
        var supervisor = registry.As("supervisor");
        var mother = await registrar.Born(Birth("مریم", "کریمی", "female", "1375/05/05"));
        var father = await registrar.Born(Birth("رضا", "کریمی", "male", "1372/02/02"));
        await registrar.PostOk("/api/marriages", Marriage(father, mother, "1398/01/10"));
        var first = await registrar.Born(Birth("سارا", "کریمی", "female", "1399/03/03", mother, father));
        await registrar.Born(Birth("نیما", "کریمی", "male", "1403/01/01", mother, father));       // registered late
        await registrar.Born(Birth("تینا", "کریمی", "female", "1404/08/01", mother, father, multipleBirthOrder: 1));
        await registrar.Born(Birth("مینا", "کریمی", "female", "1404/08/01", mother, father, multipleBirthOrder: 2));
        await registrar.PostOk("/api/foetal-deaths", new
        {
            motherNationalCode = mother, date = "1404/02/01", gestationWeeks = 30, sex = "male",
            place = new { province = "تهران", county = "تهران", city = "تهران" }, causeIcd10 = "P95", certifier = "Dr. Ahmadi",
            fatherNationalCode = father, officeCode = "001",
        });
        var fixSex = (await registrar.PostOk($"/api/persons/{first}/corrections", Correction("sex", "male"))).Str("correctionId");
        await supervisor.PostOk($"/api/corrections/{fixSex}/approve", new { });
        var fixDate = (await registrar.PostOk($"/api/persons/{father}/corrections", Correction("birthDate", "1370/02/02", "court"))).Str("correctionId");
        await supervisor.PostOk($"/api/corrections/{fixDate}/approve", new { });
        var (husband, wife) = (await registrar.Born(Birth("کاوه", "نادری", "male", "1360/01/01")), await registrar.Born(Birth("نگار", "نادری", "female", "1362/01/01")));
        var marriage = (await registrar.PostOk("/api/marriages", Marriage(husband, wife, "1385/01/01"))).Str("marriageId");
        await registrar.PostOk("/api/divorces", new { marriageId = marriage, date = "1403/01/01", kind = "irrevocable", officeCode = "001" });
        await registrar.PostOk("/api/deaths", Death(husband, "1404/02/01"));
        await registry.As("registrar", "002").PostOk("/api/deaths", Death(first, "1404/03/01", office: "002"));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(5)]
    [InlineData(29)]
    public async Task Every_statistic_equals_a_recount_in_SQL_over_the_events_and_a_rebuild_gives_the_same_tables(int seed)
    {
        await using var registry = new RegistryFactory(WithDaemon);
        await ArrangeAsync(registry, seed);
        await CaughtUpAsync(registry);

        var counts = await StatisticsRecount.StoredCountsAsync(registry.Schema);
        var population = await StatisticsRecount.StoredPopulationAsync(registry.Schema);
        counts.Should().HaveCountGreaterThan(500, "the generated registry spans generations, offices and every kind of event");
        var recount = await StatisticsRecount.CountsAsync(registry.Schema);
        counts.Except(recount).Should().BeEmpty("every cell the projection keeps is in the recount");
        recount.Except(counts).Should().BeEmpty("every cell of the recount is kept");
        counts.Should().Equal(recount);
        var populationRecount = await StatisticsRecount.PopulationAsync(registry.Schema);
        population.Except(populationRecount).Should().BeEmpty();
        populationRecount.Except(population).Should().BeEmpty();

        await Rebuild.AllAsync(registry.Store, null, CancellationToken.None);
        (await StatisticsRecount.StoredCountsAsync(registry.Schema)).Should().Equal(counts);
        (await StatisticsRecount.StoredPopulationAsync(registry.Schema)).Should().Equal(population);
    }

    [Fact]
    public async Task Two_instances_running_the_daemon_count_every_event_once_and_the_second_takes_over_when_the_first_stops()
    {
        var first = new RegistryFactory(WithDaemon, keepSchema: true);
        await using var second = new RegistryFactory(WithDaemon, first.Schema);
        _ = first.Services;
        _ = second.Services;
        var (one, two) = (first.As("registrar"), second.As("registrar"));
        for (var i = 0; i < 20; i++)
            await (i % 2 == 0 ? one : two).Born(Birth(Numbered("علی", i), "رضایی", i % 3 == 0 ? "female" : "male", "1404/05/01"));
        await CaughtUpAsync(second);
        (await BirthsCountedAsync(second)).Should().Be(20);

        await first.DisposeAsync();
        for (var i = 20; i < 30; i++) await two.Born(Birth(Numbered("علی", i), "رضایی", "male", "1404/06/01"));
        await CaughtUpAsync(second, TimeSpan.FromSeconds(90));
        (await BirthsCountedAsync(second)).Should().Be(30);
        (await StatisticsRecount.StoredCountsAsync(second.Schema)).Should().Equal(await StatisticsRecount.CountsAsync(second.Schema));
    }

    [Fact]
    public async Task The_status_reports_the_lag_while_the_daemon_does_not_run_and_none_once_it_has_caught_up()
    {
        var stopped = new RegistryFactory(new Dictionary<string, string?>(), keepSchema: true);
        await stopped.As("registrar").Born(Birth());
        await Task.Delay(1100);
        var status = await Status(stopped);
        status["lagEvents"]!.GetValue<long>().Should().BeGreaterThan(0);
        status["lagSeconds"]!.GetValue<double>().Should().BeGreaterThan(1);
        await stopped.DisposeAsync();

        await using var running = new RegistryFactory(WithDaemon, stopped.Schema);
        await CaughtUpAsync(running);
        status = await Status(running);
        status["lagEvents"]!.GetValue<long>().Should().Be(0);
        status["lagSeconds"]!.GetValue<double>().Should().Be(0);
        status["position"]!.GetValue<long>().Should().Be(status["end"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_lag_gauges_report_each_async_projection()
    {
        await using var registry = new RegistryFactory(WithDaemon);
        await registry.As("registrar").Born(Birth());
        await CaughtUpAsync(registry);
        var meter = registry.Services.GetRequiredService<VitalEvents.Statistics.ProjectionLag>().Meter;
        var measured = new Dictionary<string, double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter && instrument.Name.StartsWith("vitalevents.projection.lag", StringComparison.Ordinal)) l.EnableMeasurementEvents(instrument);
        };
        void Record<T>(System.Diagnostics.Metrics.Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
                if (tag is { Key: "projection", Value: string name } && name.StartsWith("statistics", StringComparison.Ordinal))
                    measured[instrument.Name] = Convert.ToDouble(value);
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        var clock = Stopwatch.StartNew();
        while (measured.Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            listener.RecordObservableInstruments();
            await Task.Delay(250);
        }
        measured.Should().ContainKey("vitalevents.projection.lag").WhoseValue.Should().Be(0);
        measured.Should().ContainKey("vitalevents.projection.lag.age").WhoseValue.Should().Be(0);
    }

    /// <summary>The statistics projection's status as a statistician reads it.</summary>
    private static async Task<JsonNode> Status(RegistryFactory registry)
    {
        var report = await registry.As("statistician").GetFromJsonAsync<JsonNode>("/api/statistics/status");
        return report!["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>().StartsWith("statistics", StringComparison.Ordinal))!;
    }

    /// <summary>Waits until the statistics have processed every event recorded.</summary>
    internal static async Task CaughtUpAsync(RegistryFactory registry, TimeSpan? within = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await Status(registry);
            if (status["lagEvents"]!.GetValue<long>() == 0 && status["end"]!.GetValue<long>() > 0) return;
            if (clock.Elapsed > (within ?? TimeSpan.FromSeconds(60)))
                throw new TimeoutException($"The statistics did not catch up: {status.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    private static async Task<long> BirthsCountedAsync(RegistryFactory registry)
    {
        await using var connection = new NpgsqlConnection(RegistryFactory.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select coalesce(sum(count), 0)::bigint from {registry.Schema}.stat_counts where measure = 'births'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
