using System.Data;
using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace VitalEvents.Bench;

/// <summary>The timed runs of one measure.</summary>
public sealed class Measure(string name)
{
    private readonly List<double> _seconds = [];

    public string Name { get; } = name;
    public IReadOnlyList<double> Seconds => _seconds;

    public double Median
    {
        get
        {
            var sorted = _seconds.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public async Task<T> TimeAsync<T>(Func<Task<T>> run)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await run();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        _seconds.Add(seconds);
        Console.WriteLine($"  {Name}: {seconds:F2} s");
        return result;
    }

    /// <summary>Runs each measure once a round, in turn, forwards in even rounds and backwards in odd ones.</summary>
    public static async Task AlternateAsync(int rounds, IReadOnlyList<Func<Task>> runs)
    {
        for (var round = 0; round < rounds; round++)
            foreach (var run in round % 2 == 0 ? runs : Enumerable.Reverse(runs))
                await run();
    }

    /// <summary>The rows a run saw, when they are the rows expected and something was read; otherwise the benchmark fails.</summary>
    public static long Expect(long rows, long expected, string what, long characters) =>
        rows == expected && characters > 0 ? rows : throw new InvalidOperationException($"{what} returned {rows} rows, not {expected}");
}

/// <summary>The baselines' plain reads: a query streamed as the application role, every field read, nothing computed.</summary>
public static class PlainRead
{
    public static async Task<long> PlainReadAsync(this BenchDatabase db, string sql, long expected, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(db.App);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        var types = Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldType).ToArray();
        long rows = 0, characters = 0;
        while (await reader.ReadAsync(ct))
        {
            rows++;
            for (var field = 0; field < types.Length; field++)
            {
                if (reader.IsDBNull(field)) continue;
                if (types[field] == typeof(string)) characters += reader.GetString(field).Length;
                else if (types[field] == typeof(long)) _ = reader.GetInt64(field);
                else if (types[field] == typeof(int)) _ = reader.GetInt32(field);
                else if (types[field] == typeof(Guid)) _ = reader.GetGuid(field);
                else if (types[field] == typeof(DateTime)) _ = reader.GetFieldValue<DateTime>(field);
                else _ = reader.GetValue(field);
            }
        }
        return Measure.Expect(rows, expected, "the plain read", characters);
    }
}

/// <summary>Prints measures as Markdown tables, each with every run and the ratio of its median to the baseline's.</summary>
public static class Report
{
    /// <summary>Median, seconds per million events, ratio to the baseline's median.</summary>
    public static void Table(string title, Measure baseline, IEnumerable<Measure> others, long events)
    {
        var perMillion = events == 1_000_000 ? "s per 1M events" : $"s per 1M events (scaled linearly from {events:N0})";
        Rows(title, $"{perMillion} | ratio to baseline", baseline, others, m => F($"{m.Median * 1_000_000 / events:F2} | {m.Median / baseline.Median:F2}×"));
    }

    /// <summary>Median, events per second, ratio of the median time to the baseline's.</summary>
    public static void Rates(string title, Measure baseline, IEnumerable<Measure> others, long events) =>
        Rows(title, "events/s | time, ratio to baseline", baseline, others, m => F($"{events / m.Median:N0} | {m.Median / baseline.Median:F2}×"));

    private static void Rows(string title, string columns, Measure baseline, IEnumerable<Measure> others, Func<Measure, string> figures)
    {
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine();
        Console.WriteLine($"| measure | runs (s) | median (s) | {columns} |");
        Console.WriteLine($"|---|---|---:|{string.Concat(Enumerable.Repeat("---:|", columns.Split('|').Length))}");
        foreach (var m in others.Prepend(baseline))
            Console.WriteLine(F($"| {m.Name} | {string.Join(", ", m.Seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} | {m.Median:F2} | {figures(m)} |"));
    }

    /// <summary>Formats with the invariant culture.</summary>
    public static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
