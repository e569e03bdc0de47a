using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VitalEvents.Domain;
using static VitalEvents.Tests.HttpChecks;
using static VitalEvents.Tests.Verifications.VerificationTesting;

namespace VitalEvents.Tests.Verifications;

/// <summary>A batch is verified row by row with the rules of one verification, answered in input order; a bad row is an error row.</summary>
public sealed class VerificationBatchTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _auditor = registry.As("auditor", office: null, user: "aud-1");

    public Task InitializeAsync() => registry.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Code(int i) => NationalCode.Issue("001", 600_000 + i)!;

    private async Task SeedAsync(int people) =>
        await registry.SeedAsync(Enumerable.Range(1, people).Select(i => Birth(Code(i), "سارا", Requests.Numbered("کریمی", i), new DateOnly(1990, 1, 1).AddDays(i))));

    [Fact]
    public async Task Ten_thousand_ndjson_rows_with_bad_ones_among_them_are_answered_in_order_and_each_logged()
    {
        await SeedAsync(200);
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync(answers: ["birthDate", "familyName", "alive"]));
        var lines = new List<string>();
        for (var i = 1; i <= 10_000; i++)
            lines.Add((i % 1000) switch
            {
                7 => "{not json",
                8 => JsonSerializer.Serialize(new { nationalCode = "12345", purpose = "account-opening", familyName = "کریمی" }),
                9 => JsonSerializer.Serialize(Ask(Code(1), "sim-registration", familyName: "کریمی")),
                10 => JsonSerializer.Serialize(Ask(Code(1), givenName: "سارا")),
                _ => JsonSerializer.Serialize(Ask(Code(1 + i % 200), birthDate: new DateOnly(1990, 1, 1).AddDays(1 + i % 200).ToString("yyyy-MM-dd"),
                    familyName: i % 2 == 0 ? Requests.Numbered("کریمی", 1 + i % 200) : "موسوی")),
            });

        var response = await bank.PostAsync("/api/verifications/batch", new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"));

        await response.ShouldHaveStatus(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-ndjson");
        var rows = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        rows.Select(r => r["line"]!.GetValue<int>()).Should().Equal(Enumerable.Range(1, 10_000));
        var errors = rows.Where(r => r["error"] is not null).ToList();
        errors.Should().HaveCount(40);
        errors.Select(e => (e["line"]!.GetValue<int>() % 1000, e["error"]!.Str("code"))).Distinct().Should().BeEquivalentTo(new[]
        {
            (7, "request.malformed"), (8, "nationalCode.invalidFormat"), (9, "verification.purposeNotAllowed"), (10, "verification.answerNotAllowed"),
        });
        var answered = rows.Where(r => r["answer"] is not null).ToList();
        answered.Should().HaveCount(9960);
        answered.Where(r => r["line"]!.GetValue<int>() % 2 == 0).Should().OnlyContain(r => r["answer"]!["alive"]!.GetValue<bool>());
        answered.Where(r => r["line"]!.GetValue<int>() % 2 == 1).Should().OnlyContain(r => r["answer"]!["match"]!.Str("familyName") == "different");

        var logged = await (await _auditor.GetAsync($"/api/access-log?nationalCode={Code(1 + 11 % 200)}&pageSize=100")).Json();
        var ids = answered.Where(r => Ask11(r["line"]!.GetValue<int>())).Select(r => r["answer"]!.Str("verificationId")).ToHashSet();
        logged["entries"]!.AsArray().Select(e => e!.Str("query").Split(' ')[0][3..]).ToHashSet().Should().BeEquivalentTo(ids);
    }

    // The lines that asked about Code(12): line i asks about Code(1 + i % 200), bad lines aside.
    private static bool Ask11(int line) => line % 200 == 11 && line % 1000 is not (7 or 8 or 9 or 10);

    [Fact]
    public async Task A_csv_batch_is_answered_in_csv_with_each_row_its_line_and_rows_beyond_the_limit_refused()
    {
        await SeedAsync(3);
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync(answers: ["birthDate", "givenName", "familyName", "fatherName"]));
        var csv = new StringBuilder("nationalCode,purpose,birthDate,givenName,familyName,fatherName\n");
        csv.Append($"{Code(1)},account-opening,1990-01-02,سارا,,\n");
        csv.Append($"{Code(2)},account-opening,,\"سارا\",{Requests.Numbered("کریمی", 2)},\n");
        csv.Append("\n");
        csv.Append($"{Code(3)},account-opening,1404/13/01,,,\n");
        csv.Append($"{Code(3)},account-opening\n");
        for (var i = 0; i < 10_000 - 4 + 2; i++) csv.Append($"{Unissued(1 + i)},account-opening,,,کریمی,\n");

        var response = await bank.PostAsync("/api/verifications/batch", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));

        await response.ShouldHaveStatus(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("line,verificationId,birthDate,givenName,familyName,fatherName,alive,known,dateOfDeath,dateOfDeathSolarHijri,errorCode,errorDetail");
        lines.Should().HaveCount(1 + 10_002);
        var cells = lines.Skip(1).Select(l => l.Split(',')).ToList();
        cells.Select(c => c[0]).Take(5).Should().Equal("2", "3", "5", "6", "7");
        cells[0][2..6].Should().Equal("true", "exact", "", "");
        cells[1][2..6].Should().Equal("", "exact", "exact", "");
        cells[2][10].Should().Be("date.invalid");
        cells[3][10].Should().Be("batch.columns");
        cells[4][4].Should().Be("different");
        cells.Skip(10_000).Should().OnlyContain(c => c[10] == "batch.tooManyRows");
        cells.Take(10_000).Should().OnlyContain(c => c[10] != "batch.tooManyRows");
    }

    [Fact]
    public async Task A_batch_in_another_format_or_with_a_wrong_header_is_refused_before_any_row()
    {
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync());

        await (await bank.PostAsync("/api/verifications/batch", new StringContent("{}", Encoding.UTF8, "application/json")))
            .ShouldBeProblem(HttpStatusCode.UnsupportedMediaType, "media.unsupported");
        await (await bank.PostAsync("/api/verifications/batch", new StringContent("code,why\n0012345679,x\n", Encoding.UTF8, "text/csv")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "batch.invalidHeader");
    }

    [Fact]
    public async Task Rows_past_the_daily_quota_are_error_rows()
    {
        await SeedAsync(1);
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync(dailyQuota: 3));
        var rows = string.Join('\n', Enumerable.Range(0, 5).Select(_ => JsonSerializer.Serialize(Ask(Code(1), givenName: "سارا"))));

        var response = await bank.PostAsync("/api/verifications/batch", new StringContent(rows, Encoding.UTF8, "application/x-ndjson"));

        var answers = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        answers.Count(a => a["answer"] is not null).Should().Be(3);
        answers.Where(a => a["error"] is not null).Should().HaveCount(2).And.OnlyContain(a => a["error"]!.Str("code") == "verification.quotaExhausted");
    }
}
