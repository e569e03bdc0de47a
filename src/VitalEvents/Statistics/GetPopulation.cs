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
/// The registered living population at the end of a Solar Hijri year (births and imported records, less deaths), by province (or
/// the counties of one) and five-year age group, one table for each sex: the population pyramid. Age at the end of the year is
/// the year less the year of birth.
/// </summary>
public sealed record PopulationTables(int Year, string By, string? Province, StatisticsTable Female, StatisticsTable Male);

public sealed record GetPopulationQuery(int Year, string? Province, bool Public) : IQuery<PopulationTables>;

public sealed class GetPopulationHandler(StoreSettings settings, ReadConnections reads, IOptions<StatisticsSettings> options) : IQueryHandler<GetPopulationQuery, PopulationTables>
{
    public static readonly Measure Measure = new("population", "population", Measures.PopulationAges.Names, true);

    public async ValueTask<PopulationTables> Handle(GetPopulationQuery query, CancellationToken cancellationToken)
    {
        var living = await LivingAsync(settings, reads, query.Year, query.Province, cancellationToken);
        var by = query.Province is null ? TableRows.Province : TableRows.County;
        StatisticsTable Table(string sex)
        {
            var q = new TableQuery(Measure, by, query.Year, query.Year, query.Province, sex);
            var rows = StatisticsReader.RowKeys(q, living.Keys.Where(k => k.Sex == sex).Select(k => k.Row).ToHashSet(StringComparer.Ordinal));
            var cells = new long[rows.Count, Measure.Categories.Count];
            foreach (var ((row, cellSex, age), count) in living)
                if (cellSex == sex) cells[rows.FindIndex(r => r.Key == row), Measures.PopulationAges.IndexOf(Math.Max(0, age))] += count;
            var table = StatisticsReader.Build(q, Measure.Categories, rows, cells);
            return query.Public ? StatisticsReader.Suppress(table, options.Value.SuppressionThreshold) : table;
        }
        return new PopulationTables(query.Year, by, query.Province, Table(Vocabulary.Female), Table(Vocabulary.Male));
    }

    /// <summary>The living at the end of a year by row (province, or county of the province), sex and age in years.</summary>
    public static async Task<Dictionary<(string Row, string Sex, int Age), long>> LivingAsync(StoreSettings settings, ReadConnections reads, int year, string? province, CancellationToken ct)
    {
        await using var connection = await reads.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select {(province is null ? "province" : "county")}, sex, @year - birth_year, sum(count)::bigint from {settings.Schema}.{StatisticsSchema.Population}
            where birth_year <= @year and (death_year = 0 or death_year > @year) {(province is null ? "" : "and province = @province")}
            group by 1, 2, 3 having sum(count) <> 0
            """, connection);
        command.Parameters.AddWithValue("year", year);
        if (province is not null) command.Parameters.AddWithValue("province", province);
        var living = new Dictionary<(string, string, int), long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) living[(reader.GetString(0), reader.GetString(1), reader.GetInt32(2))] = reader.GetInt64(3);
        return living;
    }
}

public static class GetPopulationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/statistics/population", (string? year, string? province, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
                Respond(year, province, mediator, clock, publicTables: false, ct))
            .RequireAuthorization(Roles.StatisticsPolicy)
            .ConditionalRead()
            .WithName("GetPopulation")
            .WithSummary("The registered living population at the end of a Solar Hijri year by province (or the counties of one), five-year age group and sex, in full (statisticians).")
            .Produces<PopulationTables>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/statistics/public/population", (string? year, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
                Respond(year, null, mediator, clock, publicTables: true, ct))
            .AllowAnonymous()
            .ConditionalRead()
            .WithName("GetPublicPopulation")
            .WithSummary("The registered living population at the end of a Solar Hijri year by province, five-year age group and sex, without a token; small counts withheld.")
            .Produces<PopulationTables>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<Ok<PopulationTables>, ProblemHttpResult>> Respond(string? year, string? province, IMediator mediator, TimeProvider clock,
        bool publicTables, CancellationToken ct)
    {
        if (GetStatisticsTableEndpoints.Year(year, SolarHijri.Year(clock.Today()), out var y) is { } error) return Problems.Invalid("statistics.invalidYear", error);
        if (province is not null && !Offices.ProvinceSlugs.Contains(province))
            return Problems.Invalid("statistics.unknownProvince", $"There is no province '{province}' (a slug such as tehran or east-azerbaijan).");
        return TypedResults.Ok(await mediator.Send(new GetPopulationQuery(y, province, publicTables), ct));
    }
}
