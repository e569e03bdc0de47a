using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Marten;
using Marten.Events.Aggregation;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Storage;

/// <summary>A stored projection that does not match what the events say.</summary>
public sealed record ProjectionMismatch(string NationalCode, string Projection, string Detail);

/// <summary>
/// Recomputes every person's documents of each registered single-stream projection (identity snapshot, history) from their
/// events and compares them with the stored ones. Zero mismatches is the expected answer; `vitalevents rebuild` repairs any it
/// finds. Projections across streams (marriages, corrections, held births) are rebuilt, not compared.
/// </summary>
public static class ProjectionCheck
{
    /// <summary>The document types of the registered single-stream projections keyed by national code.</summary>
    public static IReadOnlyList<Type> DocumentTypes(IDocumentStore store) =>
        Rebuild.Projections(store).Select(p => PersonDocumentOf(p.ImplementationType)).OfType<Type>().ToList();

    public static async Task<IReadOnlyList<ProjectionMismatch>> RunAsync(IDocumentStore store, Action<long, long>? progress, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var session = store.QuerySession();
        var streams = (await session.Events.QueryAllRawEvents().Where(e => e.Version == 1).Select(e => e.StreamKey!).ToListAsync(ct))
            .Where(NationalCode.IsValid).Order(StringComparer.Ordinal).ToList();
        var mismatches = new List<ProjectionMismatch>();
        var types = DocumentTypes(store);
        var compare = typeof(ProjectionCheck).GetMethod(nameof(CompareAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var type in types)
        {
            var extra = (await session.AdvancedSql.QueryAsync<string>(
                $"select id from {store.Options.Schema.For(type, qualified: true)} except select stream_id from {store.Options.Events.DatabaseSchemaName}.mt_events where version = 1",
                ct)).ToList();
            mismatches.AddRange(extra.Select(code => new ProjectionMismatch(code, type.Name, "stored, but no events exist for this person")));
        }
        for (var i = 0; i < streams.Count; i++)
        {
            foreach (var type in types)
                await (Task)compare.MakeGenericMethod(type).Invoke(null, [session, streams[i], mismatches, ct])!;
            progress?.Invoke(i + 1, streams.Count);
        }
        var tags = new TagList { { "projection", "all" }, { "outcome", mismatches.Count == 0 ? "checked" : "mismatched" } };
        Telemetry.ProjectionRuns.Add(1, tags);
        Telemetry.ProjectionDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
        return mismatches;
    }

    private static Type? PersonDocumentOf(Type projection)
    {
        for (var type = projection; type is not null; type = type.BaseType)
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(SingleStreamProjection<,>) && type.GenericTypeArguments[1] == typeof(string))
                return type.GenericTypeArguments[0];
        return null;
    }

    private static async Task CompareAsync<T>(IQuerySession session, string code, List<ProjectionMismatch> mismatches, CancellationToken ct) where T : class
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
