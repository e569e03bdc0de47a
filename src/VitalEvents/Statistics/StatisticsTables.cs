using System.Globalization;
using System.Text;
using Npgsql;
using VitalEvents.Domain;
using VitalEvents.Domain.Statistics;
using VitalEvents.Storage;
using VitalEvents.Verifications;

namespace VitalEvents.Statistics;

/// <summary>What a table's rows are: provinces, the counties of a province, the months of a year, or years.</summary>
public static class TableRows
{
    public const string Province = "province";
    public const string County = "county";
    public const string Month = "month";
    public const string Year = "year";
    public static readonly string[] All = [Province, County, Month, Year];
}

/// <summary>
/// A two-way statistics table: one row per province, county, month or year, one column per category (per sex, for a plain count),
/// each row with its total, and the totals row. A withheld count is null (public tables only).
/// </summary>
public sealed record StatisticsTable(
    string Measure, string By, int FromYear, int ToYear, string? Province, string? Sex, IReadOnlyList<string> Columns,
    IReadOnlyList<StatisticsRow> Rows, StatisticsRow Total, int? SuppressionThreshold, int Withheld);

/// <summary>A row: its key (province slug, county code, month 1–12 or year), the place's Persian and English names, counts and total.</summary>
public sealed record StatisticsRow(string Key, string? Name, string? NameEnglish, IReadOnlyList<long?> Cells, long? Total);

/// <summary>What a table counts, over which rows, where and when (parsed once from the query).</summary>
public sealed record TableQuery(Measure Measure, string By, int FromYear, int ToYear, string? Province, string? Sex);

/// <summary>Reads the statistics tables the projection keeps.</summary>
public sealed class StatisticsReader(StoreSettings settings, ReadConnections reads)
{
    private static readonly string[] Sexes = [Vocabulary.Female, Vocabulary.Male, ""];

    /// <summary>The columns of a measure's tables: its categories, or for a plain count its sexes (or the one count).</summary>
    public static IReadOnlyList<string> ColumnsOf(Measure measure) =>
        measure.IsTotal ? measure.BySex ? [Vocabulary.Female, Vocabulary.Male, Measures.Unknown] : ["count"] : measure.Categories;

    public async Task<StatisticsTable> TableAsync(TableQuery q, CancellationToken ct)
    {
        var rowKey = q.By switch
        {
            TableRows.Province => "province",
            TableRows.County => "county",
            TableRows.Month => "month::text",
            _ => "year::text",
        };
        var sql = new StringBuilder($"select {rowKey}, sex, category, sum(count)::bigint from {settings.Schema}.{StatisticsSchema.Counts} where measure = @measure and year between @from and @to");
        if (q.Province is not null) sql.Append(" and province = @province");
        if (q.Sex is not null) sql.Append(" and sex = @sex");
        sql.Append(" group by 1, 2, 3");

        var columns = ColumnsOf(q.Measure);
        var counts = new Dictionary<(string Row, int Column), long>();
        await using (var connection = await reads.OpenAsync(ct))
        {
            await using var command = new NpgsqlCommand(sql.ToString(), connection);
            command.Parameters.AddWithValue("measure", q.Measure.Name);
            command.Parameters.AddWithValue("from", q.FromYear);
            command.Parameters.AddWithValue("to", q.ToYear);
            if (q.Province is not null) command.Parameters.AddWithValue("province", q.Province);
            if (q.Sex is not null) command.Parameters.AddWithValue("sex", q.Sex == Measures.Unknown ? "" : q.Sex);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var column = q.Measure.IsTotal
                    ? (q.Measure.BySex ? Array.IndexOf(Sexes, reader.GetString(1)) : 0)
                    : IndexOf(columns, reader.GetString(2));
                if (column < 0) continue;
                var key = (reader.GetString(0), column);
                counts[key] = counts.GetValueOrDefault(key) + reader.GetInt64(3);
            }
        }

        var rows = RowKeys(q, counts.Keys.Select(k => k.Row).ToHashSet(StringComparer.Ordinal));
        var table = new long[rows.Count, columns.Count];
        for (var r = 0; r < rows.Count; r++)
            for (var c = 0; c < columns.Count; c++)
                table[r, c] = counts.GetValueOrDefault((rows[r].Key, c));
        return Build(q, columns, rows, table);
    }

    /// <summary>The latest Solar Hijri year up to <paramref name="notAfter"/> with a birth counted, or null when none is.</summary>
    public async Task<int?> LatestYearAsync(int notAfter, CancellationToken ct)
    {
        await using var connection = await reads.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select max(year) from {settings.Schema}.{StatisticsSchema.Counts} where measure = @measure and year <= @year and count > 0", connection);
        command.Parameters.AddWithValue("measure", Measures.Births);
        command.Parameters.AddWithValue("year", notAfter);
        return await command.ExecuteScalarAsync(ct) is int year ? year : null;
    }

    /// <summary>The same table with every count below the threshold withheld, and enough others that no total gives one away.</summary>
    public static StatisticsTable Suppress(StatisticsTable full, int threshold)
    {
        var table = new long[full.Rows.Count, full.Columns.Count];
        for (var r = 0; r < full.Rows.Count; r++)
            for (var c = 0; c < full.Columns.Count; c++)
                table[r, c] = full.Rows[r].Cells[c]!.Value;
        var withheld = Suppression.Protect(table, threshold);
        var rows = full.Rows.Select((row, r) => row with
        {
            Cells = [.. row.Cells.Select((v, c) => withheld.Cells[r, c] ? null : v)],
            Total = withheld.RowTotals[r] ? null : row.Total,
        }).ToList();
        var total = full.Total with
        {
            Cells = [.. full.Total.Cells.Select((v, c) => withheld.ColumnTotals[c] ? null : v)],
            Total = withheld.Total ? null : full.Total.Total,
        };
        return full with { Rows = rows, Total = total, SuppressionThreshold = threshold, Withheld = withheld.Count };
    }

    public static StatisticsTable Build(TableQuery q, IReadOnlyList<string> columns, IReadOnlyList<(string Key, string? Name, string? NameEnglish)> rows,
        long[,] table)
    {
        var result = new List<StatisticsRow>(rows.Count);
        var columnTotals = new long[columns.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = new long?[columns.Count];
            long total = 0;
            for (var c = 0; c < columns.Count; c++)
            {
                cells[c] = table[r, c];
                total += table[r, c];
                columnTotals[c] += table[r, c];
            }
            result.Add(new StatisticsRow(rows[r].Key, rows[r].Name, rows[r].NameEnglish, cells, total));
        }
        var totalRow = new StatisticsRow("total", "کل", "Total", [.. columnTotals.Select(v => (long?)v)], columnTotals.Sum());
        return new StatisticsTable(q.Measure.Name, q.By, q.FromYear, q.ToYear, q.Province, q.Sex, columns, result, totalRow, null, 0);
    }

    /// <summary>Every row the table has, counted or not: all provinces, all counties of the province, every month, every year asked for.</summary>
    public static List<(string Key, string? Name, string? NameEnglish)> RowKeys(TableQuery q, HashSet<string> present)
    {
        List<(string Key, string? Name, string? NameEnglish)> rows = q.By switch
        {
            TableRows.Province => [.. Provinces.Select(p => (p.Slug, (string?)p.Name, (string?)p.English))],
            TableRows.County => [.. Offices.List.Where(o => q.Province is null || o.ProvinceSlug == q.Province).OrderBy(o => o.Code, StringComparer.Ordinal)
                .Select(o => (o.Code, (string?)o.County, o.CountyEnglish))],
            TableRows.Month => [.. Enumerable.Range(1, 12).Select(m => (m.ToString(CultureInfo.InvariantCulture), (string?)null, (string?)null))],
            _ => [.. Enumerable.Range(q.FromYear, q.ToYear - q.FromYear + 1).Select(y => (y.ToString(CultureInfo.InvariantCulture), (string?)null, (string?)null))],
        };
        var known = rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        rows.AddRange(present.Where(p => !known.Contains(p)).Order(StringComparer.Ordinal).Select(p => (p, (string?)null, (string?)null)));
        return rows;
    }

    /// <summary>The provinces in the order of the office table (its first office's code), with their Persian and English names.</summary>
    public static readonly IReadOnlyList<(string Slug, string Name, string English)> Provinces = Offices.List
        .OrderBy(o => o.Code, StringComparer.Ordinal).DistinctBy(o => o.ProvinceSlug)
        .Select(o => (o.ProvinceSlug, o.Province, o.ProvinceEnglish)).ToList();

    private static int IndexOf(IReadOnlyList<string> columns, string category)
    {
        for (var i = 0; i < columns.Count; i++)
            if (columns[i] == category) return i;
        return -1;
    }

    /// <summary>A table as CSV (RFC 4180): key, names, one column per category, total; a withheld count is an empty cell.</summary>
    public static string ToCsv(StatisticsTable table)
    {
        var csv = new StringBuilder();
        csv.AppendLine(Csv.Join(["key", "name", "nameEnglish", .. table.Columns, "total"]));
        foreach (var row in table.Rows.Append(table.Total))
            csv.AppendLine(Csv.Join([row.Key, row.Name, row.NameEnglish, .. row.Cells.Select(Number), Number(row.Total)]));
        return csv.ToString();
    }

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
