using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Npgsql;
using VitalEvents.Demo;
using VitalEvents.Domain;
using VitalEvents.History;
using VitalEvents.Identity;
using VitalEvents.Storage;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>Concurrency, code issuing under load, and projections that rebuild to the same state.</summary>
public sealed class ConsistencyTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_concurrent_writes_to_one_person_one_wins_and_the_other_gets_409()
    {
        var person = await _registrar.Born(Birth("نادر", "شریفی", "male", "1360/01/01"));
        var versionBefore = (await registry.EventsOf(person)).Count;

        // Hold back every append until both requests have read the person's stream and are waiting to write.
        await using var blocker = new NpgsqlConnection(RegistryFactory.OwnerConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockEvents = new NpgsqlCommand($"lock table {registry.Schema}.mt_events in exclusive mode", blocker, transaction))
            await lockEvents.ExecuteNonQueryAsync();

        var first = _registrar.PostAsJsonAsync($"/api/persons/{person}/corrections", Correction("givenName", "ناصر"));
        var second = _registrar.PostAsJsonAsync($"/api/persons/{person}/corrections", Correction("familyName", "شریفیان"));
        await WaitForLockWaiters(2);
        await transaction.RollbackAsync();
        var responses = await Task.WhenAll(first, second);

        responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Accepted, HttpStatusCode.Conflict]);
        (await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).Json()).Str("code").Should().Be("concurrency.conflict");
        (await registry.EventsOf(person)).Should().HaveCount(versionBefore + 1);
    }

    private async Task WaitForLockWaiters(int count)
    {
        await using var monitor = new NpgsqlConnection(RegistryFactory.ConnectionString);
        await monitor.OpenAsync();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await using var query = new NpgsqlCommand(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()", monitor);
            if ((long)(await query.ExecuteScalarAsync())! >= count) return;
            await Task.Delay(50);
        }
        await using var activity = new NpgsqlCommand(
            "select string_agg(coalesce(wait_event_type,'-') || ':' || coalesce(wait_event,'-') || ':' || state || ':' || left(query, 120), E'\\n') from pg_stat_activity where datname = current_database()", monitor);
        throw new TimeoutException($"Fewer than {count} writers reached the lock:\n{await activity.ExecuteScalarAsync()}");
    }

    [Fact]
    public async Task Fifty_concurrent_births_in_one_county_never_share_a_code_and_skip_no_serial()
    {
        var births = Enumerable.Range(0, 50).Select(i => _registrar.PostAsJsonAsync("/api/births", Birth(Numbered("کودک", i), "تهرانی", "female", "1404/01/01")));
        var responses = await Task.WhenAll(births);

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Created);
        var codes = await Task.WhenAll(responses.Select(async r => (await r.Json()).Str("nationalCode")));
        codes.Should().OnlyHaveUniqueItems();
        codes.Should().OnlyContain(c => NationalCode.IsValid(c) && c.StartsWith("001"));
        codes.Select(c => int.Parse(c.Substring(3, 6))).Should().BeEquivalentTo(Enumerable.Range(1, 50));
    }

    [Fact]
    public async Task A_refused_birth_gives_its_serial_back()
    {
        var refused = await _registrar.PostAsJsonAsync("/api/births", Birth(mother: "0012345679"));
        refused.StatusCode.Should().Be(HttpStatusCode.NotFound);

        var code = await _registrar.Born();

        code.Substring(3, 6).Should().Be("000001");
    }

    [Fact]
    public async Task Rebuild_reproduces_identical_snapshots_and_history_and_repairs_a_damaged_one()
    {
        await new DemoData(registry.Services).SeedAsync(CancellationToken.None);
        var before = await Dump();
        before.Should().HaveCountGreaterThan(30);

        await using (var session = registry.Store.LightweightSession())
        {
            var victim = (await session.Query<PersonSnapshot>().FirstAsync());
            victim.GivenName = "tampered";
            session.Store(victim);
            await session.SaveChangesAsync();
        }
        (await Dump()).Should().NotEqual(before);

        await Rebuild.AllAsync(registry.Store, null, CancellationToken.None);

        var after = await Dump();
        for (var i = 0; i < before.Count; i++) after[i].Should().Be(before[i]);
    }

    [Fact]
    public async Task Check_finds_no_mismatch_then_reports_a_corrupted_projection_row_which_rebuild_repairs()
    {
        await new DemoData(registry.Services).SeedAsync(CancellationToken.None);
        (await ProjectionCheck.RunAsync(registry.Store, null, CancellationToken.None)).Should().BeEmpty();

        await registry.AsOwner("""update {schema}.mt_doc_personsnapshot set data = jsonb_set(data, '{GivenName}', '"دستکاری"') where id = '0520000031'""");
        await registry.AsOwner("""delete from {schema}.mt_doc_personhistory where id = '0010000011'""");

        var found = await ProjectionCheck.RunAsync(registry.Store, null, CancellationToken.None);
        found.Should().BeEquivalentTo([
            new ProjectionMismatch("0010000011", "PersonHistory", "missing: the events say it should exist"),
            new ProjectionMismatch("0520000031", "PersonSnapshot", "differs in GivenName"),
        ], o => o.Excluding(m => m.Detail));
        found.Single(m => m.NationalCode == "0520000031").Detail.Should().Contain("GivenName");

        await Rebuild.AllAsync(registry.Store, null, CancellationToken.None);

        (await ProjectionCheck.RunAsync(registry.Store, null, CancellationToken.None)).Should().BeEmpty();
    }

    private async Task<List<string>> Dump()
    {
        await using var session = registry.Store.QuerySession();
        var snapshots = await session.Query<PersonSnapshot>().OrderBy(x => x.NationalCode).ToListAsync();
        var histories = await session.Query<PersonHistory>().OrderBy(x => x.NationalCode).ToListAsync();
        return [.. snapshots.Select(s => JsonSerializer.Serialize(s)), .. histories.Select(h => JsonSerializer.Serialize(h))];
    }
}
