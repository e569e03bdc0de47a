namespace VitalEvents.Domain.Divorces;

/// <summary>Register the divorce that ends a marriage.</summary>
public sealed record RegisterDivorce(Guid MarriageId, DateOnly Date, string Kind, DateOnly? WaitingPeriodEnds, string OfficeCode);

public static class DivorceDecision
{
    /// <summary>Records the divorce on both spouses' streams, or refuses it.</summary>
    public static Decision Decide(RegisterDivorce command, Person husband, Person wife, DateOnly today)
    {
        if (Rules.NotInFuture("date", command.Date, today) is { } future) return future;
        foreach (var spouse in new[] { husband, wife })
            if (!spouse.IsAlive) return Rules.Deceased(spouse);
        var bond = husband.Marriages.FirstOrDefault(m => m.MarriageId == command.MarriageId);
        if (bond is null || wife.Marriages.All(m => m.MarriageId != command.MarriageId))
            return new RuleViolation("marriage.notActive", $"Marriage {command.MarriageId} has already ended.");
        if (command.Date < bond.Date)
            return new RuleViolation("divorce.beforeMarriage", $"The marriage began on {bond.Date:yyyy-MM-dd}, after {command.Date:yyyy-MM-dd}.");

        var divorce = new DivorceRegistered(command.MarriageId, husband.NationalCode, wife.NationalCode, command.Date, command.Kind,
            command.WaitingPeriodEnds, command.OfficeCode);
        return Decision.Accept(new StreamEvent(husband.NationalCode, divorce), new StreamEvent(wife.NationalCode, divorce));
    }
}
