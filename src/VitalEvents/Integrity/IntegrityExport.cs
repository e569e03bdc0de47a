using System.Security.Cryptography;
using System.Text.Json;

namespace VitalEvents.Integrity;

/// <summary>
/// An export for verification without a database: JSON Lines holding the registry's public key, every event's canonical
/// text and chain link, the links of deleted events, and every signed checkpoint.
/// </summary>
public static class IntegrityExport
{
    private sealed record Line(
        string Kind, string? PublicKey = null, string? KeyId = null, DateTimeOffset? ExportedAt = null,
        long? Seq = null, string? StreamId = null, long? Version = null, string? Canonical = null, string? Hash = null, string? PreviousHash = null,
        long? Id = null, long? UpToSeq = null, long? EventCount = null, string? Digest = null, string? PreviousDigest = null, string? Signature = null,
        DateTimeOffset? CreatedAt = null);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<long> WriteAsync(DatabaseIntegrity database, ECDsa key, string path, DateTimeOffset now, CancellationToken ct)
    {
        await using var file = new StreamWriter(path);
        await Write(file, new Line("header", RegistryKey.PublicPem(key), RegistryKey.Id(key), now));
        long events = 0;
        await foreach (var e in database.EventsAsync(ct))
        {
            await Write(file, new Line("event", Seq: e.Seq, StreamId: e.StreamId, Version: e.Version, Canonical: e.Canonical,
                Hash: Hex(e.Hash), PreviousHash: Hex(e.PreviousHash)));
            events++;
        }
        foreach (var (seq, streamId, version, hash) in await database.OrphansAsync(ct))
            await Write(file, new Line("orphanLink", Seq: seq, StreamId: streamId, Version: version, Hash: Hex(hash)));
        foreach (var c in await database.CheckpointsAsync(ct))
            await Write(file, new Line("checkpoint", KeyId: c.KeyId, Id: c.Id, UpToSeq: c.UpToSeq, EventCount: c.EventCount, Digest: Hex(c.Digest),
                PreviousDigest: Hex(c.PreviousDigest), Signature: Hex(c.Signature), CreatedAt: c.CreatedAt));
        return events;
    }

    /// <summary>Verifies an export with the public key it carries, or with <paramref name="trustedPublicKeyPem"/> when given.</summary>
    public static IntegrityReport Verify(string path, string? trustedPublicKeyPem = null)
    {
        var lines = File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Line>(l, Json)!).ToList();
        var header = lines.FirstOrDefault(l => l.Kind == "header") ?? throw new InvalidDataException("The export has no header line.");
        using var key = RegistryKey.FromPublicPem(trustedPublicKeyPem ?? header.PublicKey!);
        var events = lines.Where(l => l.Kind == "event")
            .Select(l => new ChainedEvent(l.Seq!.Value, l.StreamId!, l.Version!.Value, l.Canonical!, Bytes(l.Hash), Bytes(l.PreviousHash)))
            .ToList();
        var orphans = lines.Where(l => l.Kind == "orphanLink").Select(l => (Seq: l.Seq!.Value, StreamId: l.StreamId!, Version: l.Version!.Value, Hash: Bytes(l.Hash)!)).ToList();
        var checkpoints = lines.Where(l => l.Kind == "checkpoint")
            .Select(l => new Checkpoint(l.Id!.Value, l.UpToSeq!.Value, l.EventCount!.Value, Bytes(l.Digest)!, Bytes(l.PreviousDigest)!, Bytes(l.Signature)!,
                l.KeyId!, l.CreatedAt!.Value))
            .OrderBy(c => c.UpToSeq).ToList();

        var verification = new Verification(key);
        verification.CheckChains(events.OrderBy(e => e.StreamId, StringComparer.Ordinal).ThenBy(e => e.Version));
        verification.CheckOrphans(orphans.Select(o => (o.Seq, o.StreamId, o.Version)));
        var links = events.Where(e => e.Hash is not null).Select(e => (e.Seq, e.Hash!))
            .Concat(orphans.Select(o => (o.Seq, o.Hash))).OrderBy(l => l.Item1);
        var count = verification.CheckCheckpoints(checkpoints, links, out var afterLast);
        return verification.Report(count, afterLast);
    }

    private static Task Write(StreamWriter file, Line line) => file.WriteLineAsync(JsonSerializer.Serialize(line, Json));

    private static string? Hex(byte[]? bytes) => bytes is null ? null : Convert.ToHexStringLower(bytes);

    private static byte[]? Bytes(string? hex) => hex is null ? null : Convert.FromHexString(hex);
}
