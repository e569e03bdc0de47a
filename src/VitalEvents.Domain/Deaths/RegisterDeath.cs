namespace VitalEvents.Domain.Deaths;

/// <summary>Register a death.</summary>
public sealed record RegisterDeath(string NationalCode, DateOnly Date, PlaceRecord Place, string? CauseIcd10, string? Certifier, string OfficeCode);

public static class DeathDecision
{
    /// <summary>Records the death on the deceased's stream and ends each marriage on the surviving spouse's stream.</summary>
    public static Decision Decide(RegisterDeath command, Person? deceased, DateOnly today)
    {
        if (deceased is null) return Rules.NotFound(command.NationalCode);
        if (!deceased.IsAlive) return Rules.Deceased(deceased);
        if (Rules.NotInFuture("date", command.Date, today) is { } future) return future;
        if (command.Date < deceased.BirthDate)
            return new RuleViolation("death.beforeBirth", $"{deceased.NationalCode} was born on {deceased.BirthDate:yyyy-MM-dd}, after {command.Date:yyyy-MM-dd}.");

        var events = new List<StreamEvent>
        {
            new(deceased.NationalCode, new DeathRegistered(deceased.NationalCode, command.Date, command.Place, command.CauseIcd10,
                command.Certifier, command.OfficeCode)),
        };
        events.AddRange(deceased.Marriages.Select(m =>
            new StreamEvent(m.SpouseNationalCode, new MarriageEndedByDeath(m.MarriageId, deceased.NationalCode, command.Date))));
        return Decision.Accept(events);
    }
}
