namespace VitalEvents.Storage;

public static class StoredTime
{
    /// <summary>An event's timestamp at PostgreSQL's precision (microseconds), so inline and rebuilt projections agree.</summary>
    public static DateTimeOffset Of(DateTimeOffset timestamp) => timestamp.AddTicks(-(timestamp.Ticks % 10));
}
