using System.Security.Cryptography;
using System.Text.Json;
using JasperFx;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;
using VitalEvents.Storage;

namespace VitalEvents.Pipeline;

/// <summary>
/// Commits a command's events and documents in one transaction, together with its idempotency record: a retry with the same
/// Idempotency-Key (same user, same command) returns the first answer and writes nothing, the same key with another command
/// is refused, and two racing requests with one key cannot both write. A command marked <see cref="IRetriedOnConflict"/>
/// is decided again on fresh state when its commit loses an optimistic-concurrency race.
/// </summary>
public sealed class CommitBehavior<TMessage, TResponse>(IDocumentSession session, IDocumentStore store, RequestContext context, TimeProvider clock,
    StoreSettings settings, IOptions<IdempotencySettings> idempotency) : IPipelineBehavior<TMessage, TResponse> where TMessage : IBaseCommand, IMessage
{
    private const int ConflictRetries = 5;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        session.CorrelationId = context.CorrelationId;
        session.CausationId = context.CausationId ?? context.CorrelationId;
        session.LastModifiedBy = context.UserId;
        if (context.OfficeCode is not null) session.SetHeader("officeCode", context.OfficeCode);
        if (context.IdempotencyKey is not null) session.SetHeader("idempotencyKey", context.IdempotencyKey);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(message, next, cancellationToken);
            }
            catch (ConcurrencyException) when (message is IRetriedOnConflict && attempt < ConflictRetries)
            {
                session.EjectAllPendingChanges();
            }
        }
    }

    private async ValueTask<TResponse> AttemptAsync(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (context.IdempotencyKey is not { } key)
        {
            var result = await next(message, ct);
            await Commit.SaveAsync(session, settings.ConnectionString, ct);
            return result;
        }

        var id = $"{context.UserId}:{typeof(TMessage).Name}:{key}";
        var hash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(message)));
        if (await session.LoadAsync<IdempotencyRecord>(id, ct) is { } earlier)
        {
            if (!idempotency.Value.IsExpired(earlier, clock.GetUtcNow())) return Replay(earlier, hash, key);
            session.Delete(earlier);
        }

        var response = await next(message, ct);
        session.Insert(new IdempotencyRecord { Id = id, RequestHash = hash, Response = JsonSerializer.Serialize(response), RecordedAt = clock.GetUtcNow() });
        try
        {
            await Commit.SaveAsync(session, settings.ConnectionString, ct);
            return response;
        }
        catch (DocumentAlreadyExistsException e) when (e.DocumentType == typeof(IdempotencyRecord))
        {
            // Another request with the same key committed first: answer as it was answered.
            await using var query = store.QuerySession();
            return Replay((await query.LoadAsync<IdempotencyRecord>(id, ct))!, hash, key);
        }
    }

    private TResponse Replay(IdempotencyRecord earlier, string hash, string key)
    {
        if (earlier.RequestHash != hash) throw new IdempotencyKeyReusedException(key);
        context.Replayed = true;
        return JsonSerializer.Deserialize<TResponse>(earlier.Response)!;
    }
}
