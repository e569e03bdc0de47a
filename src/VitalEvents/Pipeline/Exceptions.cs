using VitalEvents.Domain;

namespace VitalEvents.Pipeline;

/// <summary>A command refused by a rule; nothing has been written.</summary>
public sealed class RuleViolationException(RuleViolation violation) : Exception(violation.Message)
{
    public RuleViolation Violation { get; } = violation;
}

/// <summary>The caller's If-Match did not name the stream's current version.</summary>
public sealed class PreconditionFailedException(string nationalCode, long expected, long actual)
    : Exception($"{nationalCode} is at version {actual}, not {expected}; read it again before writing.")
{
    public long Actual { get; } = actual;
}

/// <summary>An Idempotency-Key was reused for a different request.</summary>
public sealed class IdempotencyKeyReusedException(string key)
    : Exception($"Idempotency-Key '{key}' was already used for a different request.");
