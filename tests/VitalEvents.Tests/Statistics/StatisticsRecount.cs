using System.Globalization;
using Npgsql;
using VitalEvents.Domain;
using VitalEvents.Domain.Statistics;

namespace VitalEvents.Tests.Statistics;

/// <summary>
/// The statistics counted again straight from mt_events in SQL, without the projection's code: Solar Hijri months from .NET's
/// PersianCalendar as a table of date ranges, ages from the birth date the person's events gave as of each event (their last
/// approved correction before it), each marriage and divorce taken from the husband's stream.
/// </summary>
public static class StatisticsRecount
{
    private static readonly PersianCalendar Calendar = new();

    /// <summary>Every statistics cell with a count: measure, county, year, month, sex, category and count, sorted, as text.</summary>
    public static async Task<List<string>> CountsAsync(string schema)
    {
        var sql = $$"""
            with months as (select * from unnest(@y::int[], @m::int[], @s::date[], @e::date[]) as t(y, m, s, e)),
            places as (select * from unnest(@names::text[], @slugs::text[]) as t(name, slug)),
            ev as (select seq_id, stream_id, type, data, timestamp from {{schema}}.mt_events),
            born as (select stream_id as code, seq_id, (data->>'BirthDate')::date as dob, data->>'Sex' as sex, data->>'OfficeCode' as county from ev where type = 'birth_registered.v1'),
            fixes as (select stream_id as code, seq_id, data->>'Field' as field, data->>'NewValue' as value, data->>'Authority' as authority, timestamp from ev where type = 'correction_approved.v1'),
            facts as (
                -- births
                select b.seq_id, 'birth' as kind, ev.data->>'OfficeCode' as county, b.dob as d, b.sex, ev.data as data, ev.data->>'MotherNationalCode' as mother
                from born b join ev on ev.seq_id = b.seq_id),
            birth_rows as (
                select f.*, m.dob_then as mother_dob,
                       case when m.dob_then is null then null else row_number() over (partition by f.mother order by f.seq_id) end as birth_order
                from facts f
                left join lateral (select {{Dob("f.mother", "f.seq_id")}} as dob_then where exists (select 1 from born x where x.code = f.mother and x.seq_id < f.seq_id)) m on true),
            deaths as (
                select e.seq_id, e.data->>'OfficeCode' as county, (e.data->>'Date')::date as d, e.data, e.stream_id as code,
                       {{Sex("e.stream_id", "e.seq_id")}} as sex, {{Dob("e.stream_id", "e.seq_id")}} as dob,
                       coalesce(e.data->'CausesIcd10'->>0, e.data->>'CauseIcd10') as cause
                from ev e where e.type in ('death_registered.v2', 'death_registered.v1')),
            marriages as (
                select e.seq_id, e.data->>'OfficeCode' as county, (e.data->>'Date')::date as d, e.data,
                       {{Dob("e.data->>'HusbandNationalCode'", "e.seq_id")}} as hdob, {{Dob("e.data->>'WifeNationalCode'", "e.seq_id")}} as wdob,
                       {{Prior("e.data->>'HusbandNationalCode'")}} as hprior,
                       {{Prior("e.data->>'WifeNationalCode'")}} as wprior
                from ev e where e.type = 'marriage_registered.v1' and e.stream_id = e.data->>'HusbandNationalCode'),
            divorces as (
                select e.seq_id, e.data->>'OfficeCode' as county, (e.data->>'Date')::date as d, e.data,
                       (select (m.data->>'Date')::date from ev m where m.type = 'marriage_registered.v1' and m.stream_id = e.stream_id and m.data->>'MarriageId' = e.data->>'MarriageId' and m.seq_id < e.seq_id) as married
                from ev e where e.type = 'divorce_registered.v1' and e.stream_id = e.data->>'HusbandNationalCode'),
            corrections as (
                select f.seq_id, coalesce((select county from born b where b.code = f.code), '') as county, ((f.timestamp at time zone 'UTC') + interval '3 hours 30 minutes')::date as d,
                       {{Sex("f.code", "f.seq_id")}} as sex, f.field, f.authority
                from fixes f),
            cells as (
                select 'births' as measure, county, d, sex, '' as category from birth_rows
                union all select 'births.motherAge', county, d, sex, {{Group("age_years(mother_dob, d)", Measures.AdultAges)}} from birth_rows
                union all select 'births.order', county, d, sex, case when birth_order is null then 'unknown' when birth_order >= 5 then '5+' else birth_order::text end from birth_rows
                union all select 'births.plurality', county, d, sex, case when data->'MultipleBirthOrder' is null or jsonb_typeof(data->'MultipleBirthOrder') = 'null' then 'single' else 'multiple' end from birth_rows
                union all select 'births.late', county, d, sex, case when (data->>'LateRegistration')::bool then 'late' else 'onTime' end from birth_rows
                union all select 'births.place', county, d, sex, coalesce((select slug from places where name = data->'BirthPlace'->>'Province'), 'other') from birth_rows
                union all select 'lateRegistrations', county, d, sex, 'birth' from birth_rows where (data->>'LateRegistration')::bool
                union all select 'deaths', county, d, coalesce(sex, ''), '' from deaths
                union all select 'deaths.age', county, d, coalesce(sex, ''), {{Group("age_years(dob, d)", Measures.DeathAges)}} from deaths
                union all select 'deaths.cause', county, d, coalesce(sex, ''), {{Chapter("cause")}} from deaths
                union all select 'deaths.place', county, d, coalesce(sex, ''), coalesce((select slug from places where name = data->'Place'->>'Province'), 'other') from deaths
                union all select 'deaths.late', county, d, coalesce(sex, ''), case when (data->>'LateRegistration')::bool then 'late' else 'onTime' end from deaths
                union all select 'lateRegistrations', county, d, coalesce(sex, ''), 'death' from deaths where (data->>'LateRegistration')::bool
                union all select 'foetalDeaths', data->>'OfficeCode', (data->>'Date')::date, coalesce(data->>'Sex', ''), '' from ev where type = 'foetal_death_registered.v1'
                union all select 'foetalDeaths.gestation', data->>'OfficeCode', (data->>'Date')::date, coalesce(data->>'Sex', ''), {{Group("(data->>'GestationWeeks')::int", Measures.Gestation)}} from ev where type = 'foetal_death_registered.v1'
                union all select 'marriages', county, d, '', '' from marriages
                union all select 'marriages.kind', county, d, '', data->>'Kind' from marriages
                union all select 'marriages.age', county, d, 'male', {{Group("age_years(hdob, d)", Measures.AdultAges)}} from marriages
                union all select 'marriages.age', county, d, 'female', {{Group("age_years(wdob, d)", Measures.AdultAges)}} from marriages
                union all select 'marriages.firstAge', county, d, 'male', {{SingleYear("age_years(hdob, d)")}} from marriages where hprior = 0
                union all select 'marriages.firstAge', county, d, 'female', {{SingleYear("age_years(wdob, d)")}} from marriages where wprior = 0
                union all select 'divorces', county, d, '', '' from divorces
                union all select 'divorces.kind', county, d, '', data->>'Kind' from divorces
                union all select 'divorces.duration', county, d, '', {{Group("age_years(married, d)", Measures.MarriageYears)}} from divorces
                union all select 'corrections.field', county, d, coalesce(sex, ''), field from corrections
                union all select 'corrections.authority', county, d, coalesce(sex, ''), authority from corrections)
            select c.measure || ' ' || c.county || ' ' || m.y || ' ' || m.m || ' ' || c.sex || ' ' || c.category || ' ' || count(*)
            from cells c join months m on c.d >= m.s and c.d < m.e
            group by c.measure, c.county, m.y, m.m, c.sex, c.category
            order by 1
            """;
        return await RowsAsync(sql);
    }

    /// <summary>The registered population now: county of birth registration, sex, Solar Hijri year of birth and of death (0 living), count.</summary>
    public static async Task<List<string>> PopulationAsync(string schema)
    {
        var sql = $$"""
            with months as (select * from unnest(@y::int[], @m::int[], @s::date[], @e::date[]) as t(y, m, s, e)),
            ev as (select seq_id, stream_id, type, data, timestamp from {{schema}}.mt_events),
            born as (select stream_id as code, (data->>'BirthDate')::date as dob, data->>'Sex' as sex, data->>'OfficeCode' as county from ev where type = 'birth_registered.v1'),
            fixes as (select distinct on (stream_id, data->>'Field') stream_id as code, data->>'Field' as field, data->>'NewValue' as value
                      from ev where type = 'correction_approved.v1' order by stream_id, data->>'Field', seq_id desc),
            people as (
                select b.county, coalesce(sx.value, b.sex) as sex, coalesce(dx.value::date, b.dob) as dob, d.died
                from born b
                left join fixes sx on sx.code = b.code and sx.field = 'sex'
                left join fixes dx on dx.code = b.code and dx.field = 'birthDate'
                left join (select stream_id as code, (data->>'Date')::date as died from ev where type in ('death_registered.v2', 'death_registered.v1')) d on d.code = b.code)
            select p.county || ' ' || p.sex || ' ' || bm.y || ' ' || coalesce(dm.y, 0) || ' ' || count(*)
            from people p join months bm on p.dob >= bm.s and p.dob < bm.e left join months dm on p.died >= dm.s and p.died < dm.e
            group by p.county, p.sex, bm.y, coalesce(dm.y, 0)
            order by 1
            """;
        return await RowsAsync(sql);
    }

    /// <summary>The birth date a person's events give as of an event: the last approved correction of it before, else the birth's (if recorded before).</summary>
    private static string Dob(string code, string seq) =>
        $"coalesce((select (x.value)::date from fixes x where x.code = {code} and x.field = 'birthDate' and x.seq_id < {seq} order by x.seq_id desc limit 1), (select dob from born x where x.code = {code} and x.seq_id < {seq}))";

    /// <summary>A spouse's marriages before this one, each counted once (its husband's copy), in the order recorded.</summary>
    private static string Prior(string code) =>
        $"(select count(*) from ev p where p.type = 'marriage_registered.v1' and p.stream_id = p.data->>'HusbandNationalCode' and {code} in (p.data->>'HusbandNationalCode', p.data->>'WifeNationalCode') and p.seq_id < e.seq_id)";

    private static string Sex(string code, string seq) =>
        $"coalesce((select x.value from fixes x where x.code = {code} and x.field = 'sex' and x.seq_id < {seq} order by x.seq_id desc limit 1), (select sex from born x where x.code = {code} and x.seq_id < {seq}))";

    private static string Group(string years, AgeGroups groups)
    {
        var bounds = groups.LowerBounds.Skip(1).ToList();
        var cases = bounds.Select((b, i) => $"when {years} < {b} then '{groups.Names[i]}'");
        return $"(case when {years} is null or {years} < 0 then 'unknown' {string.Join(" ", cases)} else '{groups.Names[^1]}' end)";
    }

    private static string SingleYear(string years) =>
        $"(case when {years} is null or {years} < 0 then 'unknown' when {years} >= 100 then '100+' else ({years})::text end)";

    private static string Chapter(string code) =>
        $"(case {string.Join(" ", Icd10Chapters.All.Select(c => $"when upper(left({code}, 3)) between '{c.First}' and '{c.Last}' then '{c.Chapter}'"))} else 'unknown' end)";

    private static async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(RegistryFactory.OwnerConnectionString);
        await connection.OpenAsync();
        await using (var function = new NpgsqlCommand(
            // Completed years by month and day (29 February completes a year on 1 March in a common year).
            """
            create or replace function pg_temp.age_years(born date, at date) returns int language sql immutable as
            $$ select extract(year from at)::int - extract(year from born)::int - case when to_char(at, 'MMDD') < to_char(born, 'MMDD') then 1 else 0 end $$
            """, connection))
            await function.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(sql.Replace("age_years(", "pg_temp.age_years("), connection) { CommandTimeout = 300 };
        var months = Enumerable.Range(1178, 402).SelectMany(y => Enumerable.Range(1, 12).Select(m => (y, m))).ToList();
        DateTime Start(int y, int m) => Calendar.ToDateTime(y, m, 1, 0, 0, 0, 0);
        command.Parameters.AddWithValue("y", months.Select(x => x.y).ToArray());
        command.Parameters.AddWithValue("m", months.Select(x => x.m).ToArray());
        command.Parameters.AddWithValue("s", months.Select(x => DateOnly.FromDateTime(Start(x.y, x.m))).ToArray());
        command.Parameters.AddWithValue("e", months.Select(x => DateOnly.FromDateTime(x.m == 12 ? Start(x.y + 1, 1) : Start(x.y, x.m + 1))).ToArray());
        var places = Offices.List.DistinctBy(o => o.Province).ToList();
        command.Parameters.AddWithValue("names", places.Select(o => o.Province).ToArray());
        command.Parameters.AddWithValue("slugs", places.Select(o => o.ProvinceSlug).ToArray());
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>What the projection keeps, in the same form.</summary>
    public static async Task<List<string>> StoredCountsAsync(string schema) => await RowsAsync(
        $"select measure || ' ' || county || ' ' || year || ' ' || month || ' ' || sex || ' ' || category || ' ' || count from {schema}.stat_counts where count <> 0 order by 1");

    public static async Task<List<string>> StoredPopulationAsync(string schema) => await RowsAsync(
        $"select county || ' ' || sex || ' ' || birth_year || ' ' || death_year || ' ' || count from {schema}.stat_population where count <> 0 order by 1");
}
