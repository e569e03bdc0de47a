using System.Globalization;
using System.Text.Json;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Http;
using Npgsql;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Feeds.Subscriptions;

/// <summary>A subscription as admins see it: the secret masked, the position as a feed cursor.</summary>
public sealed record SubscriptionView(Guid Id, string Name, string Url, string Secret, string Scope, IReadOnlyList<string> Types,
    IReadOnlyList<string> Provinces, string Position, string Status, int ConsecutiveFailures, DateTimeOffset? NextAttemptAt, string? LastError,
    DateTimeOffset? LastDeliveredAt, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static SubscriptionView Of(Subscription s) => new(s.Id, s.Name, s.Url, Mask(s.Secret), s.Scope, s.Types, s.Provinces,
        s.Position.ToString(CultureInfo.InvariantCulture), s.Status, s.ConsecutiveFailures, s.NextAttemptAt, s.LastError, s.LastDeliveredAt,
        s.CreatedBy, s.CreatedAt);

    /// <summary>Enough of the secret to tell which one it is: its last four characters.</summary>
    public static string Mask(string secret) => new string('*', 12) + secret[^Math.Min(4, secret.Length / 4)..];
}

/// <summary>A parked event as admins see it.</summary>
public sealed record ParkedView(long Sequence, Guid EventId, string Type, int Attempts, string? LastError, DateTimeOffset ParkedAt, bool ReplayRequested)
{
    public static ParkedView Of(ParkedDelivery p) => new(p.Sequence, p.EventId, p.Type, p.Attempts, p.LastError, p.ParkedAt, p.ReplayRequested);
}

/// <summary>What the subscription endpoints share: not found, changing a subscription safely, and reading positions.</summary>
internal static class SubscriptionApi
{
    public const string Tag = "Subscriptions";

    public static IResult NotFound(Guid id) =>
        Problems.Of(StatusCodes.Status404NotFound, "subscription.notFound", $"There is no subscription {id}.");

    public static IResult Invalid(string code, string detail) => Problems.Of(StatusCodes.Status400BadRequest, code, detail);

    /// <summary>
    /// Loads a subscription, applies a change (which may refuse with a problem) and saves it with whatever the change
    /// stored in the session; when the delivery worker saved the subscription in between, does it all again on the newer version.
    /// </summary>
    public static async Task<IResult> ChangeAsync(IDocumentStore store, Guid id, Func<Subscription, IDocumentSession, Task<IResult?>> change,
        Func<Subscription, IResult> answer, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            if (await session.LoadAsync<Subscription>(id, ct) is not { } subscription) return NotFound(id);
            if (await change(subscription, session) is { } refused) return refused;
            session.Update(subscription);
            try
            {
                await session.SaveChangesAsync(ct);
                return answer(subscription);
            }
            catch (ConcurrencyException) when (attempt < 10)
            {
            }
        }
    }

    /// <summary>The current end of the feed: the highest sequence recorded.</summary>
    public static async Task<long> FeedEndAsync(StoreSettings settings, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {settings.Schema}.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A cursor: a whole number, given as a JSON number or string, from 0 to the end of the feed.</summary>
    public static bool TryCursor(JsonElement value, long end, out long cursor)
    {
        cursor = -1;
        var read = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out cursor),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out cursor),
            _ => false,
        };
        return read && cursor >= 0 && cursor <= end;
    }

    /// <summary>The position just before the first event recorded at or after an instant (ISO 8601, or a date meaning its end in Tehran).</summary>
    public static async Task<long?> CursorAtAsync(FeedReader feed, string? text, CancellationToken ct) =>
        text is not null && Instants.TryParse(text, out var instant) is null ? await feed.CursorAtAsync(instant, ct) : null;
}
