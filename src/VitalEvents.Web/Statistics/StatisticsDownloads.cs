using System.Globalization;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Statistics;
using VitalEvents.Pipeline;
using VitalEvents.Statistics;
using VitalEvents.Verifications;

namespace VitalEvents.Web.Statistics;

/// <summary>
/// The observatory's charts and tables as CSV for the console's signed-in statisticians (a cookie session: the API's own CSV
/// takes bearer tokens), through the same queries as <c>/api/statistics</c>.
/// </summary>
public static class StatisticsDownloads
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var csv = app.MapGroup("/statistics/csv").RequireAuthorization(Roles.StatisticsPolicy).ExcludeFromDescription();

        csv.MapGet("/table", async (string? measure, string? by, string? year, string? province, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
        {
            if (Measures.Find(measure) is not { } m || !TableRows.All.Contains(by ?? "") || Invalid(year, province, clock, out var y)) return Results.BadRequest();
            var rows = by!;
            if (rows == TableRows.County && province is null) return Results.BadRequest();
            var table = await mediator.Send(new GetStatisticsTableQuery(new TableQuery(m, rows, y, y, province, null), false), ct);
            return File(StatisticsReader.ToCsv(table), $"{m.Name}-{rows}-{y}");
        });

        csv.MapGet("/population", async (string? sex, string? year, string? province, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
        {
            if (!Vocabulary.Sexes.Contains(sex) || Invalid(year, province, clock, out var y)) return Results.BadRequest();
            var tables = await mediator.Send(new GetPopulationQuery(y, province, false), ct);
            return File(StatisticsReader.ToCsv(sex == Vocabulary.Female ? tables.Female : tables.Male), $"population-{sex}-{y}");
        });

        csv.MapGet("/indicators", async (string? year, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
        {
            if (Invalid(year, null, clock, out var y)) return Results.BadRequest();
            var table = await mediator.Send(new GetIndicatorsQuery(y, false), ct);
            return File(IndicatorsCsv(table), $"indicators-{y}");
        });
    }

    private static bool Invalid(string? year, string? province, TimeProvider clock, out int y) =>
        GetStatisticsTableEndpoints.Year(year, SolarHijri.Year(clock.Today()), out y) is not null
        || (province is not null && !Offices.ProvinceSlugs.Contains(province));

    private static IResult File(string csv, string name) =>
        Results.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", $"{name}.csv");

    /// <summary>The indicators as CSV: one line a province and the country's last, the columns the API's field names.</summary>
    public static string IndicatorsCsv(IndicatorTable table)
    {
        var lines = new List<string>
        {
            Csv.Join(["key", "name", "nameEnglish", "births", "deaths", "midYearPopulation", "crudeBirthRate", "crudeDeathRate", "sexRatioAtBirth",
                "meanAgeOfMother", "medianAgeAtFirstMarriageMen", "medianAgeAtFirstMarriageWomen", "lateBirthRegistrationPercent"]),
        };
        foreach (var r in table.Rows.Append(table.Total))
            lines.Add(Csv.Join([r.Key, r.Name, r.NameEnglish, N(r.Births), N(r.Deaths), N(r.MidYearPopulation), N(r.CrudeBirthRate), N(r.CrudeDeathRate),
                N(r.SexRatioAtBirth), N(r.MeanAgeOfMother), N(r.MedianAgeAtFirstMarriageMen), N(r.MedianAgeAtFirstMarriageWomen), N(r.LateBirthRegistrationPercent)]));
        return string.Join("\r\n", lines) + "\r\n";
    }

    private static string? N(long? v) => v?.ToString(CultureInfo.InvariantCulture);
    private static string? N(double? v) => v?.ToString(CultureInfo.InvariantCulture);
}
