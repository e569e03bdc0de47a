using JasperFx;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Feeds.Subscriptions;

/// <summary>
/// Delivers each active subscription's events in feed order, one at a time, at least once. A 2xx moves the position on
/// and saves it before the next event; a failure is retried with exponential backoff without moving on, and after the
/// configured number of attempts the event is parked and delivery moves on. Parked events an admin replays go first.
/// Each attempt is counted by outcome, and each active subscription's position is reported to <see cref="FeedLag"/>.
/// </summary>
/// <remarks>
/// All state is in the database, so delivery resumes after a restart where it stopped (re-sending at most the event in
/// flight). Several instances may run: each subscription is delivered under a PostgreSQL session advisory lock, taken with
/// <c>pg_try_advisory_lock</c> on a connection of its own held for the whole delivery run, so one instance at a time
/// delivers it; a crashed instance's lock goes with its connection. Admin changes win over a delivery in flight: the
/// subscription is saved with optimistic concurrency, and a delivery that finds it changed stops and reloads at the next poll.
/// </remarks>
public sealed class WebhookWorker(IDocumentStore store, FeedReader feed, WebhookSender sender, StoreSettings storeSettings,
    IOptions<WebhookSettings> options, TimeProvider clock, FeedLag lag, ILogger<WebhookWorker> logger) : BackgroundService
{
    private readonly WebhookSettings _settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_settings.Enabled) return;
        var running = new Dictionary<Guid, Task>();
        using var timer = new PeriodicTimer(_settings.PollInterval);
        try
        {
            do
            {
                foreach (var done in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList()) running.Remove(done);
                try
                {
                    foreach (var id in (await DueAsync(stoppingToken)).Where(id => !running.ContainsKey(id))
                                 .Take(_settings.MaxConcurrentDeliveries - running.Count))
                        running[id] = Task.Run(() => RunAsync(id, stoppingToken), CancellationToken.None);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Looking for due webhook subscriptions failed; trying again at the next poll");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(running.Values);
        }
    }

    /// <summary>Active subscriptions not waiting for a retry, the longest without a delivery first (and their lag, reported).</summary>
    private async Task<List<Guid>> DueAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var active = await session.Query<Subscription>().Where(s => s.Status == SubscriptionStatus.Active).ToListAsync(ct);
        if (active.Count > 0) lag.End(await feed.EndAsync(ct));
        lag.Webhooks(active.ToDictionary(s => s.Id, s => s.Position));
        var now = clock.GetUtcNow();
        return [.. active.Where(s => s.NextAttemptAt is null || s.NextAttemptAt <= now).OrderBy(s => s.LastDeliveredAt ?? DateTimeOffset.MinValue).Select(s => s.Id)];
    }

    /// <summary>One delivery run for a subscription, under its advisory lock; skipped when another instance holds it.</summary>
    private async Task RunAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(storeSettings.ConnectionString);
            await connection.OpenAsync(ct);
            var key = $"vitalevents.webhooks.{storeSettings.Schema}.{id:N}";
            if (!await AdvisoryLockAsync(connection, "pg_try_advisory_lock", key, ct)) return;
            try
            {
                await DeliverAsync(id, ct);
            }
            finally
            {
                // Released explicitly: a pooled connection keeps its session (and the lock) until it is reused.
                await AdvisoryLockAsync(connection, "pg_advisory_unlock", key, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Delivering webhook subscription {Subscription} failed; trying again at the next poll", id);
        }
    }

    private static async Task<bool> AdvisoryLockAsync(NpgsqlConnection connection, string function, string key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {function}(hashtextextended(@key, 0))", connection);
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Delivers until caught up, waiting for a retry, paused, changed by an admin, or it is another subscription's turn.</summary>
    private async Task DeliverAsync(Guid id, CancellationToken ct)
    {
        for (var taken = 0; taken < _settings.EventsPerRun;)
        {
            await using var session = store.LightweightSession();
            // The replays asked for are read before the subscription: an admin's replay commits both together, so the subscription
            // read after it is never older than the replay seen. A stale one would fail to save after the event was sent, and the
            // replay would send it again.
            var replay = await session.Query<ParkedDelivery>().Where(p => p.SubscriptionId == id && p.ReplayRequested)
                .OrderBy(p => p.Sequence).FirstOrDefaultAsync(ct);
            var subscription = await session.LoadAsync<Subscription>(id, ct);
            if (subscription is null || subscription.Status != SubscriptionStatus.Active || subscription.NextAttemptAt > clock.GetUtcNow()) return;
            if (FeedScopes.Find(subscription.Scope) is not { } scope)
            {
                subscription.Status = SubscriptionStatus.Paused;
                subscription.LastError = $"The scope '{subscription.Scope}' no longer exists; paused.";
                await SaveAsync(session, subscription, ct);
                return;
            }

            if (replay is not null)
            {
                if (!await ReplayAsync(session, subscription, scope, replay, ct)) return;
                taken++;
                continue;
            }

            var page = await feed.ReadAsync(subscription.Position, subscription.Filter(scope), _settings.BatchSize, ct);
            taken += page.Events.Count;
            foreach (var e in page.Events.Where(e => scope.Allows(e.Type)))
                if (!await DeliverAsync(session, subscription, scope, e, ct)) return;
            if (page.Next > subscription.Position)
            {
                subscription.Position = page.Next;
                if (!await SaveAsync(session, subscription, ct)) return;
            }
            if (page.Events.Count < _settings.BatchSize) return;
        }
    }

    /// <summary>Delivers the next new event; true when delivery may move on (delivered, or parked).</summary>
    private async Task<bool> DeliverAsync(IDocumentSession session, Subscription subscription, FeedScope scope, FeedEvent e, CancellationToken ct)
    {
        var attempt = subscription.ConsecutiveFailures + 1;
        var error = await sender.SendAsync(subscription, scope, e, attempt, ct);
        if (error is null)
        {
            Delivered(subscription);
            subscription.Position = e.Sequence;
            session.Delete<ParkedDelivery>(ParkedDelivery.IdOf(subscription.Id, e.Sequence));
            return await SaveAsync(session, subscription, ct);
        }
        if (!Failed(subscription, e.Sequence, error))
        {
            await SaveAsync(session, subscription, ct);
            return false;
        }
        session.Store(new ParkedDelivery
        {
            Id = ParkedDelivery.IdOf(subscription.Id, e.Sequence), SubscriptionId = subscription.Id, Sequence = e.Sequence, EventId = e.Id,
            Type = e.Type, Attempts = attempt, LastError = error, ParkedAt = clock.GetUtcNow(),
        });
        subscription.Position = e.Sequence;
        return await SaveAsync(session, subscription, ct);
    }

    /// <summary>Delivers a parked event an admin asked for again; true when delivery may move on (delivered, or parked again).</summary>
    private async Task<bool> ReplayAsync(IDocumentSession session, Subscription subscription, FeedScope scope, ParkedDelivery parked, CancellationToken ct)
    {
        var page = await feed.ReadAsync(parked.Sequence - 1, FeedFilter.All, 1, ct);
        if (page.Events.FirstOrDefault(e => e.Sequence == parked.Sequence) is not { } e)
        {
            parked.ReplayRequested = false;
            parked.LastError = $"Event {parked.Sequence} is not in the feed.";
            session.Store(parked);
            return await SaveAsync(session, subscription, ct);
        }

        var attempt = parked.Attempts + subscription.ConsecutiveFailures + 1;
        var error = await sender.SendAsync(subscription, scope, e, attempt, ct);
        if (error is null)
        {
            Delivered(subscription);
            session.Delete(parked);
            return await SaveAsync(session, subscription, ct);
        }
        if (!Failed(subscription, e.Sequence, error))
        {
            await SaveAsync(session, subscription, ct);
            return false;
        }
        parked.ReplayRequested = false;
        parked.Attempts = attempt;
        parked.LastError = error;
        parked.ParkedAt = clock.GetUtcNow();
        session.Store(parked);
        return await SaveAsync(session, subscription, ct);
    }

    private void Delivered(Subscription subscription)
    {
        Telemetry.WebhookAttempt(subscription.Id, "delivered");
        subscription.Restart();
        subscription.LastDeliveredAt = clock.GetUtcNow();
    }

    /// <summary>Counts a failed attempt; true when the event is to be parked, else the next attempt is scheduled.</summary>
    private bool Failed(Subscription subscription, long sequence, string error)
    {
        subscription.ConsecutiveFailures++;
        subscription.LastError = error;
        if (subscription.ConsecutiveFailures < _settings.ParkAfterAttempts)
        {
            var delay = _settings.RetryDelay(subscription.ConsecutiveFailures);
            subscription.NextAttemptAt = clock.GetUtcNow() + delay;
            Telemetry.WebhookAttempt(subscription.Id, "failed");
            logger.LogInformation("Webhook {Subscription}: event {Sequence} failed (attempt {Attempt}): {Error}; retrying in {Delay}",
                subscription.Id, sequence, subscription.ConsecutiveFailures, error, delay);
            return false;
        }
        logger.LogWarning("Webhook {Subscription}: event {Sequence} parked after {Attempts} failed attempts: {Error}",
            subscription.Id, sequence, subscription.ConsecutiveFailures, error);
        Telemetry.WebhookAttempt(subscription.Id, "parked");
        subscription.ConsecutiveFailures = 0;
        subscription.NextAttemptAt = null;
        return true;
    }

    /// <summary>Saves the subscription and what goes with it; false when an admin changed it meanwhile (nothing is saved).</summary>
    private async Task<bool> SaveAsync(IDocumentSession session, Subscription subscription, CancellationToken ct)
    {
        session.Update(subscription);
        try
        {
            await session.SaveChangesAsync(ct);
            if (subscription.Status == SubscriptionStatus.Active) lag.Position(FeedLag.Webhook(subscription.Id), subscription.Position);
            return true;
        }
        catch (ConcurrencyException)
        {
            return false;
        }
    }
}
