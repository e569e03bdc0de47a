using System.Diagnostics;
using System.Globalization;

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
}

/// <summary>Prints measures as a Markdown table: median, seconds per million events, ratio to the baseline's median.</summary>
public static class Report
{
    public static void Table(string title, Measure baseline, IEnumerable<Measure> others, long events)
    {
        var perMillion = events == 1_000_000 ? "s per 1M events" : $"s per 1M events (scaled linearly from {events:N0})";
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine();
        Console.WriteLine($"| measure | runs (s) | median (s) | {perMillion} | ratio to baseline |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var m in others.Prepend(baseline))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {m.Name} | {string.Join(", ", m.Seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} | {m.Median:F2} | {m.Median * 1_000_000 / events:F2} | {m.Median / baseline.Median:F2}× |"));
    }
}
