using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Audit;
using VitalEvents.Pipeline;
using static VitalEvents.Tests.Verifications.VerificationTesting;

namespace VitalEvents.Tests.Verifications;

/// <summary>
/// The access log writes the reads recorded at the same time together (a group commit); each read waits for the batch that holds
/// its row, so a read is answered if and only if its row is kept.
/// </summary>
public sealed class VerificationLogBatchTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => registry.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_failed_batch_fails_every_read_waiting_on_it_and_keeps_none_of_its_rows()
    {
        var log = registry.Services.GetRequiredService<AccessLog>();
        var reader = new RequestContext { UserId = "client-1", Roles = new HashSet<string> { Roles.Verifier }, AgencyId = "bank-melli" };
        // PostgreSQL refuses a NUL in text: the row with one fails, and with it the batch it lands in.
        var reads = Enumerable.Range(0, 200).Select(i => log.RecordAsync(reader, AccessedResource.Verification, Unissued(1 + i),
            i == 100 ? "account\0opening" : "account-opening", $"id={i}", 404, CancellationToken.None)).ToList();
        await Task.WhenAll(reads.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));

        var failed = reads.Select((r, i) => (r, i)).Where(x => x.r.IsFaulted).Select(x => x.i).ToList();
        failed.Should().Contain(100);
        var kept = await KeptAsync();
        kept.Should().BeEquivalentTo(Enumerable.Range(0, 200).Except(failed), "a read is answered if and only if its row is kept");
    }

    [Fact]
    public async Task Verifications_made_at_once_while_the_log_cannot_be_written_all_fail()
    {
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync());
        await registry.AsOwner("alter table {schema}.access_log rename to access_log_away");
        List<HttpResponseMessage> responses;
        try
        {
            responses = [.. await Task.WhenAll(Enumerable.Range(0, 40).Select(i => bank.VerifyAsync(Ask(Unissued(1 + i), familyName: "رضایی"))))];
        }
        finally
        {
            await registry.AsOwner("alter table {schema}.access_log_away rename to access_log");
        }

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.ServiceUnavailable);
        (await KeptAsync()).Should().BeEmpty();
        (await bank.VerifyAsync(Ask(Unissued(1), familyName: "رضایی"))).StatusCode.Should().Be(HttpStatusCode.OK, "the log is written again once it can be");
    }

    private async Task<List<int>> KeptAsync()
    {
        await using var connection = new NpgsqlConnection(RegistryFactory.OwnerConnectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand($"select query from {registry.Schema}.access_log", connection);
        var kept = new List<int>();
        await using var rows = await select.ExecuteReaderAsync();
        while (await rows.ReadAsync()) kept.Add(int.Parse(rows.GetString(0)[3..]));
        return kept;
    }
}
