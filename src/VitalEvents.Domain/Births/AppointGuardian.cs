namespace VitalEvents.Domain.Births;

/// <summary>Appoint a guardian (سرپرست) for a child without living parents, by a court's decision.</summary>
public sealed record AppointGuardian(
    string ChildNationalCode, string GuardianNationalCode, DateOnly Date, string Authority, string DecisionReference, string OfficeCode);

public static class GuardianshipDecision
{
    private const string Child = "childNationalCode";
    private const string Guardian = "guardianNationalCode";

    public static Decision Decide(AppointGuardian command, Person? child, Person? guardian, IEnumerable<Person> parents, DateOnly today,
        RegistryLaw? law = null)
    {
        law ??= RegistryLaw.Default;
        if (child is null) return Rules.NotFound(command.ChildNationalCode, Child);
        if (guardian is null) return Rules.NotFound(command.GuardianNationalCode, Guardian);
        if (Rules.NotInFuture("date", command.Date, today) is { } future) return future;
        if (!child.IsAlive) return Rules.Deceased(child, Child);
        if (!guardian.IsAlive) return Rules.Deceased(guardian, Guardian);
        if (RegistryLaw.AgeOn(child.BirthDate, command.Date) >= law.AgeOfMajority || command.Date < child.BirthDate)
            return new RuleViolation("guardianship.notAMinor", $"{child.NationalCode} is not a minor on {command.Date:yyyy-MM-dd}.", Field: Child);
        if (RegistryLaw.AgeOn(guardian.BirthDate, command.Date) < law.AgeOfMajority)
            return new RuleViolation("guardianship.guardianNotOfAge", $"A guardian must be at least {law.AgeOfMajority}.", Field: Guardian);
        if (parents.FirstOrDefault(p => p.IsAlive) is { } living)
            return new RuleViolation("guardianship.parentLiving", $"The child's parent {living.NationalCode} is alive.", Field: Child);
        return Decision.Accept(new StreamEvent(child.NationalCode, new GuardianAppointed(child.NationalCode, guardian.NationalCode,
            $"{guardian.GivenName} {guardian.FamilyName}", command.Date, command.Authority, command.DecisionReference, command.OfficeCode)));
    }
}
