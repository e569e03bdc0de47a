using Marten;
using Npgsql;
using VitalEvents.Domain;
using VitalEvents.Pipeline;
using VitalEvents.Storage;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// A stream a decision only reads is checked for concurrent change at commit, as one appended to is: a change committed
/// since it was read, or one still in flight when the commit runs, refuses the commit.
/// </summary>
public sealed class ReadStreamsTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Read, string Written)> TwoPeople() =>
        (await _registrar.Born(Birth("رضا", "حسینی", "male", "1360/01/01")), await _registrar.Born(Birth("مینا", "حسینی", "female", "1362/01/01")));

    /// <summary>A unit of work that reads one person and appends to the other, not yet committed.</summary>
    private async Task<IDocumentSession> ReadOneWriteOther(string read, string written)
    {
        var session = registry.Store.LightweightSession();
        var streams = await PersonStreams.FetchAsync(session, new RequestContext(), CancellationToken.None, written, read);
        streams.Append(session, Decision.Accept(new StreamEvent(written, new GuardianAppointed(written, read, "رضا حسینی", new DateOnly(2025, 1, 1),
            Vocabulary.Court, "COURT-1", "001"))));
        return session;
    }

    private async Task AppendElsewhere(string code)
    {
        await using var other = registry.Store.LightweightSession();
        var stream = await other.Events.FetchForWriting<Person>(code);
        stream.AppendOne(new DeathRegistered(code, new DateOnly(2025, 1, 2), new PlaceRecord("تهران", "تهران", "تهران"), [], null, "001"));
        await other.SaveChangesAsync();
    }

    [Fact]
    public async Task A_commit_fails_when_a_stream_it_only_read_changed_after_it_was_read()
    {
        var (read, written) = await TwoPeople();
        await using var session = await ReadOneWriteOther(read, written);

        await AppendElsewhere(read);

        var commit = () => Commit.SaveAsync(session, RegistryFactory.ConnectionString, CancellationToken.None);
        var refused = (await commit.Should().ThrowAsync<Exception>()).Which;
        Commit.Unwrap(refused).Should().BeOfType<PostgresException>().Which.SqlState.Should().Be(ReadStreamsCheck.ChangedCode);
        (await registry.EventsOf(written)).Should().ContainSingle("nothing of the refused commit is recorded");
    }

    [Fact]
    public async Task A_commit_waits_for_a_change_still_in_flight_to_a_stream_it_read_and_then_fails()
    {
        var (read, written) = await TwoPeople();
        await using var session = await ReadOneWriteOther(read, written);
        await using var inFlight = registry.Store.LightweightSession();
        await inFlight.BeginTransactionAsync(CancellationToken.None);
        var stream = await inFlight.Events.FetchForWriting<Person>(read);
        stream.AppendOne(new DeathRegistered(read, new DateOnly(2025, 1, 2), new PlaceRecord("تهران", "تهران", "تهران"), [], null, "001"));
        await using (var lockRow = new NpgsqlCommand($"update {registry.Schema}.mt_streams set version = version where id = @id", inFlight.Connection))
        {
            lockRow.Parameters.AddWithValue("id", read);
            await lockRow.ExecuteNonQueryAsync();
        }

        var commit = Commit.SaveAsync(session, RegistryFactory.ConnectionString, CancellationToken.None);
        await Task.WhenAny(commit, Task.Delay(500));
        commit.IsCompleted.Should().BeFalse("the check holds the read stream, so it waits for the writer that holds it");
        await inFlight.SaveChangesAsync();

        var outcome = async () => await commit;
        var refused = (await outcome.Should().ThrowAsync<Exception>()).Which;
        Commit.Unwrap(refused).Should().BeOfType<PostgresException>().Which.SqlState.Should().Be(ReadStreamsCheck.ChangedCode);
        (await registry.EventsOf(read)).Should().HaveCount(2, "the writer's death is recorded");
        (await registry.EventsOf(written)).Should().ContainSingle("the guardianship decided on the old record is not");
    }

    [Fact]
    public async Task A_commit_goes_through_when_nobody_changed_what_it_read()
    {
        var (read, written) = await TwoPeople();
        await using var session = await ReadOneWriteOther(read, written);

        await Commit.SaveAsync(session, RegistryFactory.ConnectionString, CancellationToken.None);

        (await registry.EventsOf(written)).Should().HaveCount(2);
    }
}
