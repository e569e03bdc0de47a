namespace VitalEvents.Domain.Marriages;

/// <summary>The husband waives the remaining term of a temporary marriage (بذل مدت).</summary>
public sealed record WaiveMarriageTerm(Guid MarriageId, DateOnly Date, DateOnly? WaitingPeriodEnds, string OfficeCode);

/// <summary>A return (رجوع) during the waiting period of a revocable divorce.</summary>
public sealed record ResumeMarriage(Guid MarriageId, DateOnly Date, string OfficeCode);

/// <summary>A marriage annulled (فسخ) on grounds the law allows, by a decision.</summary>
public sealed record AnnulMarriage(Guid MarriageId, DateOnly Date, string Grounds, string DecisionReference, DateOnly? WaitingPeriodEnds, string OfficeCode);

public static class MarriageChangeDecision
{
    public static Decision Decide(WaiveMarriageTerm command, Person husband, Person wife, DateOnly today)
    {
        if (husband.Marriages.FirstOrDefault(m => m.MarriageId == command.MarriageId) is { Kind: Vocabulary.Temporary, TermEnds: { } ends }
            && command.Date >= ends)
            return new RuleViolation("marriage.termAlreadyEnded", $"The term ended on {ends:yyyy-MM-dd}; nothing is left to waive.", Field: "date");
        if (Active(command.MarriageId, command.Date, husband, wife, today) is { } refused) return refused;
        if (husband.Marriages.Single(m => m.MarriageId == command.MarriageId).Kind != Vocabulary.Temporary)
            return new RuleViolation("marriage.notTemporary", "Only the term of a temporary marriage can be waived.");
        return Both(husband, wife, new MarriageTermWaived(command.MarriageId, husband.NationalCode, wife.NationalCode, command.Date,
            command.WaitingPeriodEnds, command.OfficeCode));
    }

    public static Decision Decide(AnnulMarriage command, Person husband, Person wife, DateOnly today)
    {
        if (Active(command.MarriageId, command.Date, husband, wife, today) is { } refused) return refused;
        return Both(husband, wife, new MarriageAnnulled(command.MarriageId, husband.NationalCode, wife.NationalCode, command.Date,
            command.Grounds, command.DecisionReference, command.WaitingPeriodEnds, command.OfficeCode));
    }

    public static Decision Decide(ResumeMarriage command, Person husband, Person wife, DateOnly today)
    {
        if (Rules.NotInFuture("date", command.Date, today) is { } future) return future;
        foreach (var spouse in new[] { husband, wife })
            if (!spouse.IsAlive) return Rules.Deceased(spouse);
        var divorce = wife.PastMarriages.LastOrDefault(p => p.Bond.MarriageId == command.MarriageId);
        if (divorce is not { EndedBy: Vocabulary.EndedByRevocableDivorce })
            return new RuleViolation("marriage.notRevocablyDivorced", "A return is possible only after a revocable divorce.");
        if (command.Date < divorce.EndedOn || divorce.WaitingPeriodEnds is not { } ends || command.Date > ends)
            return new RuleViolation("marriage.returnOutsideWaitingPeriod",
                $"A return is possible from the divorce ({divorce.EndedOn:yyyy-MM-dd}) to the end of the waiting period ({divorce.WaitingPeriodEnds:yyyy-MM-dd}).",
                Field: "date");
        if (wife.ActiveMarriages(command.Date).Any())
            return new RuleViolation("marriage.wifeAlreadyMarried", $"{wife.NationalCode} is in another marriage.");
        return Both(husband, wife, new MarriageResumed(command.MarriageId, husband.NationalCode, wife.NationalCode, command.Date, command.OfficeCode));
    }

    /// <summary>The marriage is in force on both records, the date is possible, and both spouses are alive.</summary>
    internal static RuleViolation? Active(Guid marriageId, DateOnly date, Person husband, Person wife, DateOnly today,
        string tooEarlyCode = "marriage.endBeforeStart")
    {
        if (Rules.NotInFuture("date", date, today) is { } future) return future;
        foreach (var spouse in new[] { husband, wife })
            if (!spouse.IsAlive) return Rules.Deceased(spouse);
        var bond = husband.ActiveMarriages(date).FirstOrDefault(m => m.MarriageId == marriageId);
        if (bond is null || wife.ActiveMarriages(date).All(m => m.MarriageId != marriageId))
            return new RuleViolation("marriage.notActive", $"Marriage {marriageId} has already ended.");
        if (date < bond.Date)
            return new RuleViolation(tooEarlyCode, $"The marriage began on {bond.Date:yyyy-MM-dd}, after {date:yyyy-MM-dd}.", Field: "date");
        return null;
    }

    internal static Decision Both(Person husband, Person wife, object @event) =>
        Decision.Accept(new StreamEvent(husband.NationalCode, @event), new StreamEvent(wife.NationalCode, @event));
}
