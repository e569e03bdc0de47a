using JasperFx.Events.Daemon;
using Marten;
using Npgsql;
using VitalEvents.Demo;
using VitalEvents.Storage;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>The rebuild gives back exactly what the inline projections wrote, as Marten's own daemon rebuild does, and says how far it is.</summary>
public sealed class RebuildTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_projection_rebuilds_to_the_documents_the_inline_projections_wrote_and_to_what_Martens_rebuild_gives()
    {
        // Births over generations, marriages, a divorce and a remarriage, a death, an approved correction (DemoData), then a
        // pending correction and an issued document.
        await new DemoData(registry.Services).SeedAsync(CancellationToken.None);
        var person = await _registrar.Born(Birth("سارا", "کاظمی", "female", "1370/02/02"));
        await _registrar.PostOk($"/api/persons/{person}/corrections", Correction("familyName", "کاظمیان"));
        await _registrar.PostOk($"/api/persons/{person}/documents", new { kind = "shenasnameh", language = "both" });
        var inline = await DumpAsync();
        inline.Count(row => row.StartsWith("mt_doc_personsnapshot ")).Should().BeGreaterThan(15);
        inline.Should().Contain(row => row.StartsWith("mt_doc_marriagerecord ")).And.Contain(row => row.StartsWith("mt_doc_issueddocument "))
            .And.Contain(row => row.StartsWith("mt_doc_correctioncase "));
        await registry.AsOwner("""update {schema}.mt_doc_personsnapshot set data = jsonb_set(data, '{GivenName}', '"دستکاری"') where id = '0520000031'""");

        var reports = new List<RebuildProgress>();
        await Rebuild.AllAsync(registry.Store, Rebuild.Reporter(reports.Add), CancellationToken.None);

        (await DumpAsync()).Should().Equal(inline);
        reports.Should().NotBeEmpty();
        reports[^1].Total.Should().BeGreaterThan(0);
        reports[^1].Events.Should().Be(reports[^1].Total);
        reports.Select(r => r.Events).Should().BeInAscendingOrder();
        var progression = await ProgressionAsync();

        using (var daemon = await registry.Store.BuildProjectionDaemonAsync())
            foreach (var projection in Rebuild.Projections(registry.Store))
                await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(5), CancellationToken.None);

        (await DumpAsync()).Should().Equal(inline);
        (await ProgressionAsync()).Should().Equal(progression, "the rebuild leaves mt_event_progression as Marten's own rebuild does");
    }

    /// <summary>Every document table's rows (table, id, JSON) in order; but the statistics' (an async projection: StatisticsTests rebuild them).</summary>
    private async Task<List<string>> DumpAsync()
    {
        await using var connection = new NpgsqlConnection(RegistryFactory.OwnerConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand($"select tablename from pg_tables where schemaname = '{registry.Schema}' and tablename like 'mt_doc_%' and tablename <> 'mt_doc_statisticsperson' order by 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var rows = new List<string>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"select id::text || ' ' || data::text from {registry.Schema}.{table} order by id::text", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add($"{table} {reader.GetString(0)}");
        }
        return rows;
    }

    private async Task<List<string>> ProgressionAsync()
    {
        await using var connection = new NpgsqlConnection(RegistryFactory.OwnerConnectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand($"select name || ' ' || last_seq_id from {registry.Schema}.mt_event_progression where name not like 'HighWater%' order by name", connection);
        await using var reader = await select.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
