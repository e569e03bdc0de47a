using System.Collections.Frozen;
using Marten;
using Microsoft.Extensions.Options;

namespace VitalEvents.Verifications;

/// <summary>
/// The agencies, held in memory for the verifications' fast path. Read again from the database at most
/// <see cref="VerificationSettings.AgencyRefresh"/> after the last read (in the background: verifications meanwhile use what
/// is held), and at once after a change made through this instance; another instance sees a change within that interval.
/// </summary>
public sealed class AgencyDirectory(IDocumentStore store, TimeProvider clock, IOptions<VerificationSettings> settings)
{
    private sealed record Snapshot(FrozenDictionary<string, Agency> Agencies, DateTimeOffset ReadAt);

    private volatile Snapshot? _held;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private int _refreshing;

    /// <summary>The agency of that id, or null when none is registered.</summary>
    public async ValueTask<Agency?> FindAsync(string id, CancellationToken ct)
    {
        var held = _held ?? await ReadAsync(ct);
        if (clock.GetUtcNow() - held.ReadAt > settings.Value.AgencyRefresh && Interlocked.Exchange(ref _refreshing, 1) == 0)
            _ = Task.Run(async () =>
            {
                try { await ReadAsync(CancellationToken.None); }
                catch (Exception) { /* kept as it was; the next verification tries again */ }
                finally { Volatile.Write(ref _refreshing, 0); }
            }, CancellationToken.None);
        return held.Agencies.GetValueOrDefault(id);
    }

    /// <summary>What is held now, without reading (the rate limiter's partitions need an answer at once); null before the first read.</summary>
    public Agency? Held(string id) => _held?.Agencies.GetValueOrDefault(id);

    /// <summary>Reads every agency again; a change made through this instance calls it before answering.</summary>
    public Task ReloadAsync(CancellationToken ct) => ReadAsync(ct);

    private async Task<Snapshot> ReadAsync(CancellationToken ct)
    {
        await _reading.WaitAsync(ct);
        try
        {
            var readAt = clock.GetUtcNow();
            await using var session = store.QuerySession();
            var agencies = await session.Query<Agency>().ToListAsync(ct);
            return _held = new Snapshot(agencies.ToFrozenDictionary(a => a.Id, StringComparer.Ordinal), readAt);
        }
        finally
        {
            _reading.Release();
        }
    }
}
