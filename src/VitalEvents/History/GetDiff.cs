using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Audit;
using VitalEvents.Domain;
using VitalEvents.Identity;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.History;

/// <summary>
/// A point of a person's record: the stream version it resolved to (0: before registration), and the instant asked for, or, for a
/// point given as a version, the time that version was recorded.
/// </summary>
public sealed record DiffPoint(long Version, DateTimeOffset? At);

/// <summary>An event that changed a field between the two points.</summary>
public sealed record DiffEvent(long Version, string EventType, DateTimeOffset RecordedAt, string? RecordedBy, Guid EventId);

/// <summary>A top-level field of the identity snapshot whose value differs between the two points, as JSON values.</summary>
public sealed record FieldDiff(string Field, JsonNode? OldValue, JsonNode? NewValue, IReadOnlyList<DiffEvent> Events);

/// <summary>What changed in a person's identity snapshot between two points of their stream.</summary>
public sealed record PersonDiff(string NationalCode, DiffPoint From, DiffPoint To, IReadOnlyList<FieldDiff> Changes);

/// <summary>Compares a person's identity snapshot at two versions of their stream, field by field, folding their events.</summary>
public static class SnapshotDiff
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly PersonSnapshotProjection Projection = new();

    /// <summary>
    /// The fields whose value at version <paramref name="to"/> differs from their value at <paramref name="from"/> (0: before
    /// registration, every field absent), each with the events after <paramref name="from"/> that changed it; a field changed and
    /// changed back is not listed. Null when the person had no record at <paramref name="to"/>.
    /// </summary>
    public static IReadOnlyList<FieldDiff>? Between(string nationalCode, IReadOnlyList<IEvent> events, long from, long to)
    {
        PersonSnapshot? snapshot = null;
        var before = Fields(null);
        var atFrom = before;
        var changedBy = new Dictionary<string, List<DiffEvent>>();
        foreach (var e in events.TakeWhile(e => e.Version <= to))
        {
            snapshot = Projection.Evolve(snapshot, nationalCode, e);
            var after = Fields(snapshot);
            if (e.Version <= from) atFrom = after;
            else
                foreach (var field in Differing(before, after))
                {
                    if (!changedBy.TryGetValue(field, out var by)) changedBy[field] = by = [];
                    by.Add(new DiffEvent(e.Version, e.EventTypeName, StoredTime.Of(e.Timestamp), e.UserName, e.Id));
                }
            before = after;
        }
        if (snapshot is null) return null;
        return Differing(atFrom, before).Select(f => new FieldDiff(f, atFrom[f], before[f], changedBy[f])).ToList();
    }

    private static IEnumerable<string> Differing(JsonObject first, JsonObject second) =>
        second.Select(p => p.Key).Union(first.Select(p => p.Key)).Where(f => !JsonNode.DeepEquals(first[f], second[f]));

    // The record's content only: the version and time of the last change, and the folded search keys, differ on every event.
    private static JsonObject Fields(PersonSnapshot? snapshot)
    {
        if (snapshot is null) return [];
        var fields = JsonSerializer.SerializeToNode(snapshot, Json)!.AsObject();
        foreach (var key in fields.Select(p => p.Key).Where(IsBookkeeping).ToList()) fields.Remove(key);
        return fields;
    }

    private static bool IsBookkeeping(string field) =>
        field is "version" or "lastChangedAt" or "birthYearSolarHijri" || field.StartsWith("search", StringComparison.Ordinal);
}

public static class GetDiffEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/persons/{nationalCode}/diff", async (string nationalCode, string? from, string? to, IQuerySession session,
                CancellationToken ct) =>
            {
                if (NationalCode.Validate(nationalCode, out var code) is { } error)
                    return Problems.Of(StatusCodes.Status400BadRequest, error, $"'{nationalCode}' is not a valid national code.");
                if (from is null) return InvalidPoint("from is required: a stream version (0 = before registration) or an instant.");
                if (Point.TryParse(from, out var fromPoint) is { } fromError) return InvalidPoint($"from: {fromError}");
                Point? toPoint = null;
                if (to is not null && Point.TryParse(to, out toPoint) is { } toError) return InvalidPoint($"to: {toError}");

                var events = await session.Events.FetchStreamAsync(code, token: ct);
                if (events.Count == 0) return Problems.PersonNotFound(code);
                if (fromPoint.Resolve(events) is not { } start) return InvalidPoint($"from: {code} has no version {from}; it is at version {events[^1].Version}.");
                if ((toPoint ?? Point.Current).Resolve(events) is not { } end) return InvalidPoint($"to: {code} has no version {to}; it is at version {events[^1].Version}.");
                if (start.Version > end.Version || fromPoint.Instant > toPoint?.Instant)
                    return InvalidPoint($"from ({from}) is after to ({to ?? "the current version"}).");

                return SnapshotDiff.Between(code, events, start.Version, end.Version) is { } changes
                    ? Results.Ok(new PersonDiff(code, start, end, changes))
                    : Problems.Of(StatusCodes.Status404NotFound, "person.notFound", $"{code} had no record at that point (version {end.Version}).");
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .RecordsReadsOf(AccessedResource.Diff)
            .WithName("GetDiff").WithTags("History")
            .WithSummary("What changed in a person's identity snapshot between two points (from, to: a stream version or an instant; to defaults to " +
                "the current version): each changed field with its old and new value and the events that changed it.")
            .Produces<PersonDiff>();

    private static IResult InvalidPoint(string detail) => Problems.Of(StatusCodes.Status400BadRequest, "diff.invalidPoint", detail);

    /// <summary>A point asked for: a stream version, or an instant (the last version recorded at or before it).</summary>
    private sealed record Point(long? Version, DateTimeOffset? Instant)
    {
        public static Point Current { get; } = new(null, null);

        public static string? TryParse(string text, out Point point)
        {
            if (long.TryParse(PersianText.AsciiDigits(text.Trim()), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                point = new Point(version, null);
                return null;
            }
            point = Current;
            if (Instants.TryParse(text, out var instant) is { } error) return $"{error} A stream version (a whole number) is also accepted.";
            point = new Point(null, instant);
            return null;
        }

        /// <summary>The version and instant this point names on the stream, or null for a version the stream has not reached.</summary>
        public DiffPoint? Resolve(IReadOnlyList<IEvent> events)
        {
            if (Instant is { } instant)
                return new DiffPoint(events.LastOrDefault(e => StoredTime.Of(e.Timestamp) <= instant)?.Version ?? 0, instant);
            var version = Version ?? events[^1].Version;
            if (version == 0) return new DiffPoint(0, null);
            return events.FirstOrDefault(e => e.Version == version) is { } reached ? new DiffPoint(version, StoredTime.Of(reached.Timestamp)) : null;
        }
    }
}
