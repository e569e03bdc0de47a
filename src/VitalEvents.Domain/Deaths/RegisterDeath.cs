namespace VitalEvents.Domain.Deaths;

/// <summary>Register a death.</summary>
/// <summary>Register a death; the causes are ICD-10 codes, the underlying cause first.</summary>
public sealed record RegisterDeath(string NationalCode, DateOnly Date, PlaceRecord Place, IReadOnlyList<string> CausesIcd10, string? Certifier, string OfficeCode);

/// <summary>Register a foetal death after the sixth month of pregnancy, on the mother's record.</summary>
public sealed record RegisterFoetalDeath(
    string MotherNationalCode, DateOnly Date, int GestationWeeks, string? Sex, PlaceRecord Place, string? CauseIcd10, string? Certifier,
    string? FatherNationalCode, string OfficeCode);

public static class DeathDecision
{
    private const string Mother = "motherNationalCode";

    /// <summary>Records the death on the deceased's stream and ends each marriage on the surviving spouse's stream.</summary>
    public static Decision Decide(RegisterDeath command, Person? deceased, DateOnly today, RegistryLaw? law = null)
    {
        law ??= RegistryLaw.Default;
        if (deceased is null) return Rules.NotFound(command.NationalCode, "nationalCode");
        if (!deceased.IsAlive) return Rules.Deceased(deceased, "nationalCode");
        if (Rules.NotInFuture("date", command.Date, today) is { } future) return future;
        if (command.Date < deceased.BirthDate)
            return new RuleViolation("death.beforeBirth", $"{deceased.NationalCode} was born on {deceased.BirthDate:yyyy-MM-dd}, after {command.Date:yyyy-MM-dd}.", Field: "date");
        if (deceased.Marriages.Concat(deceased.PastMarriages.Select(p => p.Bond)).FirstOrDefault(m => m.Date > command.Date) is { } later)
            return new RuleViolation("death.beforeMarriage", $"{deceased.NationalCode} married on {later.Date:yyyy-MM-dd}, after {command.Date:yyyy-MM-dd}.", Field: "date");

        var events = new List<StreamEvent>
        {
            new(deceased.NationalCode, new DeathRegistered(deceased.NationalCode, command.Date, command.Place, command.CausesIcd10,
                command.Certifier, command.OfficeCode, today.DayNumber - command.Date.DayNumber > law.DeathRegistrationDays)),
        };
        events.AddRange(deceased.ActiveMarriages(command.Date).Select(m =>
            new StreamEvent(m.SpouseNationalCode, new MarriageEndedByDeath(m.MarriageId, deceased.NationalCode, command.Date))));
        return Decision.Accept(events);
    }

    /// <summary>Records a foetal death on the mother's stream.</summary>
    public static Decision Decide(RegisterFoetalDeath command, Person? mother, DateOnly today, RegistryLaw? law = null)
    {
        law ??= RegistryLaw.Default;
        if (mother is null) return Rules.NotFound(command.MotherNationalCode, Mother);
        if (mother.Sex != Vocabulary.Female)
            return new RuleViolation("parent.sexMismatch", $"The mother {mother.NationalCode} is recorded as {mother.Sex}.", Field: Mother);
        if (Rules.NotInFuture("date", command.Date, today) is { } future) return future;
        if (mother.DateOfDeath is { } died && died < command.Date) return Rules.Deceased(mother, Mother);
        if (command.Date <= mother.BirthDate)
            return new RuleViolation("foetalDeath.beforeMothersBirth", $"The mother was born on {mother.BirthDate:yyyy-MM-dd}.", Field: "date");
        if (command.GestationWeeks <= law.FoetalDeathAfterWeeks)
            return new RuleViolation("foetalDeath.tooEarly",
                $"A foetal death is recorded after the sixth month of pregnancy (more than {law.FoetalDeathAfterWeeks} weeks); {command.GestationWeeks} weeks given.", ViolationKind.Invalid,
                "gestationWeeks");
        return Decision.Accept(new StreamEvent(mother.NationalCode, new FoetalDeathRegistered(mother.NationalCode, command.Date,
            command.GestationWeeks, command.Sex, command.Place, command.CauseIcd10, command.Certifier, command.FatherNationalCode, command.OfficeCode)));
    }
}
