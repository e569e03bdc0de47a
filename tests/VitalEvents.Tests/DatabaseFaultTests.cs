using System.Net;
using System.Net.Http.Json;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// The registry through a proxy that breaks the database connection at a COMMIT, or takes the database away: the answer always
/// follows the transaction's outcome, and a database that cannot be reached is 503 with Retry-After, never 500.
/// </summary>
public sealed class DatabaseFaultTests : IAsyncLifetime
{
    private readonly PostgresProxy _proxy = new(RegistryFactory.ConnectionString);
    private readonly RegistryFactory _registry;
    private readonly HttpClient _registrar;

    public DatabaseFaultTests()
    {
        _registry = new RegistryFactory(new Dictionary<string, string?> { ["VitalEvents:Database"] = _proxy.Through(RegistryFactory.ConnectionString) });
        _registrar = _registry.As("registrar");
    }

    public Task InitializeAsync() => _registry.ResetAsync();

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task A_birth_whose_commit_reached_the_database_but_whose_answer_was_lost_is_answered_201_and_recorded_once()
    {
        _proxy.NextCommit = CommitFault.DropAfterCommit;

        var response = await _registrar.SendAsync(Register(Birth("کیان", "سلیمی"), "lost-answer-1"));

        _proxy.FaultsApplied.Should().Be(1, "the connection broke at that commit");
        await response.ShouldHaveStatus(HttpStatusCode.Created);
        var code = (await response.Json()).Str("nationalCode");
        (await _registry.EventsOf(code)).Should().ContainSingle();
        (await _registrar.Person(code)).Str("givenName").Should().Be("کیان");

        var retry = await _registrar.SendAsync(Register(Birth("کیان", "سلیمی"), "lost-answer-1"));
        await retry.ShouldHaveStatus(HttpStatusCode.Created);
        (await retry.Json()).Str("nationalCode").Should().Be(code, "the retry finds the committed answer");
        (await _registry.EventCount()).Should().Be(1);
    }

    [Fact]
    public async Task A_birth_whose_connection_broke_before_the_commit_is_answered_503_and_nothing_is_recorded()
    {
        _proxy.NextCommit = CommitFault.DropBeforeCommit;

        var response = await _registrar.SendAsync(Register(Birth("کیان", "سلیمی"), "broken-before-1"));

        _proxy.FaultsApplied.Should().Be(1);
        await response.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "database.unavailable");
        response.Headers.RetryAfter.Should().NotBeNull();
        (await _registry.EventCount()).Should().Be(0);

        var retry = await _registrar.SendAsync(Register(Birth("کیان", "سلیمی"), "broken-before-1"));
        await retry.ShouldHaveStatus(HttpStatusCode.Created);
        (await _registry.EventCount()).Should().Be(1, "the retry records it, once");
    }

    [Fact]
    public async Task A_marriage_whose_answer_was_lost_after_commit_is_on_both_records_once()
    {
        var husband = await _registrar.Born(Birth("آرش", "کریمی", "male", "1370/01/01"));
        var wife = await _registrar.Born(Birth("نازنین", "صالحی", "female", "1372/01/01"));
        _proxy.NextCommit = CommitFault.DropAfterCommit;

        var response = await _registrar.PostAsJsonAsync("/api/marriages", Marriage(husband, wife));

        _proxy.FaultsApplied.Should().Be(1);
        await response.ShouldHaveStatus(HttpStatusCode.Created);
        (await _registry.EventsOf(husband)).Should().HaveCount(2);
        (await _registry.EventsOf(wife)).Should().HaveCount(2);
    }

    [Fact]
    public async Task When_the_database_is_down_writes_reads_and_readiness_are_503_with_Retry_After_and_it_recovers_by_itself()
    {
        var person = await _registrar.Born();
        _proxy.Down = true;
        try
        {
            var write = await _registrar.PostAsJsonAsync("/api/births", Birth("سینا", "نوری"));
            await write.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "database.unavailable");
            write.Headers.RetryAfter!.Delta.Should().BePositive();

            var read = await _registrar.GetAsync($"/api/persons/{person}");
            await read.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "database.unavailable");
            read.Headers.RetryAfter.Should().NotBeNull();

            var search = await _registrar.GetAsync("/api/persons?givenName=علی");
            await search.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "database.unavailable");

            (await _registry.CreateClient().GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await _registry.CreateClient().GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            _proxy.Down = false;
        }
        (await _registrar.Person(person)).Str("nationalCode").Should().Be(person);
        (await _registrar.PostAsJsonAsync("/api/births", Birth("سینا", "نوری"))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task When_the_database_goes_away_during_a_commit_and_stays_away_the_answer_says_the_outcome_is_unknown_and_a_retry_records_it_once()
    {
        _proxy.NextCommit = CommitFault.DropAfterCommit;
        _proxy.DownAfterFault = true;
        var down = Task.Run(async () =>
        {
            for (var waited = 0; _proxy.FaultsApplied == 0 && waited < 2000; waited++) await Task.Delay(5);
            _proxy.Down = true;
        });

        var response = await _registrar.SendAsync(Register(Birth("مانی", "رحیمی"), "unknown-outcome-1"));
        _proxy.DownAfterFault = false;
        await down;

        _proxy.FaultsApplied.Should().Be(1);
        await response.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "database.outcomeUnknown");
        response.Headers.RetryAfter.Should().NotBeNull();
        _proxy.Down = false;
        var retry = await _registrar.SendAsync(Register(Birth("مانی", "رحیمی"), "unknown-outcome-1"));
        await retry.ShouldHaveStatus(HttpStatusCode.Created);
        (await _registry.EventCount()).Should().Be(1, "it had committed; the retry with its key answers as the first write did");
    }
}
