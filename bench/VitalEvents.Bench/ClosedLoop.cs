using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using VitalEvents.Api;

namespace VitalEvents.Bench;

/// <summary>Closed-loop load over HTTP or any call: workers each sending one request at a time, every latency kept.</summary>
public static class ClosedLoop
{
    public static HttpClient Bearer(Uri address, Microsoft.IdentityModel.Tokens.ECDsaSecurityKey key, string user, string role, string? agency,
        string? office = null)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevelopmentTokens.Mint(key, user, [role], office, TimeSpan.FromHours(4), DateTimeOffset.UtcNow, agency: agency));
        return client;
    }

    /// <summary>Registers the agency the verification measures ask as ("bench-bank"), with quotas no run reaches (an earlier run on the same schema may have).</summary>
    public static async Task RegisterBenchBankAsync(HttpClient admin, CancellationToken ct)
    {
        using var registered = await admin.PostAsJsonAsync("/api/agencies", new
        {
            id = "bench-bank", name = "بانک", nameEnglish = "Bench Bank", purposes = new[] { "account-opening" },
            answers = new[] { "birthDate", "givenName", "familyName", "alive" }, dailyQuota = 100_000_000, ratePerSecond = 100_000,
        }, ct);
        if (registered.StatusCode != System.Net.HttpStatusCode.Conflict) registered.EnsureSuccessStatusCode();
    }

    public sealed record Run(List<double> Milliseconds, double Seconds)
    {
        public double PerSecond => Milliseconds.Count / Seconds;

        public double Percentile(int percentile)
        {
            var sorted = Milliseconds.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
        }

        public static Run Merge(List<Run> runs) => new([.. runs.SelectMany(r => r.Milliseconds)], runs.Sum(r => r.Seconds));
    }

    /// <summary><paramref name="workers"/> loops, each sending one request at a time for <paramref name="duration"/>; every request's latency.</summary>
    public static async Task<Run> LoadAsync(int workers, TimeSpan duration, Func<int, Task> send, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var next = 0;
        var latencies = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < end)
            {
                var at = Stopwatch.GetTimestamp();
                await send(Interlocked.Increment(ref next));
                mine.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
            }
            return mine;
        }, ct)));
        return new Run([.. latencies.SelectMany(l => l)], Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
