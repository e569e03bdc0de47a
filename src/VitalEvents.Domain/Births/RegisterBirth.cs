namespace VitalEvents.Domain.Births;

/// <summary>Register a live birth. Parents' names are needed only for parents who are not registered.</summary>
public sealed record RegisterBirth(
    string GivenName, string FamilyName, string Sex, DateOnly BirthDate, PlaceRecord BirthPlace,
    string? MotherNationalCode, string? FatherNationalCode, string OfficeCode, EvidenceRecord Evidence,
    string? BirthTime = null, int? MultipleBirthOrder = null, string? MotherName = null, string? FatherName = null,
    Guid? NotificationId = null);

public static class BirthDecision
{
    /// <summary>
    /// The first look at a registration: refused by a rule, held for a supervisor when it looks like a child already
    /// registered to the same mother (no events = go ahead and issue the code, then <see cref="Decide"/>).
    /// </summary>
    public static Decision Review(RegisterBirth command, Person? mother, Person? father, DateOnly today, Guid holdId, string heldBy,
        RegistryLaw? law = null)
    {
        law ??= RegistryLaw.Default;
        if (Check(command, mother, father, today) is { } refused) return refused;
        if (mother is null || SuspectedDuplicate(command, mother, law) is not { } duplicate) return Decision.Accept();
        var birth = Registered(command, string.Empty, mother, father, today, law);
        return Decision.Accept(new StreamEvent(mother.NationalCode, new BirthHeldForReview(holdId, birth, duplicate.NationalCode, heldBy)));
    }

    /// <summary>Starts the child's stream and records the child on each registered parent's stream.</summary>
    public static Decision Decide(RegisterBirth command, string childNationalCode, Person? mother, Person? father, DateOnly today,
        RegistryLaw? law = null)
    {
        if (Check(command, mother, father, today) is { } refused) return refused;
        var birth = Registered(command, childNationalCode, mother, father, today, law ?? RegistryLaw.Default);
        return Decision.Accept(Recorded(birth, mother, father));
    }

    /// <summary>A supervisor of the registering office confirms a held birth as a new person: it is registered under the code now issued.</summary>
    public static Decision Confirm(Guid holdId, string childNationalCode, Person mother, Person? father, string confirmedBy, string office)
    {
        if (Held(mother, holdId, confirmedBy, office) is { } refused) return refused;
        var birth = mother.HeldBirths.Single(h => h.HoldId == holdId).Birth with { NationalCode = childNationalCode };
        if (!mother.IsAlive && mother.DateOfDeath < birth.BirthDate)
            return new RuleViolation("parent.deceased", $"The mother {mother.NationalCode} died before the birth.", Field: "motherNationalCode");
        return Decision.Accept([new StreamEvent(mother.NationalCode, new HeldBirthConfirmed(holdId, childNationalCode, confirmedBy)),
            .. Recorded(birth, mother, father)]);
    }

    /// <summary>A supervisor of the registering office rejects a held birth as a duplicate: nobody is registered.</summary>
    public static Decision Reject(Guid holdId, Person mother, string rejectedBy, string reason, string office)
    {
        if (Held(mother, holdId, rejectedBy, office) is { } refused) return refused;
        var held = mother.HeldBirths.Single(h => h.HoldId == holdId);
        return Decision.Accept(new StreamEvent(mother.NationalCode, new HeldBirthRejected(holdId, held.SuspectedDuplicateOf, rejectedBy, reason)));
    }

    /// <summary>
    /// A child of the same mother born within the window with a similar name. Twins and other multiple births are told
    /// apart by their declared birth order.
    /// </summary>
    public static ChildRecord? SuspectedDuplicate(RegisterBirth command, Person mother, RegistryLaw law) =>
        mother.Children.FirstOrDefault(child =>
            Math.Abs(child.BirthDate.DayNumber - command.BirthDate.DayNumber) <= law.DuplicateBirthWindowDays
            && Names.Similar(child.GivenName, command.GivenName)
            && !(child.MultipleBirthOrder is { } order && command.MultipleBirthOrder is { } newOrder && order != newOrder));

    private static RuleViolation? Held(Person mother, Guid holdId, string reviewer, string reviewerOffice)
    {
        var held = mother.HeldBirths.FirstOrDefault(h => h.HoldId == holdId);
        if (held is null) return new RuleViolation("birthHold.notPending", $"Held birth {holdId} is not waiting for a decision.");
        if (held.Birth.OfficeCode != reviewerOffice) return Rules.OutsideJurisdiction(reviewerOffice, held.Birth.OfficeCode);
        if (held.HeldBy == reviewer)
            return new RuleViolation("birthHold.sameUser", "A held birth is decided by a different person from the one who registered it.", ViolationKind.Forbidden);
        return null;
    }

    private static RuleViolation? Check(RegisterBirth command, Person? mother, Person? father, DateOnly today)
    {
        if (Rules.NotInFuture("birthDate", command.BirthDate, today) is { } future) return future;
        if (CheckParent(command.MotherNationalCode, mother, Vocabulary.Female, "mother", command.BirthDate) is { } m) return m;
        if (CheckParent(command.FatherNationalCode, father, Vocabulary.Male, "father", command.BirthDate) is { } f) return f;
        if (mother is { DateOfDeath: { } motherDied } && motherDied < command.BirthDate)
            return new RuleViolation("parent.deceased", $"The mother {mother.NationalCode} died on {motherDied:yyyy-MM-dd}, before the birth.", Field: "motherNationalCode");
        return null;
    }

    private static BirthRegistered Registered(RegisterBirth c, string nationalCode, Person? mother, Person? father, DateOnly today, RegistryLaw law) =>
        new(nationalCode, c.GivenName, c.FamilyName, c.Sex, c.BirthDate, c.BirthPlace, c.MotherNationalCode, c.FatherNationalCode,
            c.OfficeCode, c.Evidence, c.BirthTime, c.MultipleBirthOrder,
            mother?.GivenName ?? c.MotherName, father?.GivenName ?? c.FatherName,
            today.DayNumber - c.BirthDate.DayNumber > law.BirthRegistrationDays, c.NotificationId);

    private static List<StreamEvent> Recorded(BirthRegistered birth, Person? mother, Person? father)
    {
        var events = new List<StreamEvent> { new(birth.NationalCode, birth) };
        foreach (var (parent, role) in new[] { (mother, "mother"), (father, "father") })
        {
            if (parent is null) continue;
            events.Add(new(parent.NationalCode, new ChildBirthRecorded(birth.NationalCode, birth.GivenName, birth.FamilyName,
                birth.Sex, birth.BirthDate, role, birth.MultipleBirthOrder)));
        }
        return events;
    }

    internal static RuleViolation? CheckParent(string? code, Person? parent, string sex, string role, DateOnly birthDate)
    {
        if (code is null) return null;
        var field = $"{role}NationalCode";
        if (parent is null)
            return new RuleViolation("parent.notFound", $"The {role} {code} is not registered.", ViolationKind.NotFound, field);
        if (parent.Sex != sex)
            return new RuleViolation("parent.sexMismatch", $"The {role} {code} is recorded as {parent.Sex}.", Field: field);
        if (parent.BirthDate >= birthDate)
            return new RuleViolation("parent.bornAfterChild", $"The {role} {code} was born on {parent.BirthDate:yyyy-MM-dd}, not before the child.", Field: field);
        return null;
    }
}
