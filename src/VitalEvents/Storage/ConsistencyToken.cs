using NpgsqlTypes;

namespace VitalEvents.Storage;

/// <summary>
/// Read-your-writes across a primary and its standbys: every successful write answers with the position the primary's
/// write-ahead log had reached once it committed (header <see cref="Header"/>, a PostgreSQL LSN such as <c>0/3000110</c>);
/// a read that sends it back is served only by a server that has replayed that far (<see cref="ReadConnections"/>).
/// </summary>
public static class ConsistencyToken
{
    public const string Header = "Consistency-Token";
    public const string InvalidCode = "consistencyToken.invalid";

    private static readonly AsyncLocal<NpgsqlLogSequenceNumber?> Carried = new();

    /// <summary>The token the request being served carries, if any.</summary>
    public static NpgsqlLogSequenceNumber? Current
    {
        get => Carried.Value;
        set => Carried.Value = value;
    }

    public static bool TryParse(string? text, out NpgsqlLogSequenceNumber token)
    {
        token = default;
        return text is not null && NpgsqlLogSequenceNumber.TryParse(text, out token);
    }
}
