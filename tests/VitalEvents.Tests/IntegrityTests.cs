using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Integrity;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// Tamper evidence: the application's role cannot change the log, and a change made with database rights (data,
/// timestamp, deletion, reordering, a rewritten chain, a forged checkpoint) is detected and pinpointed.
/// </summary>
public sealed class IntegrityTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");
    private readonly HttpClient _auditor = registry.As("auditor", office: null);

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private DatabaseIntegrity Database => registry.Services.GetRequiredService<DatabaseIntegrity>();
    private ECDsa Key => registry.Services.GetRequiredService<ECDsa>();

    private async Task<(string Husband, string Wife, string Child)> Family()
    {
        var husband = await _registrar.Born(Birth("حسین", "رضایی", "male", "1360/01/01"));
        var wife = await _registrar.Born(Birth("فاطمه", "محمدی", "female", "1362/01/01"));
        await _registrar.PostOk("/api/marriages", Marriage(husband, wife, "1385/01/01"));
        var child = await _registrar.Born(Birth("علی", "رضایی", "male", "1390/01/01", wife, husband));
        return (husband, wife, child);
    }

    private async Task<IntegrityReport> Verify()
    {
        var response = await _auditor.GetAsync("/api/integrity");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<IntegrityReport>(WebJson))!;
    }

    [Fact]
    public async Task An_untouched_log_verifies_with_its_signed_checkpoints()
    {
        await Family();
        var first = await Database.CheckpointAsync(Key, TimeSpan.Zero, CancellationToken.None);
        await _registrar.Born(Birth("مینا", "کریمی", "female", "1400/01/01"));
        var second = await Database.CheckpointAsync(Key, TimeSpan.Zero, CancellationToken.None);

        first!.EventCount.Should().Be(7);
        second!.PreviousDigest.Should().Equal(first.Digest);
        (await Database.CheckpointAsync(Key, TimeSpan.Zero, CancellationToken.None)).Should().BeNull("nothing new was recorded");
        var report = await Verify();
        report.Ok.Should().BeTrue(string.Join("; ", report.Problems.Select(p => p.Detail)));
        report.EventsChecked.Should().Be(8);
        report.StreamsChecked.Should().Be(4);
        report.CheckpointsChecked.Should().Be(2);
        report.EventsAfterLastCheckpoint.Should().Be(0);
        (await registry.As("registrar").GetAsync("/api/integrity")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await registry.CreateClient().GetStringAsync("/api/integrity/public-key")).Should().Be(RegistryKey.PublicPem(Key));
    }

    [Theory]
    [InlineData("update {schema}.mt_events set data = data")]
    [InlineData("delete from {schema}.mt_events")]
    [InlineData("truncate {schema}.mt_events cascade")]
    [InlineData("update {schema}.event_chain set hash = hash")]
    [InlineData("insert into {schema}.event_chain values (999999, 'x', 1, '\\x00', '\\x00')")]
    [InlineData("delete from {schema}.integrity_checkpoints")]
    public async Task The_applications_role_cannot_change_the_log(string sql)
    {
        await Family();
        await using var connection = new NpgsqlConnection(RegistryFactory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", registry.Schema), connection);

        var refused = async () => await command.ExecuteNonQueryAsync();

        (await refused.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        (await Verify()).Ok.Should().BeTrue();
    }

    public static TheoryData<string, string, long> Tampering => new()
    {
        { "update {schema}.mt_events set data = jsonb_set(data, '{GivenName}', '\"حسن\"') where stream_id = '{husband}' and version = 1", "altered", 1 },
        { "update {schema}.mt_events set timestamp = timestamp - interval '1 day' where stream_id = '{wife}' and version = 2", "altered", 2 },
        { "update {schema}.mt_events set headers = '{\"officeCode\": \"136\"}' where stream_id = '{child}' and version = 1", "altered", 1 },
        { "delete from {schema}.mt_events where stream_id = '{husband}' and version = 2", "missingEvent", 2 },
        {
            """
            update {schema}.mt_events set version = -2 where stream_id = '{wife}' and version = 2;
            update {schema}.mt_events set version = 2 where stream_id = '{wife}' and version = 3;
            update {schema}.mt_events set version = 3 where stream_id = '{wife}' and version = -2;
            """, "altered", 2
        },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task A_change_made_with_database_rights_is_detected_and_pinpointed(string sql, string kind, long version)
    {
        var (husband, wife, child) = await Family();
        await Database.CheckpointAsync(Key, TimeSpan.Zero, CancellationToken.None);
        var stream = sql.Contains("{husband}") ? husband : sql.Contains("{wife}") ? wife : child;

        await registry.AsSuperuser(sql.Replace("{husband}", husband).Replace("{wife}", wife).Replace("{child}", child));

        var report = await Verify();
        report.Ok.Should().BeFalse();
        report.FirstBroken.Should().NotBeNull();
        report.FirstBroken!.StreamId.Should().Be(stream);
        report.FirstBroken.Version.Should().Be(version);
        report.FirstBroken.Kind.Should().Be(kind);
    }

    [Fact]
    public async Task After_a_hundred_racing_commands_the_log_still_verifies_though_Marten_wrote_tombstones()
    {
        var (husband, wife, _) = await Family();
        var men = new List<string>();
        for (var i = 0; i < 20; i++) men.Add(await _registrar.Born(Birth("مرد", Numbered("شماره", i), "male", "1365/01/01")));
        var single = await _registrar.Born(Birth("مریم", "صادقی", "female", "1370/01/01"));
        await Database.CheckpointAsync(Key, TimeSpan.Zero, CancellationToken.None);

        HttpRequestMessage SameKeyBirth()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/births") { Content = JsonContent.Create(Birth("نیما", "پاکزاد")) };
            request.Headers.Add("Idempotency-Key", "one-key-for-forty");
            return request;
        }
        var racing = new List<Task<HttpResponseMessage>>();
        racing.AddRange(men.Select(man => _registrar.PostAsJsonAsync("/api/marriages", Marriage(man, single))));
        racing.AddRange(Enumerable.Range(0, 40).Select(_ => _registrar.SendAsync(SameKeyBirth())));
        racing.AddRange(Enumerable.Range(0, 20).Select(_ => _registrar.PostAsJsonAsync("/api/deaths", Death(husband))));
        racing.AddRange(Enumerable.Range(0, 20).Select(_ =>
            _registrar.PostAsJsonAsync($"/api/persons/{wife}/corrections", Correction("familyName", "محمدیان"))));
        var answers = await Task.WhenAll(racing);

        answers.Should().HaveCount(100).And.OnlyContain(r => (int)r.StatusCode < 500);
        answers.Take(20).Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1, "a woman is in one marriage at a time");
        (await Tombstones()).Should().BePositive("losing commits gave their sequence numbers back as tombstones");
        var report = await Verify();
        report.Ok.Should().BeTrue(string.Join("; ", report.Problems.Select(p => $"{p.Kind} {p.StreamId} v{p.Version}: {p.Detail}")));
        report.CheckpointsChecked.Should().Be(1);
    }

    /// <summary>Marten writes tombstones in a transaction of its own after the losing commit: wait until their number settles.</summary>
    private async Task<long> Tombstones()
    {
        long count = -1;
        for (var settled = 0; settled < 5; settled++)
        {
            await Task.Delay(100);
            await using var connection = new NpgsqlConnection(RegistryFactory.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"select count(*) from {registry.Schema}.mt_events where stream_id = '{Storage.Tombstones.StreamKey}'", connection);
            var now = (long)(await command.ExecuteScalarAsync())!;
            if (now != count) (count, settled) = (now, 0);
        }
        return count;
    }

    [Fact]
    public async Task An_event_disguised_as_a_tombstone_or_a_tombstone_that_carries_data_is_detected()
    {
        var (husband, _, _) = await Family();

        await registry.AsSuperuser($$"""
            insert into {schema}.mt_streams (id, version) values ('{{Storage.Tombstones.StreamKey}}', 0) on conflict do nothing;
            update {schema}.mt_events set stream_id = '{{Storage.Tombstones.StreamKey}}', type = 'tombstone', data = '{}', version = seq_id
            where stream_id = '{{husband}}' and version = 2
            """);

        var disguised = await Verify();
        disguised.Ok.Should().BeFalse();
        disguised.Problems.Should().Contain(p => p.Kind == "missingEvent" && p.StreamId == husband && p.Version == 2,
            "the husband's marriage is gone from his record, though its chain link remains");

        await registry.AsSuperuser($$"""
            update {schema}.mt_events set data = '{"GivenName": "حسن"}' where stream_id = '{{Storage.Tombstones.StreamKey}}'
            """);
        (await Verify()).Problems.Should().Contain(p => p.Kind == "forgedTombstone");
    }

    [Fact]
    public async Task Rewriting_an_event_and_its_chain_link_together_is_caught_by_the_signed_checkpoint()
    {
        var (_, _, child) = await Family();
        await Database.CheckpointAsync(Key, TimeSpan.Zero, CancellationToken.None);

        await registry.AsSuperuser($$"""
            update {schema}.mt_events set data = jsonb_set(data, '{GivenName}', '"محمد"') where stream_id = '{{child}}' and version = 1;
            update {schema}.event_chain c set hash = sha256(c.previous_hash || convert_to({{IntegritySchema.CanonicalText}}, 'UTF8'))
            from {schema}.mt_events e where e.seq_id = c.seq_id and e.stream_id = '{{child}}' and e.version = 1;
            """);

        var report = await Verify();
        report.Ok.Should().BeFalse();
        report.Problems.Should().ContainSingle().Which.Kind.Should().Be("checkpointMismatch");
    }

    [Fact]
    public async Task Events_recorded_before_the_chain_existed_are_chained_once_when_the_schema_is_applied()
    {
        await Family();
        await registry.AsOwner("truncate {schema}.event_chain");
        (await Verify()).Problems.Should().OnlyContain(p => p.Kind == "unchained").And.HaveCount(7);

        await Storage.DatabaseSchema.ApplyAsync(registry.Services.GetRequiredService<Storage.StoreSettings>(), CancellationToken.None);

        (await Verify()).Ok.Should().BeTrue();
    }

    [Fact]
    public async Task A_forged_checkpoint_signature_is_detected()
    {
        await Family();
        await Database.CheckpointAsync(Key, TimeSpan.Zero, CancellationToken.None);
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Convert.ToHexString(forger.SignHash(new byte[32]));

        await registry.AsSuperuser($"update {{schema}}.integrity_checkpoints set signature = '\\x{forged}'");

        (await Verify()).Problems.Should().Contain(p => p.Kind == "checkpointSignatureInvalid");
    }

    [Fact]
    public async Task An_export_verifies_offline_and_a_changed_export_is_pinpointed()
    {
        var (husband, _, _) = await Family();
        await Database.CheckpointAsync(Key, TimeSpan.Zero, CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), $"vitalevents-export-{Guid.NewGuid():N}.jsonl");
        try
        {
            (await IntegrityExport.WriteAsync(Database, Key, path, DateTimeOffset.UtcNow, CancellationToken.None)).Should().Be(7);
            var clean = IntegrityExport.Verify(path);
            clean.Ok.Should().BeTrue(string.Join("; ", clean.Problems.Select(p => p.Detail)));
            clean.CheckpointsChecked.Should().Be(1);

            var lines = await File.ReadAllLinesAsync(path);
            var index = Array.FindIndex(lines, l => l.Contains("\"event\"") && l.Contains(husband) && l.Contains("\"version\":1,"));
            lines[index] = lines[index].Replace("حسین", "حسن");
            await File.WriteAllLinesAsync(path, lines);

            var report = IntegrityExport.Verify(path);
            report.Ok.Should().BeFalse();
            report.FirstBroken!.StreamId.Should().Be(husband);
            report.FirstBroken.Version.Should().Be(1);

            using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            IntegrityExport.Verify(path, RegistryKey.PublicPem(stranger)).Problems.Should().Contain(p => p.Kind == "checkpointSignatureInvalid",
                "an export is checked against the key the auditor trusts, not only the one it carries");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
