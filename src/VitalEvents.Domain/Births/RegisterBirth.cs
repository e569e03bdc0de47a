namespace VitalEvents.Domain.Births;

/// <summary>Register a live birth. The child's national code is issued by the registry before deciding.</summary>
public sealed record RegisterBirth(
    string GivenName, string FamilyName, string Sex, DateOnly BirthDate, PlaceRecord BirthPlace,
    string? MotherNationalCode, string? FatherNationalCode, string OfficeCode, EvidenceRecord Evidence);

public static class BirthDecision
{
    /// <summary>Starts the child's stream and records the child on each registered parent's stream.</summary>
    public static Decision Decide(RegisterBirth command, string childNationalCode, Person? mother, Person? father, DateOnly today)
    {
        if (Rules.NotInFuture("birthDate", command.BirthDate, today) is { } future) return future;
        if (CheckParent(command.MotherNationalCode, mother, Vocabulary.Female, "mother", command.BirthDate) is { } m) return m;
        if (CheckParent(command.FatherNationalCode, father, Vocabulary.Male, "father", command.BirthDate) is { } f) return f;
        if (mother is { DateOfDeath: { } motherDied } && motherDied < command.BirthDate)
            return new RuleViolation("parent.deceased", $"The mother {mother.NationalCode} died on {motherDied:yyyy-MM-dd}, before the birth.");

        var events = new List<StreamEvent>
        {
            new(childNationalCode, new BirthRegistered(childNationalCode, command.GivenName, command.FamilyName, command.Sex,
                command.BirthDate, command.BirthPlace, command.MotherNationalCode, command.FatherNationalCode, command.OfficeCode, command.Evidence)),
        };
        foreach (var (parent, role) in new[] { (mother, "mother"), (father, "father") })
        {
            if (parent is null) continue;
            events.Add(new(parent.NationalCode, new ChildBirthRecorded(childNationalCode, command.GivenName, command.FamilyName,
                command.Sex, command.BirthDate, role)));
        }
        return Decision.Accept(events);
    }

    private static RuleViolation? CheckParent(string? code, Person? parent, string sex, string role, DateOnly birthDate)
    {
        if (code is null) return null;
        if (parent is null)
            return new RuleViolation("parent.notFound", $"The {role} {code} is not registered.", ViolationKind.NotFound);
        if (parent.Sex != sex)
            return new RuleViolation("parent.sexMismatch", $"The {role} {code} is recorded as {parent.Sex}.");
        if (parent.BirthDate >= birthDate)
            return new RuleViolation("parent.bornAfterChild", $"The {role} {code} was born on {parent.BirthDate:yyyy-MM-dd}, not before the child.");
        return null;
    }
}
