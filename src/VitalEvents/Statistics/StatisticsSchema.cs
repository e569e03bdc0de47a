using VitalEvents.Domain;
using VitalEvents.Domain.Statistics;

namespace VitalEvents.Statistics;

/// <summary>
/// The statistics tables the projection keeps: counts (and sums, for means) by measure, category, sex, county and Solar Hijri month;
/// and the registered population by county of birth registration, sex, and Solar Hijri years of birth and of death (0 while living).
/// </summary>
public static class StatisticsSchema
{
    public const string Counts = "stat_counts";
    public const string Population = "stat_population";

    /// <summary>The province (slug) of a county (office code), or <see cref="Measures.Unknown"/>.</summary>
    public static string ProvinceOf(string county) => Offices.Find(county)?.ProvinceSlug ?? Measures.Unknown;

    public static string Sql(string schema) => $"""
        create table if not exists {schema}.{Counts} (
            measure text not null,
            county text not null,
            province text not null,
            year int not null,
            month int not null,
            sex text not null,
            category text not null,
            count bigint not null,
            sum double precision not null,
            primary key (measure, county, year, month, sex, category)
        );
        create index if not exists {Counts}_by_year on {schema}.{Counts} (measure, year, province);
        create table if not exists {schema}.{Population} (
            county text not null,
            province text not null,
            sex text not null,
            birth_year int not null,
            death_year int not null,
            count bigint not null,
            primary key (county, sex, birth_year, death_year)
        );
        """;
}
