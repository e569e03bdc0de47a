using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Audit;
using VitalEvents.Domain;
using VitalEvents.Http;
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

/// <summary>What changed in a person's identity snapshot between two points; every read is in the access log.</summary>
public sealed record GetDiffQuery(string NationalCode, DiffPointAsked From, DiffPointAsked? To) : IQuery<PersonDiff?>, IRecordedRead
{
    public string Resource => AccessedResource.Diff;
    public string? Detail => $"from={From}" + (To is null ? "" : $"&to={To}");
}

public sealed class GetDiffHandler(IQuerySession session) : IQueryHandler<GetDiffQuery, PersonDiff?>
{
    public async ValueTask<PersonDiff?> Handle(GetDiffQuery query, CancellationToken cancellationToken)
    {
        var code = query.NationalCode;
        var events = await session.Events.FetchStreamAsync(code, token: cancellationToken);
        if (events.Count == 0) return null;
        if (query.From.Resolve(events) is not { } start) throw InvalidPoint($"from: {code} has no version {query.From}; it is at version {events[^1].Version}.");
        if ((query.To ?? DiffPointAsked.Current).Resolve(events) is not { } end)
            throw InvalidPoint($"to: {code} has no version {query.To}; it is at version {events[^1].Version}.");
        if (start.Version > end.Version || query.From.Instant > query.To?.Instant)
            throw InvalidPoint($"from ({query.From}) is after to ({query.To?.ToString() ?? "the current version"}).");
        return SnapshotDiff.Between(code, events, start.Version, end.Version) is { } changes
            ? new PersonDiff(code, start, end, changes)
            : throw new RuleViolationException(new RuleViolation("person.notFoundAtThatPoint", $"{code} had no record at that point (version {end.Version}).",
                ViolationKind.NotFound));
    }

    internal static RuleViolationException InvalidPoint(string detail) =>
        new(new RuleViolation("diff.invalidPoint", detail, ViolationKind.Invalid));
}

/// <summary>A point asked for: a stream version, or an instant (the last version recorded at or before it).</summary>
public sealed record DiffPointAsked(long? Version, DateTimeOffset? Instant)
{
    public static DiffPointAsked Current { get; } = new(null, null);

    public static string? TryParse(string text, out DiffPointAsked point)
    {
        if (long.TryParse(PersianText.AsciiDigits(text.Trim()), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            point = new DiffPointAsked(version, null);
            return null;
        }
        point = Current;
        if (Instants.TryParse(text, out var instant) is { } error) return $"{error} A stream version (a whole number) is also accepted.";
        point = new DiffPointAsked(null, instant);
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

    public override string ToString() => Instant is { } instant ? instant.ToString("O") : Version?.ToString(CultureInfo.InvariantCulture) ?? "current";
}

public static class GetDiffEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/persons/{nationalCode}/diff", async Task<Results<Ok<PersonDiff>, ProblemHttpResult>> (string nationalCode, string? from,
                string? to, IMediator mediator, CancellationToken ct) =>
            {
                if (NationalCode.Validate(nationalCode, out var code) is { } error)
                    return Problems.Invalid(error, $"The path does not name a valid national code ({error}).");
                if (from is null) return InvalidPoint("from is required: a stream version (0 = before registration) or an instant.");
                if (DiffPointAsked.TryParse(from, out var fromPoint) is { } fromError) return InvalidPoint($"from: {fromError}");
                DiffPointAsked? toPoint = null;
                if (to is not null && DiffPointAsked.TryParse(to, out toPoint) is { } toError) return InvalidPoint($"to: {toError}");
                return await mediator.Send(new GetDiffQuery(code, fromPoint, toPoint), ct) is { } diff ? TypedResults.Ok(diff) : Problems.PersonNotFound(code);
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .RecordsReads()
            .ConditionalRead()
            .WithName("GetDiff")
            .WithSummary("What changed in a person's identity snapshot between two points (from, to: a stream version or an instant; to defaults to " +
                "the current version): each changed field with its old and new value and the events that changed it.");

    private static ProblemHttpResult InvalidPoint(string detail) => Problems.Invalid("diff.invalidPoint", detail);
}
