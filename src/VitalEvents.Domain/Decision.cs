namespace VitalEvents.Domain;

/// <summary>How a refused command should be understood by a caller.</summary>
public enum ViolationKind
{
    /// <summary>The command itself is wrong (a date in the future, say).</summary>
    Invalid,
    /// <summary>A person or record the command refers to does not exist.</summary>
    NotFound,
    /// <summary>The command contradicts the registry's rules given what is recorded.</summary>
    Conflict,
    /// <summary>The person asking may not do this.</summary>
    Forbidden,
}

/// <summary>
/// A rule of the law or the registry that a command broke, with a stable machine-readable code and, where the rule is about
/// one of the command's fields, that field's name (camelCase, as requests name it).
/// </summary>
public sealed record RuleViolation(string Code, string Message, ViolationKind Kind = ViolationKind.Conflict, string? Field = null);

/// <summary>An event to append to one person's stream.</summary>
public sealed record StreamEvent(string NationalCode, object Event);

/// <summary>What a decision produced: the events to append, or the rule that refused the command.</summary>
public sealed class Decision
{
    private Decision(IReadOnlyList<StreamEvent> events, RuleViolation? violation)
    {
        Events = events;
        Violation = violation;
    }

    public IReadOnlyList<StreamEvent> Events { get; }
    public RuleViolation? Violation { get; }
    public bool Accepted => Violation is null;

    public static Decision Accept(params StreamEvent[] events) => new(events, null);
    public static Decision Accept(IEnumerable<StreamEvent> events) => new(events.ToArray(), null);
    public static Decision Reject(RuleViolation violation) => new([], violation);

    public static implicit operator Decision(RuleViolation violation) => Reject(violation);
}

/// <summary>The rules several commands share.</summary>
public static class Rules
{
    public static RuleViolation NotFound(string nationalCode, string? field = null) =>
        new("person.notFound", $"No person with national code {nationalCode} is registered.", ViolationKind.NotFound, field);

    public static RuleViolation Deceased(Person person, string? field = null) =>
        new("person.deceased", $"{person.NationalCode} died on {person.DateOfDeath:yyyy-MM-dd}; no life event can follow a death.", Field: field);

    public static RuleViolation OutsideJurisdiction(string actingOffice, string owningOffice) =>
        new("office.outsideJurisdiction", $"This belongs to office {owningOffice}; you act for office {actingOffice}.", ViolationKind.Forbidden);

    public static RuleViolation? NotInFuture(string field, DateOnly date, DateOnly today) =>
        date > today ? new("date.inFuture", $"{field} {date:yyyy-MM-dd} is in the future.", ViolationKind.Invalid, field) : null;
}
