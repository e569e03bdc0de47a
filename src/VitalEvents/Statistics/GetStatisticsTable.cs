using System.Globalization;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using VitalEvents.Domain;
using VitalEvents.Domain.Statistics;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Statistics;

/// <summary>A statistics table, in full (statisticians) or for publication (small counts withheld).</summary>
public sealed record GetStatisticsTableQuery(TableQuery Table, bool Public) : IQuery<StatisticsTable>;

public sealed class GetStatisticsTableHandler(StatisticsReader reader, IOptions<StatisticsSettings> settings)
    : IQueryHandler<GetStatisticsTableQuery, StatisticsTable>
{
    public async ValueTask<StatisticsTable> Handle(GetStatisticsTableQuery query, CancellationToken cancellationToken)
    {
        var table = await reader.TableAsync(query.Table, cancellationToken);
        return query.Public ? StatisticsReader.Suppress(table, settings.Value.SuppressionThreshold) : table;
    }
}

public static class GetStatisticsTableEndpoints
{
    public const string CsvMediaType = "text/csv";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/statistics/measures", () => TypedResults.Ok(Measures.All))
            .AllowAnonymous()
            .ConditionalRead()
            .WithName("GetStatisticsMeasures")
            .WithSummary("Every measure a statistics table shows: its name, the kind of event it counts, its categories (columns) in order, and whether it is also counted by sex.");

        api.MapGet("/statistics/tables/{measure}", (string measure, string? by, string? year, string? from, string? to, string? province, string? sex,
                string? format, HttpContext http, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
                Parse(measure, by, year, from, to, province, sex, clock, publicTable: false, out var query) ?? Respond(mediator, query!, false, format, http, ct))
            .RequireAuthorization(Roles.StatisticsPolicy)
            .ConditionalRead()
            .WithName("GetStatisticsTable")
            .WithSummary("A full statistics table (statisticians): one measure by province, county (of a province), month (of a year) or year (from–to), optionally for one sex; JSON, or CSV with format=csv.")
            .Produces<StatisticsTable>(StatusCodes.Status200OK, "application/json", CsvMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/statistics/public/tables/{measure}", (string measure, string? by, string? year, string? format, HttpContext http, IMediator mediator,
                TimeProvider clock, CancellationToken ct) =>
                Parse(measure, by, year, null, null, null, null, clock, publicTable: true, out var query) ?? Respond(mediator, query!, true, format, http, ct))
            .AllowAnonymous()
            .ConditionalRead()
            .WithName("GetPublicStatisticsTable")
            .WithSummary("A published statistics table, without a token: one measure for a Solar Hijri year by province, or nationally by month; every count below the threshold is withheld (null), and enough others that no total gives one away.")
            .Produces<StatisticsTable>(StatusCodes.Status200OK, "application/json", CsvMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> RespondAsync(IMediator mediator, TableQuery query, bool publicTable, string? format, CancellationToken ct) =>
        await mediator.Send(new GetStatisticsTableQuery(query, publicTable), ct) is var table && format == "csv"
            ? TypedResults.Text(StatisticsReader.ToCsv(table), CsvMediaType + "; charset=utf-8")
            : TypedResults.Ok(table);

    private static Task<IResult> Respond(IMediator mediator, TableQuery query, bool publicTable, string? format, HttpContext http, CancellationToken ct)
    {
        if (format is not (null or "json" or "csv")) return Task.FromResult<IResult>(Problems.Invalid("statistics.invalidFormat", "format is json or csv."));
        if (format is null && Accepts(http, CsvMediaType)) format = "csv";
        return RespondAsync(mediator, query, publicTable, format, ct);
    }

    /// <summary>Whether the request's Accept header names the media type (and not JSON first).</summary>
    public static bool Accepts(HttpContext http, string mediaType) =>
        http.Request.GetTypedHeaders().Accept.OrderByDescending(a => a.Quality ?? 1).FirstOrDefault()?.MediaType.Value == mediaType;

    private static Task<IResult>? Parse(string measureName, string? by, string? year, string? from, string? to, string? province, string? sex,
        TimeProvider clock, bool publicTable, out TableQuery? query)
    {
        query = null;
        if (Measures.Find(measureName) is not { } measure)
            return Invalid("statistics.unknownMeasure", $"There is no measure '{measureName}'. Measures: {string.Join(", ", Measures.All.Select(m => m.Name))}.");
        by ??= TableRows.Province;
        string[] rows = publicTable ? [TableRows.Province, TableRows.Month] : TableRows.All;
        if (!rows.Contains(by)) return Invalid("statistics.invalidRows", $"by is one of {string.Join(", ", rows)}.");
        if (province is not null && !Offices.ProvinceSlugs.Contains(province))
            return Invalid("statistics.unknownProvince", $"There is no province '{province}' (a slug such as tehran or east-azerbaijan).");
        if (sex is not null && !(measure.BySex && (Vocabulary.Sexes.Contains(sex) || sex == Measures.Unknown)))
            return Invalid("statistics.invalidSex", measure.BySex ? "sex is female, male or unknown." : $"{measure.Name} is not counted by sex.");
        if (by == TableRows.County && province is null) return Invalid("statistics.provinceRequired", "A table by county names its province.");
        var thisYear = SolarHijri.Year(clock.Today());
        if (by == TableRows.Year)
        {
            if (year is not null) return Invalid("statistics.invalidYear", "A table by year takes from and to, not year.");
            if (Year(from, thisYear - 9, out var first) is { } fromError) return Invalid("statistics.invalidYear", $"from: {fromError}");
            if (Year(to, thisYear, out var last) is { } toError) return Invalid("statistics.invalidYear", $"to: {toError}");
            if (last < first || last - first > 200) return Invalid("statistics.invalidYear", "to is from from to 200 years after it.");
            query = new TableQuery(measure, by, first, last, province, sex);
            return null;
        }
        if (from is not null || to is not null) return Invalid("statistics.invalidYear", "from and to are for a table by year; this one takes year.");
        if (Year(year, thisYear, out var single) is { } yearError) return Invalid("statistics.invalidYear", yearError);
        query = new TableQuery(measure, by, single, single, province, sex);
        return null;
    }

    /// <summary>Parses a Solar Hijri year (Persian digits allowed) within the dates the registry records; null on success.</summary>
    public static string? Year(string? text, int fallback, out int year)
    {
        year = fallback;
        if (text is null) return null;
        if (!int.TryParse(PersianText.AsciiDigits(text.Trim()), NumberStyles.None, CultureInfo.InvariantCulture, out year)
            || year < SolarHijri.Year(SolarHijri.MinDate) || year > SolarHijri.Year(SolarHijri.MaxDate))
            return $"'{text}' is not a Solar Hijri year from {SolarHijri.Year(SolarHijri.MinDate)} to {SolarHijri.Year(SolarHijri.MaxDate)}.";
        return null;
    }

    private static Task<IResult> Invalid(string code, string detail) => Task.FromResult<IResult>(Problems.Invalid(code, detail));
}
