using System.Security.Cryptography;
using System.Text;

namespace VitalEvents.Integrity;

/// <summary>An event as the verifier sees it: its canonical text and the chain link stored for it (null when none).</summary>
public sealed record ChainedEvent(long Seq, string StreamId, long Version, string Canonical, byte[]? Hash, byte[]? PreviousHash);

/// <summary>A signed checkpoint: a digest over every event up to a global sequence number.</summary>
public sealed record Checkpoint(long Id, long UpToSeq, long EventCount, byte[] Digest, byte[] PreviousDigest, byte[] Signature, string KeyId, DateTimeOffset CreatedAt);

/// <summary>One thing found wrong, with the stream and version it concerns.</summary>
public sealed record IntegrityProblem(string Kind, string? StreamId, long? Version, long? Seq, string Detail);

public sealed record IntegrityReport(
    bool Ok, long EventsChecked, long StreamsChecked, int CheckpointsChecked, long EventsAfterLastCheckpoint, string? KeyId,
    IntegrityProblem? FirstBroken, IReadOnlyList<IntegrityProblem> Problems);

/// <summary>
/// Recomputes the hash chain of every stream and every checkpoint's digest and signature. The same code checks the live
/// database and an offline export.
/// </summary>
public sealed class Verification(ECDsa publicKey)
{
    private readonly List<IntegrityProblem> _problems = [];
    private long _events, _streams;

    public static byte[] Hash(ReadOnlySpan<byte> previous, string canonical)
    {
        var text = Encoding.UTF8.GetBytes(canonical);
        var buffer = new byte[previous.Length + text.Length];
        previous.CopyTo(buffer);
        text.CopyTo(buffer.AsSpan(previous.Length));
        return SHA256.HashData(buffer);
    }

    /// <summary>
    /// Checks the chains. Events must come ordered by stream, then version. Marten's tombstones are not chained: each must have
    /// exactly a tombstone's shape (type, empty data, version equal to its sequence), or it is reported as forged.
    /// </summary>
    public void CheckChains(IEnumerable<ChainedEvent> eventsByStream)
    {
        string? stream = null;
        long expected = 0;
        byte[] previous = [];
        foreach (var e in eventsByStream)
        {
            if (e.StreamId == Storage.Tombstones.StreamKey)
            {
                CheckTombstone(e);
                continue;
            }
            _events++;
            if (e.StreamId != stream)
            {
                (stream, expected, previous) = (e.StreamId, 1, []);
                _streams++;
            }
            if (e.Version != expected)
                Problem("missingEvent", e.StreamId, expected, null,
                    $"versions {expected}..{e.Version - 1} of {e.StreamId} are missing: deleted or renumbered");
            var recomputed = Hash(previous, e.Canonical);
            if (e.Hash is null)
                Problem("unchained", e.StreamId, e.Version, e.Seq, "the event has no chain link: it was inserted behind the registry's back");
            else if (!e.Hash.AsSpan().SequenceEqual(recomputed))
                Problem("altered", e.StreamId, e.Version, e.Seq, "the event's data, metadata, type or timestamp changed after it was recorded");
            if (e.PreviousHash is not null && !e.PreviousHash.AsSpan().SequenceEqual(previous))
                Problem("brokenLink", e.StreamId, e.Version, e.Seq, "the event does not follow the one recorded before it: an earlier event was removed or reordered");
            previous = e.Hash ?? recomputed;
            expected = e.Version + 1;
        }
    }

    private void CheckTombstone(ChainedEvent e)
    {
        var fields = e.Canonical.Split('\n');
        if (fields.Length < 5 || fields[2] != Storage.Tombstones.Type || fields[4] != "{}" || e.Version != e.Seq)
            Problem("forgedTombstone", e.StreamId, e.Version, e.Seq,
                "a row on Marten's tombstone stream is not a tombstone (type, data or version changed): an event disguised as one");
    }

    /// <summary>Chain links whose event no longer exists.</summary>
    public void CheckOrphans(IEnumerable<(long Seq, string StreamId, long Version)> orphans)
    {
        foreach (var (seq, streamId, version) in orphans)
            Problem("missingEvent", streamId, version, seq, "the event was deleted: its chain link remains");
    }

    /// <summary>
    /// Checks the checkpoints against the chain links (ordered by global sequence): each checkpoint's digest must be
    /// recomputable from the links it covers, follow the previous checkpoint, and carry the registry's signature.
    /// </summary>
    public int CheckCheckpoints(IReadOnlyList<Checkpoint> checkpoints, IEnumerable<(long Seq, byte[] Hash)> linksBySeq, out long afterLast)
    {
        afterLast = 0;
        var previousDigest = Array.Empty<byte>();
        using var links = linksBySeq.GetEnumerator();
        var more = links.MoveNext();
        foreach (var checkpoint in checkpoints)
        {
            if (!checkpoint.PreviousDigest.AsSpan().SequenceEqual(previousDigest))
                Problem("checkpointChainBroken", null, null, checkpoint.UpToSeq, $"checkpoint {checkpoint.Id} does not follow the checkpoint before it");
            if (!publicKey.VerifyHash(checkpoint.Digest, checkpoint.Signature))
                Problem("checkpointSignatureInvalid", null, null, checkpoint.UpToSeq, $"checkpoint {checkpoint.Id} is not signed by the registry's key");
            using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            digest.AppendData(checkpoint.PreviousDigest);
            long count = 0;
            for (; more && links.Current.Seq <= checkpoint.UpToSeq; more = links.MoveNext(), count++)
                AppendLeaf(digest, links.Current.Seq, links.Current.Hash);
            if (count != checkpoint.EventCount || !digest.GetHashAndReset().AsSpan().SequenceEqual(checkpoint.Digest))
            {
                var first = _problems.Where(p => p.Seq is { } seq && seq <= checkpoint.UpToSeq && p.StreamId is not null).MinBy(p => p.Seq);
                Problem("checkpointMismatch", first?.StreamId, first?.Version, checkpoint.UpToSeq,
                    $"the events up to sequence {checkpoint.UpToSeq} no longer match signed checkpoint {checkpoint.Id} ({checkpoint.EventCount} signed, {count} found)"
                    + (first is null ? "; the chain itself was rewritten" : $"; first broken: {first.StreamId} v{first.Version}"));
            }
            previousDigest = checkpoint.Digest;
        }
        for (; more; more = links.MoveNext()) afterLast++;
        return checkpoints.Count;
    }

    /// <summary>One leaf of a checkpoint digest: the event's global sequence (8 bytes, big-endian) and its chain hash.</summary>
    public static void AppendLeaf(IncrementalHash digest, long seq, byte[] hash)
    {
        Span<byte> number = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(number, seq);
        digest.AppendData(number);
        digest.AppendData(hash);
    }

    public IntegrityReport Report(int checkpoints, long afterLast) => new(
        _problems.Count == 0, _events, _streams, checkpoints, afterLast, RegistryKey.Id(publicKey),
        _problems.FirstOrDefault(p => p.StreamId is not null) ?? _problems.FirstOrDefault(), _problems);

    private void Problem(string kind, string? stream, long? version, long? seq, string detail) =>
        _problems.Add(new IntegrityProblem(kind, stream, version, seq, detail));
}
