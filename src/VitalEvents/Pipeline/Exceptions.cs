using VitalEvents.Domain;

namespace VitalEvents.Pipeline;

/// <summary>A command refused by a rule; nothing has been written.</summary>
public sealed class RuleViolationException(RuleViolation violation) : Exception(violation.Message)
{
    public RuleViolation Violation { get; } = violation;
}

/// <summary>The caller's If-Match did not name the record's current version; nothing has been written.</summary>
public sealed class PreconditionFailedException(string nationalCode, long? actual)
    : Exception(actual is null
        ? $"{nationalCode} has no record; If-Match names a current one."
        : $"{nationalCode} is at version {actual}, which If-Match does not name; read it again before writing.")
{
    public long? Actual { get; } = actual;
}

/// <summary>An Idempotency-Key was reused for a different request; nothing has been written.</summary>
public sealed class IdempotencyKeyReusedException(string key)
    : Exception($"Idempotency-Key '{key}' was already used for a different request.");

/// <summary>
/// The database could not be reached, or the connection failed before the write committed: nothing was recorded, and the
/// same request may be sent again (with its Idempotency-Key).
/// </summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The connection failed while the write was committing and the database could not be asked afterwards whether it
/// committed: the write may or may not be recorded. Sending the same request again with its Idempotency-Key records it
/// at most once.
/// </summary>
public sealed class CommitOutcomeUnknownException(Exception inner)
    : Exception("The database connection failed while the write was committing; whether it was recorded is not known yet.", inner);

/// <summary>A command the pipeline decides again, on fresh state, when its commit loses an optimistic-concurrency race.</summary>
public interface IRetriedOnConflict;
