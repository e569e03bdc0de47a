using System.Text.Json;
using Marten;
using VitalEvents.Domain;
using VitalEvents.History;
using VitalEvents.Identity;

namespace VitalEvents.Storage;

/// <summary>A stored projection that does not match what the events say.</summary>
public sealed record ProjectionMismatch(string NationalCode, string Projection, string Detail);

/// <summary>
/// Recomputes every person's identity snapshot and history from their events and compares them with the stored
/// documents. Zero mismatches is the expected answer; `vitalevents rebuild` repairs any it finds.
/// </summary>
public static class ProjectionCheck
{
    public static async Task<IReadOnlyList<ProjectionMismatch>> RunAsync(IDocumentStore store, Action<long, long>? progress, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var streams = (await session.Events.QueryAllRawEvents().Where(e => e.Version == 1).Select(e => e.StreamKey!).ToListAsync(ct))
            .Where(NationalCode.IsValid).Order(StringComparer.Ordinal).ToList();
        var mismatches = new List<ProjectionMismatch>();
        var stored = (await session.Query<PersonSnapshot>().Select(p => p.NationalCode).ToListAsync(ct)).ToHashSet();
        foreach (var extra in stored.Except(streams))
            mismatches.Add(new(extra, nameof(PersonSnapshot), "stored, but no events exist for this person"));

        for (var i = 0; i < streams.Count; i++)
        {
            var code = streams[i];
            await Compare<PersonSnapshot>(session, code, mismatches, ct);
            await Compare<PersonHistory>(session, code, mismatches, ct);
            progress?.Invoke(i + 1, streams.Count);
        }
        return mismatches;
    }

    private static async Task Compare<T>(IQuerySession session, string code, List<ProjectionMismatch> mismatches, CancellationToken ct) where T : class
    {
        var expected = await session.Events.AggregateStreamAsync<T>(code, token: ct);
        var actual = await session.LoadAsync<T>(code, ct);
        if (expected is null && actual is null) return;
        if (actual is null)
        {
            mismatches.Add(new(code, typeof(T).Name, "missing: the events say it should exist"));
            return;
        }
        if (expected is null)
        {
            mismatches.Add(new(code, typeof(T).Name, "stored, but the events give none"));
            return;
        }
        var (want, have) = (JsonSerializer.SerializeToElement(expected), JsonSerializer.SerializeToElement(actual));
        var fields = want.EnumerateObject().Where(p => !have.TryGetProperty(p.Name, out var v) || v.GetRawText() != p.Value.GetRawText())
            .Select(p => p.Name).ToList();
        if (fields.Count > 0) mismatches.Add(new(code, typeof(T).Name, $"differs in {string.Join(", ", fields)}"));
    }
}
