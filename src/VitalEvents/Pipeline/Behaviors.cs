using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using JasperFx;
using Marten;
using Mediator;
using Microsoft.Extensions.Logging;

namespace VitalEvents.Pipeline;

/// <summary>Logs every command with its outcome and duration.</summary>
public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger, RequestContext context)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            logger.LogInformation("{Command} by {User} ({Correlation}) done in {Elapsed} ms", typeof(TMessage).Name, context.UserId,
                context.CorrelationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception e)
        {
            logger.LogWarning("{Command} by {User} ({Correlation}) refused: {Reason}", typeof(TMessage).Name, context.UserId,
                context.CorrelationId, e.Message);
            throw;
        }
    }
}

/// <summary>Checks the command's input before anything is read or written.</summary>
public sealed class ValidationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is IValidatable validatable)
        {
            var validator = new Validator();
            validatable.Validate(validator);
            validator.ThrowIfInvalid();
        }
        return next(message, cancellationToken);
    }
}

/// <summary>The result of a write, kept under its Idempotency-Key so that a retry returns it and appends nothing.</summary>
public sealed class IdempotencyRecord
{
    public string Id { get; set; } = string.Empty;
    public string RequestHash { get; set; } = string.Empty;
    public string Response { get; set; } = string.Empty;
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>
/// Commits the command's events in one transaction, together with its idempotency record: a retry with the same key
/// returns the first result, and two racing requests with one key cannot both append.
/// </summary>
public sealed class CommitBehavior<TMessage, TResponse>(IDocumentSession session, IDocumentStore store, RequestContext context, TimeProvider clock)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        session.CorrelationId = context.CorrelationId;
        session.CausationId = context.CausationId ?? context.CorrelationId;
        session.LastModifiedBy = context.UserId;
        if (context.OfficeCode is not null) session.SetHeader("officeCode", context.OfficeCode);

        var key = context.IdempotencyKey;
        if (key is null)
        {
            var result = await next(message, cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
            return result;
        }

        session.SetHeader("idempotencyKey", key);
        var id = $"{context.UserId}:{typeof(TMessage).Name}:{key}";
        var hash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(message)));
        if (await session.LoadAsync<IdempotencyRecord>(id, cancellationToken) is { } earlier) return Replay(earlier, hash, key);

        var response = await next(message, cancellationToken);
        session.Insert(new IdempotencyRecord { Id = id, RequestHash = hash, Response = JsonSerializer.Serialize(response), RecordedAt = clock.GetUtcNow() });
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return response;
        }
        catch (Exception e) when (e is DocumentAlreadyExistsException || e.InnerException is DocumentAlreadyExistsException)
        {
            await using var query = store.QuerySession();
            return Replay((await query.LoadAsync<IdempotencyRecord>(id, cancellationToken))!, hash, key);
        }
    }

    private static TResponse Replay(IdempotencyRecord earlier, string hash, string key) =>
        earlier.RequestHash == hash ? JsonSerializer.Deserialize<TResponse>(earlier.Response)! : throw new IdempotencyKeyReusedException(key);
}
