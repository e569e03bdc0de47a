using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Verifications;

/// <summary>An agency has used its verifications for the day: answered 429 until Tehran's next midnight.</summary>
public sealed class QuotaExhaustedException(string agencyId, TimeSpan retryAfter)
    : Exception($"Agency {agencyId} has used its daily quota of verifications; it renews at midnight, Tehran time.")
{
    public const string Code = "verification.quotaExhausted";
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Each agency's daily quota (Tehran's day), counted in PostgreSQL so that it holds across every instance of the service. An
/// instance reserves a block of the day's quota at a time (one round trip per block, not per verification) and spends it in
/// memory; what an instance has reserved and not spent when it stops is lost for that day (at most a block per instance).
/// A block is at most a hundredth of the quota, so a small quota is counted one by one.
/// </summary>
public sealed class DailyQuota([FromKeyedServices(VerificationsSetup.DataSourceKey)] NpgsqlDataSource dataSource, StoreSettings settings, TimeProvider clock,
    IOptions<VerificationSettings> options)
{
    public const string TableName = "verification_quota";

    public static string Sql(string schema) => $"""
        create table if not exists {schema}.{TableName} (
            agency_id text not null,
            day date not null,
            used bigint not null,
            primary key (agency_id, day)
        );
        """;

    private sealed class Block
    {
        public DateOnly Day;
        public int Left;
        /// <summary>The day and quota for which the database had nothing left: refused without asking again until either changes.</summary>
        public (DateOnly Day, int Quota)? Exhausted;
        public readonly SemaphoreSlim Reserving = new(1, 1);
    }

    private readonly ConcurrentDictionary<string, Block> _blocks = new(StringComparer.Ordinal);

    /// <summary>Takes one verification of the agency's quota for today, or throws <see cref="QuotaExhaustedException"/>.</summary>
    public async ValueTask TakeAsync(Agency agency, CancellationToken ct)
    {
        var day = clock.Today();
        var block = _blocks.GetOrAdd(agency.Id, _ => new Block());
        if (TryTake(block, day, agency.DailyQuota) is { } taken)
        {
            if (taken) return;
            throw Exhausted(agency);
        }
        await block.Reserving.WaitAsync(ct);
        try
        {
            if (TryTake(block, day, agency.DailyQuota) is { } again)
            {
                if (again) return;
                throw Exhausted(agency);
            }
            var size = Math.Clamp(agency.DailyQuota / 100, 1, options.Value.QuotaBlock);
            var granted = await ReserveAsync(agency.Id, day, size, agency.DailyQuota, ct);
            lock (block)
            {
                block.Day = day;
                if (granted == 0)
                {
                    block.Exhausted = (day, agency.DailyQuota);
                    block.Left = 0;
                }
                else block.Left = granted - 1;
            }
            if (granted == 0) throw Exhausted(agency);
        }
        finally
        {
            block.Reserving.Release();
        }
    }

    /// <summary>True when taken from the block held, false when known to be exhausted, null when the database must be asked.</summary>
    private static bool? TryTake(Block block, DateOnly day, int quota)
    {
        lock (block)
        {
            if (block.Day == day && block.Left > 0)
            {
                block.Left--;
                return true;
            }
            return block.Exhausted == (day, quota) ? false : null;
        }
    }

    /// <summary>Reserves up to <paramref name="size"/> of the day's quota; how many were granted (0: none left).</summary>
    private async Task<int> ReserveAsync(string agencyId, DateOnly day, int size, int quota, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            insert into {settings.Schema}.{TableName} as q (agency_id, day, used) values ($1, $2, $3)
            on conflict (agency_id, day) do update set used = q.used + $3 where q.used < $4
            returning used
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = agencyId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = size });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = quota });
        // No row: the day's quota was used up before. Otherwise the block, less what it took beyond the quota.
        if (await command.ExecuteScalarAsync(ct) is not long used) return 0;
        return (int)(size - Math.Max(0, used - quota));
    }

    /// <summary>How many of the agency's verifications today were counted (reserved by any instance; a last block may pass the quota).</summary>
    public async Task<long> UsedTodayAsync(string agencyId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select coalesce((select used from {settings.Schema}.{TableName} where agency_id = $1 and day = $2), 0)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = agencyId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = clock.Today() });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private QuotaExhaustedException Exhausted(Agency agency)
    {
        var now = clock.GetUtcNow();
        return new QuotaExhaustedException(agency.Id, Tehran.EndOfDay(clock.Today()).AddTicks(1) - now);
    }
}
