using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using VitalEvents.Domain;
using VitalEvents.Domain.Statistics;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Statistics;

/// <summary>
/// A province's (or the country's) vital indicators for a Solar Hijri year (docs/statistics.md, "Indicators"): births and deaths,
/// the mid-year registered population, crude birth and death rates per 1,000, the sex ratio at birth (boys per 100 girls), the
/// mean age of the mother at birth, the median age at first marriage of men and of women, and the share of births registered late.
/// </summary>
public sealed record IndicatorRow(
    string Key, string? Name, string? NameEnglish, long? Births, long? Deaths, long? MidYearPopulation, double? CrudeBirthRate,
    double? CrudeDeathRate, double? SexRatioAtBirth, double? MeanAgeOfMother, double? MedianAgeAtFirstMarriageMen,
    double? MedianAgeAtFirstMarriageWomen, double? LateBirthRegistrationPercent);

public sealed record IndicatorTable(int Year, IReadOnlyList<IndicatorRow> Rows, IndicatorRow Total, int? SuppressionThreshold);

public sealed record GetIndicatorsQuery(int Year, bool Public) : IQuery<IndicatorTable>;

public sealed class GetIndicatorsHandler(StatisticsReader reader, StoreSettings settings, ReadConnections reads, IOptions<StatisticsSettings> options)
    : IQueryHandler<GetIndicatorsQuery, IndicatorTable>
{
    public async ValueTask<IndicatorTable> Handle(GetIndicatorsQuery query, CancellationToken ct)
    {
        var year = query.Year;
        int? threshold = query.Public ? options.Value.SuppressionThreshold : null;
        var births = await reader.TableAsync(new TableQuery(Measures.Find(Measures.Births)!, TableRows.Province, year, year, null, null), ct);
        var deaths = await reader.TableAsync(new TableQuery(Measures.Find(Measures.Deaths)!, TableRows.Province, year, year, null, null), ct);
        var late = await reader.TableAsync(new TableQuery(Measures.Find(Measures.BirthsByTimeliness)!, TableRows.Province, year, year, null, null), ct);
        var (publicBirths, publicDeaths, publicLate) = threshold is { } t
            ? (StatisticsReader.Suppress(births, t), StatisticsReader.Suppress(deaths, t), StatisticsReader.Suppress(late, t))
            : (births, deaths, late);
        var endOfYear = Totals(await GetPopulationHandler.LivingAsync(settings, reads, year, null, ct));
        var endOfLastYear = Totals(await GetPopulationHandler.LivingAsync(settings, reads, year - 1, null, ct));
        var (motherAges, firstMarriages) = await AgesAsync(year, ct);

        IndicatorRow Row(int index)
        {
            var national = index < 0;
            StatisticsRow Of(StatisticsTable table) => national ? table.Total : table.Rows[index];
            var key = Of(births).Key;
            var (b, pb, d, pd, l, pl) = (Of(births), Of(publicBirths), Of(deaths), Of(publicDeaths), Of(late), Of(publicLate));
            var population = (Sum(endOfYear, key, national) + Sum(endOfLastYear, key, national)) / 2.0;
            var populationShown = threshold is { } min && Suppression.Small((long)population, min) ? (double?)null : population;
            var mother = national ? motherAges.Values.Aggregate(default(Tally), (a, v) => a + v) : motherAges.GetValueOrDefault(key);
            var female = pb.Cells[0] is null ? null : b.Cells[0];
            var male = pb.Cells[1] is null ? null : b.Cells[1];
            return new IndicatorRow(key, b.Name, b.NameEnglish, pb.Total, pd.Total, populationShown is { } p ? (long)Math.Round(p) : null,
                Rate(pb.Total, populationShown), Rate(pd.Total, populationShown),
                female is > 0 && male is { } m ? Math.Round(100.0 * m / female.Value, 1) : null,
                mother.Count > 0 && !(threshold is { } min2 && mother.Count < min2) ? Math.Round(mother.Sum / mother.Count, 1) : null,
                Median(firstMarriages, key, national, Vocabulary.Male, threshold), Median(firstMarriages, key, national, Vocabulary.Female, threshold),
                pb.Total is > 0 && pl.Cells[1] is { } lateBirths ? Math.Round(100.0 * lateBirths / pb.Total.Value, 1) : null);
        }

        return new IndicatorTable(year, [.. births.Rows.Select((_, i) => Row(i))], Row(-1), threshold);
    }

    private static double? Rate(long? count, double? population) =>
        count is { } c && population is > 0 ? Math.Round(1000.0 * c / population.Value, 2) : null;

    private static Dictionary<string, long> Totals(Dictionary<(string Row, string Sex, int Age), long> living) =>
        living.GroupBy(l => l.Key.Row).ToDictionary(g => g.Key, g => g.Sum(l => l.Value));

    private static long Sum(Dictionary<string, long> totals, string key, bool national) => national ? totals.Values.Sum() : totals.GetValueOrDefault(key);

    /// <summary>The median of single years of age, interpolated within the year of age that holds it; null below the threshold.</summary>
    private static double? Median(Dictionary<(string Province, string Sex, int Age), long> ages, string key, bool national, string sex, int? threshold)
    {
        var counts = ages.Where(a => a.Key.Sex == sex && (national || a.Key.Province == key))
            .GroupBy(a => a.Key.Age).OrderBy(g => g.Key).Select(g => (Age: g.Key, Count: g.Sum(a => a.Value))).ToList();
        var n = counts.Sum(c => c.Count);
        if (n == 0 || (threshold is { } t && n < t)) return null;
        double below = 0;
        foreach (var (age, count) in counts)
        {
            if (below + count >= n / 2.0) return Math.Round(age + (n / 2.0 - below) / count, 1);
            below += count;
        }
        return null;
    }

    /// <summary>By province: the mothers' ages at the births of the year (count and sum), and first marriages by sex and single year of age.</summary>
    private async Task<(Dictionary<string, Tally>, Dictionary<(string, string, int), long>)> AgesAsync(int year, CancellationToken ct)
    {
        await using var connection = await reads.OpenAsync(ct);
        var mothers = new Dictionary<string, Tally>();
        await using (var command = new NpgsqlCommand(
            $"select province, sum(count)::bigint, sum(sum) from {settings.Schema}.{StatisticsSchema.Counts} where measure = @measure and year = @year and category <> @unknown group by 1",
            connection))
        {
            command.Parameters.AddWithValue("measure", Measures.BirthsByMotherAge);
            command.Parameters.AddWithValue("year", year);
            command.Parameters.AddWithValue("unknown", Measures.Unknown);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) mothers[reader.GetString(0)] = new Tally(reader.GetInt64(1), reader.GetDouble(2));
        }
        var marriages = new Dictionary<(string, string, int), long>();
        await using (var command = new NpgsqlCommand(
            $"select province, sex, case when category = '100+' then 100 else category::int end, sum(count)::bigint from {settings.Schema}.{StatisticsSchema.Counts} where measure = @measure and year = @year and category <> @unknown group by 1, 2, 3",
            connection))
        {
            command.Parameters.AddWithValue("measure", Measures.FirstMarriagesByAge);
            command.Parameters.AddWithValue("year", year);
            command.Parameters.AddWithValue("unknown", Measures.Unknown);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) marriages[(reader.GetString(0), reader.GetString(1), reader.GetInt32(2))] = reader.GetInt64(3);
        }
        return (mothers, marriages);
    }
}

public static class GetIndicatorsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/statistics/indicators", (string? year, IMediator mediator, TimeProvider clock, CancellationToken ct) => Respond(year, mediator, clock, false, ct))
            .RequireAuthorization(Roles.StatisticsPolicy)
            .ConditionalRead()
            .WithName("GetIndicators")
            .WithSummary("Vital indicators by province for a Solar Hijri year, in full (statisticians): crude birth and death rates, sex ratio at birth, mean age of the mother, median age at first marriage by sex, share of late birth registrations.")
            .Produces<IndicatorTable>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/statistics/public/indicators", (string? year, IMediator mediator, TimeProvider clock, CancellationToken ct) => Respond(year, mediator, clock, true, ct))
            .AllowAnonymous()
            .ConditionalRead()
            .WithName("GetPublicIndicators")
            .WithSummary("Vital indicators by province for a Solar Hijri year, without a token: an indicator resting on a withheld count is null.")
            .Produces<IndicatorTable>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<Ok<IndicatorTable>, ProblemHttpResult>> Respond(string? year, IMediator mediator, TimeProvider clock, bool publicTable,
        CancellationToken ct)
    {
        if (GetStatisticsTableEndpoints.Year(year, SolarHijri.Year(clock.Today()), out var y) is { } error) return Problems.Invalid("statistics.invalidYear", error);
        return TypedResults.Ok(await mediator.Send(new GetIndicatorsQuery(y, publicTable), ct));
    }
}
