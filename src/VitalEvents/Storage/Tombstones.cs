namespace VitalEvents.Storage;

/// <summary>
/// Marten's own bookkeeping in the event table: when a commit that took sequence numbers fails, Marten gives the numbers back
/// as "tombstone" rows (stream <see cref="StreamKey"/>, type <see cref="Type"/>, data <c>{}</c>, version = sequence, time
/// -infinity) in a transaction of its own. They belong to no person, carry nothing, and are left out of the chain, the
/// feed and the projections (docs/domain.md, "Integrity").
/// </summary>
public static class Tombstones
{
    public const string StreamKey = "mt_tombstone";
    public const string Type = "tombstone";
}
