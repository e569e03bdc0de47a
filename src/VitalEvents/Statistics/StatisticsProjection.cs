using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using VitalEvents.Domain;
using VitalEvents.Domain.Statistics;
using VitalEvents.Pipeline;

namespace VitalEvents.Statistics;

/// <summary>
/// The vital statistics, kept by Marten's async daemon from the events in their global order: each page of events is tabulated
/// by <see cref="StatisticsFold"/> with the people it concerns, and the changes to the tables, the population and those people
/// are written in the daemon's own transaction with its progress, so a page is counted once, whichever instance runs it.
/// </summary>
public sealed class StatisticsProjection : ProjectionBase, IProjection
{
    public const string ProjectionName = "statistics";

    public StatisticsProjection()
    {
        Name = ProjectionName;
        IncludeType<BirthRegistered>();
        IncludeType<ChildBirthRecorded>();
        IncludeType<DeathRegistered>();
        IncludeType<FoetalDeathRegistered>();
        IncludeType<MarriageRegistered>();
        IncludeType<DivorceRegistered>();
        IncludeType<CorrectionApproved>();
    }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var codes = events.SelectMany(e => StatisticsFold.PeopleOf(e.StreamKey!, e.Data)).Distinct().ToArray();
        var people = (await operations.LoadManyAsync<StatisticsPerson>(cancellation, codes)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var fold = new StatisticsFold(people);
        foreach (var e in events)
            fold.Apply(e.StreamKey!, e.Data, DateOnly.FromDateTime(e.Timestamp.ToOffset(Tehran.Offset).DateTime));
        if (fold.Changed.Count > 0) operations.Store(fold.Changed.Select(code => people[code]));
        var schema = operations.DocumentStore.Options.DatabaseSchemaName;
        if (fold.Counts.Count > 0) QueueCounts(operations, schema, fold.Counts);
        if (fold.Population.Count > 0) QueuePopulation(operations, schema, fold.Population);
    }

    private static void QueueCounts(IDocumentOperations operations, string schema, Dictionary<StatisticsCell, Tally> counts)
    {
        var cells = counts.Keys.ToArray();
        operations.QueueSqlCommand(
            $"""
            insert into {schema}.{StatisticsSchema.Counts} as t (measure, county, province, year, month, sex, category, count, sum)
            select * from unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::bigint[], ?::float8[])
            on conflict (measure, county, year, month, sex, category)
            do update set count = t.count + excluded.count, sum = t.sum + excluded.sum
            """,
            cells.Select(c => c.Measure).ToArray(), cells.Select(c => c.County).ToArray(), cells.Select(c => StatisticsSchema.ProvinceOf(c.County)).ToArray(),
            cells.Select(c => c.Year).ToArray(), cells.Select(c => c.Month).ToArray(), cells.Select(c => c.Sex).ToArray(),
            cells.Select(c => c.Category).ToArray(), cells.Select(c => counts[c].Count).ToArray(), cells.Select(c => counts[c].Sum).ToArray());
    }

    private static void QueuePopulation(IDocumentOperations operations, string schema, Dictionary<PopulationCell, long> population)
    {
        var cells = population.Where(p => p.Value != 0).Select(p => p.Key).ToArray();
        if (cells.Length == 0) return;
        operations.QueueSqlCommand(
            $"""
            insert into {schema}.{StatisticsSchema.Population} as t (county, province, sex, birth_year, death_year, count)
            select * from unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::bigint[])
            on conflict (county, sex, birth_year, death_year) do update set count = t.count + excluded.count
            """,
            cells.Select(c => c.County).ToArray(), cells.Select(c => StatisticsSchema.ProvinceOf(c.County)).ToArray(), cells.Select(c => c.Sex).ToArray(),
            cells.Select(c => c.BirthYear).ToArray(), cells.Select(c => c.DeathYear).ToArray(), cells.Select(c => population[c]).ToArray());
    }
}
