using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using VitalEvents.Domain.Verifications;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Verifications;

/// <summary>The formats a batch is sent and answered in.</summary>
public static class BatchFormat
{
    public const string Ndjson = "application/x-ndjson";
    public const string Csv = "text/csv";

    public static readonly string[] CsvColumns = ["nationalCode", "purpose", "birthDate", "givenName", "familyName", "fatherName"];

    /// <summary>The answer's columns: the line, the verification, each attribute's match, the answers, or the error.</summary>
    public static readonly string[] CsvAnswerColumns =
        ["line", "verificationId", .. VerificationAnswers.Attributes, "alive", "known", "dateOfDeath", "dateOfDeathSolarHijri", "errorCode", "errorDetail"];

    public static string? Of(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        Ndjson => Ndjson,
        Csv => Csv,
        _ => null,
    };
}

/// <summary>An error in one row of a batch: the registry's code and what it means.</summary>
public sealed record BatchError(string Code, string Detail);

/// <summary>One row's outcome: its line in the input, and the answer or the error.</summary>
public sealed record BatchRow(int Line, VerificationAnswer? Answer, BatchError? Error);

/// <summary>What a batch came to.</summary>
public sealed record BatchSummary(int Rows, int Answered, int Errors);

/// <summary>
/// A batch of verifications: up to <see cref="MaxRows"/> rows, each verified as a single one is (the same rules, quota and
/// access log, row by row), several at a time, answered in input order as they are done. A bad row is an error row; rows
/// beyond the limit are error rows <c>batch.tooManyRows</c>.
/// </summary>
public sealed class BatchVerification(IdentityVerifier verifier, IOptions<VerificationSettings> settings, IOptions<JsonOptions> json)
{
    public const int MaxRows = 10_000;
    public const string TooManyRows = "batch.tooManyRows";

    private JsonSerializerOptions Json => json.Value.SerializerOptions;

    /// <summary>Reads the CSV header (before anything is answered); null when it is not the one a batch has.</summary>
    public static async Task<string[]?> ReadHeaderAsync(TextReader input, CancellationToken ct)
    {
        while (await input.ReadLineAsync(ct) is { } line)
        {
            if (line.Trim().Length == 0) continue;
            var columns = Csv.Split(line.TrimStart('\uFEFF')).Select(c => c.Trim()).ToArray();
            return columns.Length == columns.Distinct().Count() && columns.All(BatchFormat.CsvColumns.Contains) && columns.Contains("nationalCode")
                && columns.Contains("purpose") ? columns : null;
        }
        return null;
    }

    /// <summary>Verifies every row of <paramref name="input"/> and writes each outcome to <paramref name="output"/> in order.</summary>
    public async Task<BatchSummary> RunAsync(RequestContext context, TextReader input, string format, string[]? header, int firstLine, TextWriter output,
        CancellationToken ct)
    {
        if (format == BatchFormat.Csv) await output.WriteLineAsync(string.Join(',', BatchFormat.CsvAnswerColumns));
        var (rows, answered) = (0, 0);
        var pending = new Queue<Task<BatchRow>>();
        async Task WriteNextAsync()
        {
            var row = await pending.Dequeue();
            if (row.Answer is not null) answered++;
            await output.WriteLineAsync(format == BatchFormat.Csv ? CsvRow(row) : JsonSerializer.Serialize(row, Json));
            if (rows % 256 == 0) await output.FlushAsync(ct);
        }

        var number = firstLine - 1;
        while (await input.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (line.Trim().Length == 0) continue;
            rows++;
            pending.Enqueue(rows > MaxRows
                ? Task.FromResult(new BatchRow(number, null, new BatchError(TooManyRows, $"A batch holds at most {MaxRows:N0} rows; this one was not verified.")))
                : VerifyRowAsync(context, number, line, format, header, ct));
            while (pending.Count >= settings.Value.BatchParallelism) await WriteNextAsync();
        }
        while (pending.Count > 0) await WriteNextAsync();
        await output.FlushAsync(ct);
        return new BatchSummary(rows, answered, rows - answered);
    }

    private async Task<BatchRow> VerifyRowAsync(RequestContext context, int line, string text, string format, string[]? header, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            var request = format == BatchFormat.Csv ? CsvRequest(text, header!) : JsonSerializer.Deserialize<VerificationRequest>(text, Json);
            var ask = Validator.Parse(request, (r, v) => r.Parse(v));
            return new BatchRow(line, await verifier.VerifyAsync(context, ask, ct), null);
        }
        catch (QuotaExhaustedException e)
        {
            return new BatchRow(line, null, new BatchError(QuotaExhaustedException.Code, e.Message));
        }
        catch (InvalidTextException e)
        {
            return new BatchRow(line, null, new BatchError(TextRules.InvalidTextCode, e.Message));
        }
        catch (JsonException)
        {
            return new BatchRow(line, null, new BatchError("request.malformed", "The line is not a JSON object with the fields of a verification."));
        }
        catch (Exception e) when (e is not OperationCanceledException && Refusal.Of(e) is { IsServerFault: false } refusal)
        {
            var detail = refusal.Errors.Count == 0 ? refusal.Detail : string.Join(" ", refusal.Errors.Select(f => f.Message));
            return new BatchRow(line, null, new BatchError(refusal.Errors.Count == 1 ? refusal.Errors[0].Code : refusal.Code, detail));
        }
    }

    private static VerificationRequest CsvRequest(string line, string[] header)
    {
        var cells = Csv.Split(line);
        string? Cell(string column) => Array.IndexOf(header, column) is var i and >= 0 && i < cells.Count && cells[i].Trim().Length > 0 ? cells[i] : null;
        if (cells.Count != header.Length) throw new ValidationException([new FieldError("", "batch.columns", $"The row has {cells.Count} cells; the header names {header.Length}.")]);
        return new VerificationRequest(Cell("nationalCode"), Cell("purpose"), Cell("birthDate"), Cell("givenName"), Cell("familyName"), Cell("fatherName"));
    }

    private static string CsvRow(BatchRow row)
    {
        var a = row.Answer;
        string? Flag(bool? b) => b is null ? null : b.Value ? "true" : "false";
        return Csv.Join([
            row.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), a?.VerificationId.ToString(), Flag(a?.Match.BirthDate), a?.Match.GivenName,
            a?.Match.FamilyName, a?.Match.FatherName, Flag(a?.Alive), Flag(a?.Known), a?.DateOfDeath?.ToString("yyyy-MM-dd"), a?.DateOfDeathSolarHijri,
            row.Error?.Code, row.Error?.Detail,
        ]);
    }
}

/// <summary>Comma-separated values as RFC 4180 writes them, one record a line: a cell with a comma or a quote is quoted, quotes doubled.</summary>
public static class Csv
{
    public static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') cell.Append(line[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }

    public static string Join(IEnumerable<string?> cells) =>
        string.Join(',', cells.Select(c => c is null ? "" : c.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{c.Replace("\"", "\"\"")}\"" : c));
}

public static class VerifyBatchEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/verifications/batch", async Task<Results<EmptyHttpResult, ProblemHttpResult>> (HttpContext http, IdentityVerifier verifier,
                BatchVerification batch, RequestContext context, CancellationToken ct) =>
            {
                if (BatchFormat.Of(http.Request.ContentType) is not { } format)
                    return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "media.unsupported",
                        $"Send the batch as {BatchFormat.Ndjson} (one JSON object a line) or {BatchFormat.Csv} (with the header {string.Join(',', BatchFormat.CsvColumns)}).");
                await verifier.ActingAgencyAsync(context, ct);
                using var input = new StreamReader(http.Request.Body, Encoding.UTF8);
                string[]? header = null;
                if (format == BatchFormat.Csv && (header = await BatchVerification.ReadHeaderAsync(input, ct)) is null)
                    return Problems.Invalid("batch.invalidHeader",
                        $"The first line names the columns: nationalCode and purpose, and any of birthDate, givenName, familyName, fatherName ({string.Join(',', BatchFormat.CsvColumns)}).");
                http.Response.ContentType = format + "; charset=utf-8";
                await using var output = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
                await batch.RunAsync(context, input, format, header, header is null ? 1 : 2, output, ct);
                return TypedResults.Empty;
            })
            .Accepts<string>(BatchFormat.Ndjson, BatchFormat.Csv)
            .Produces<BatchRow>(StatusCodes.Status200OK, BatchFormat.Ndjson, BatchFormat.Csv)
            .RequireAuthorization(Roles.VerifyPolicy)
            .RequireRateLimiting(AgencyRateLimit.PolicyName)
            .WithName("VerifyIdentityBatch")
            .WithSummary($"Up to {BatchVerification.MaxRows:N0} verifications in one request, as NDJSON or CSV; answered in the same format and order, row by row " +
                "(each with its line, and its answer or error), as they are done. The same rules, quota and access log as one verification. Verifiers only.");
}
