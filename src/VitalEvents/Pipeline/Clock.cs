namespace VitalEvents.Pipeline;

/// <summary>The registry's civil time zone: Asia/Tehran, UTC+03:30 with no daylight saving since 2022.</summary>
public static class Tehran
{
    public static readonly TimeSpan Offset = new(3, 30, 0);

    /// <summary>Today's date in Tehran.</summary>
    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Offset).DateTime);

    /// <summary>The last instant of a Tehran calendar day.</summary>
    public static DateTimeOffset EndOfDay(DateOnly date) =>
        new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), Offset).AddTicks(-1);
}
