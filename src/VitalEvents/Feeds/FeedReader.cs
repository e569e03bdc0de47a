using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using VitalEvents.Domain;
using VitalEvents.Storage;

namespace VitalEvents.Feeds;

/// <summary>One recorded event as downstream systems see it, with its place in the global order.</summary>
/// <remarks>Province is the ASCII slug of the recording office's province (e.g. tehran, east-azerbaijan).</remarks>
public sealed record FeedEvent(long Sequence, Guid Id, string Type, string NationalCode, DateTimeOffset Time, string? OfficeCode,
    string? Province, JsonObject Data);

/// <summary>What a reader asks for: event types (stored names) and provinces; empty means all.</summary>
public sealed record FeedFilter(IReadOnlySet<string> Types, IReadOnlySet<string> Provinces)
{
    public static readonly FeedFilter All = new(new HashSet<string>(), new HashSet<string>());

    public bool Matches(FeedEvent e) =>
        (Types.Count == 0 || Types.Contains(e.Type)) && (Provinces.Count == 0 || (e.Province is { } p && Provinces.Contains(p)));
}

/// <summary>A page of the feed: the events, and the cursor to continue after (every event up to it has been considered).</summary>
public sealed record FeedPage(IReadOnlyList<FeedEvent> Events, long Next);

/// <summary>
/// Reads the global event order safely. Sequence numbers are taken when a transaction appends, so a lower number can
/// still commit after a higher one is visible: the reader never goes past the first gap in the sequence until the gap
/// is older than <see cref="FeedSettings.GapSettle"/> (a rolled-back append leaves a permanent gap). A reader therefore never skips
/// an event, and sees events in one order whoever reads and whenever.
/// </summary>
public sealed class FeedReader(StoreSettings settings, ReadConnections reads, IOptions<FeedSettings> options)
{
    private const int Scan = 1000;

    private static bool Unfiltered(FeedFilter filter) => filter.Types.Count == 0 && filter.Provinces.Count == 0;

    public async Task<FeedPage> ReadAsync(long after, FeedFilter filter, int limit, CancellationToken ct)
    {
        var events = new List<FeedEvent>();
        var cursor = after;
        while (events.Count < limit)
        {
            // Unfiltered, every event scanned is served: read no more than the page needs.
            var scan = Unfiltered(filter) ? Math.Min(Scan, limit - events.Count) : Scan;
            var (batch, safeEnd) = await ScanAsync(cursor, scan, ct);
            foreach (var e in batch)
            {
                if (filter.Matches(e)) events.Add(e);
                cursor = e.Sequence;
                if (events.Count == limit) return new FeedPage(events, cursor);
            }
            cursor = Math.Max(cursor, safeEnd);
            if (batch.Count < scan) break;
        }
        return new FeedPage(events, cursor);
    }

    /// <summary>
    /// The instant the server's view of the log is complete to: now on the primary; on a standby the commit time of the last
    /// transaction it has replayed (its view trails by its replay lag, and a gap must be as old in that view as it would be on
    /// the primary before it is passed), or never when it has replayed none since it started.
    /// </summary>
    private const string SettledAt = "(case when pg_is_in_recovery() then coalesce(pg_last_xact_replay_timestamp(), '-infinity') else now() end)";

    /// <summary>The next events after a cursor, up to the first unsettled gap; and how far the scan safely reached.</summary>
    private async Task<(List<FeedEvent> Events, long SafeEnd)> ScanAsync(long after, int scan, CancellationToken ct)
    {
        await using var connection = await reads.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select seq_id, id, type, stream_id, timestamp, headers ->> 'officeCode', data::text, timestamp <= {SettledAt} - @settle
            from {settings.Schema}.mt_events where seq_id > @after order by seq_id limit @scan
            """, connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("settle", options.Value.GapSettle);
        command.Parameters.AddWithValue("scan", scan);
        var events = new List<FeedEvent>();
        var expected = after + 1;
        var safeEnd = after;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var seq = reader.GetInt64(0);
            if (seq != expected && !reader.GetBoolean(7)) break;
            expected = seq + 1;
            safeEnd = seq;
            var stream = reader.GetString(3);
            if (stream == Tombstones.StreamKey) continue;
            var office = reader.IsDBNull(5) ? null : reader.GetString(5);
            var (type, data) = Current(reader.GetString(2), JsonNode.Parse(reader.GetString(6))!.AsObject());
            events.Add(new FeedEvent(seq, reader.GetGuid(1), type, stream, reader.GetFieldValue<DateTimeOffset>(4), office,
                Offices.Find(office)?.ProvinceSlug, data));
        }
        return (events, safeEnd);
    }

    /// <summary>
    /// Events stored in an earlier shape are served in the current one, as the registry itself reads them; and with the API's
    /// camelCase property names (events are stored with their .NET names).
    /// </summary>
    private static (string Type, JsonObject Data) Current(string type, JsonObject data)
    {
        if (type == DeathRegisteredV1.StoredName)
        {
            var current = data.Deserialize<DeathRegisteredV1>()!.Upcast();
            (type, data) = (EventNames.Of(current), JsonSerializer.SerializeToNode(current)!.AsObject());
        }
        CamelCase(data);
        return (type, data);
    }

    /// <summary>Renames every property in place (the values move, nothing is copied); names are few, so each is converted once.</summary>
    private static void CamelCase(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                var properties = o.ToList();
                o.Clear();
                foreach (var (name, value) in properties)
                {
                    if (value is not null) CamelCase(value);
                    o[CamelNames.GetOrAdd(name, JsonNamingPolicy.CamelCase.ConvertName)] = value;
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    if (item is not null) CamelCase(item);
                break;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> CamelNames = new(StringComparer.Ordinal);

    /// <summary>The current end of the feed: the highest sequence recorded.</summary>
    public async Task<long> EndAsync(CancellationToken ct)
    {
        await using var connection = await reads.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {settings.Schema}.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The cursor just before the first event recorded at or after an instant (for rewinding by time).</summary>
    public async Task<long> CursorAtAsync(DateTimeOffset instant, CancellationToken ct)
    {
        await using var connection = await reads.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select coalesce(min(seq_id), (select coalesce(max(seq_id), 0) + 1 from {settings.Schema}.mt_events)) - 1 from {settings.Schema}.mt_events where timestamp >= @at",
            connection);
        command.Parameters.AddWithValue("at", instant.ToUniversalTime());
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Serialises event data for the feed with the registry's JSON conventions.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
