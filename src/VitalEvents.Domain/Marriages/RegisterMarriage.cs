namespace VitalEvents.Domain.Marriages;

/// <summary>Register a marriage between a man and a woman.</summary>
public sealed record RegisterMarriage(
    Guid MarriageId, string HusbandNationalCode, string WifeNationalCode, DateOnly Date, string Kind, DateOnly? TermEnds,
    string? CourtAuthorisationReference, string OfficeCode);

public static class MarriageDecision
{
    /// <summary>Records the marriage on both spouses' streams, or refuses it.</summary>
    public static Decision Decide(RegisterMarriage command, Person? husband, Person? wife, DateOnly today)
    {
        if (husband is null) return Rules.NotFound(command.HusbandNationalCode);
        if (wife is null) return Rules.NotFound(command.WifeNationalCode);
        if (Rules.NotInFuture("date", command.Date, today) is { } future) return future;
        if (husband.Sex != Vocabulary.Male || wife.Sex != Vocabulary.Female)
            return new RuleViolation("marriage.sexMismatch", "A marriage is registered between a man (husband) and a woman (wife).");
        foreach (var spouse in new[] { husband, wife })
        {
            if (!spouse.IsAlive) return Rules.Deceased(spouse);
            if (spouse.BirthDate > command.Date)
                return new RuleViolation("marriage.beforeBirth", $"{spouse.NationalCode} was not yet born on {command.Date:yyyy-MM-dd}.");
        }
        if (wife.Marriages.Count > 0)
            return new RuleViolation("marriage.wifeAlreadyMarried", $"{wife.NationalCode} is in a marriage; a woman cannot be in two marriages at once.");
        if (command.Kind == Vocabulary.Permanent && husband.Marriages.Any(m => m.Kind == Vocabulary.Permanent)
            && string.IsNullOrWhiteSpace(command.CourtAuthorisationReference))
            return new RuleViolation("marriage.courtAuthorisationRequired",
                $"{husband.NationalCode} is in a permanent marriage; an additional permanent marriage needs a court authorisation reference.");

        var registered = new MarriageRegistered(command.MarriageId, husband.NationalCode, wife.NationalCode, command.Date, command.Kind,
            command.TermEnds, command.CourtAuthorisationReference, command.OfficeCode);
        return Decision.Accept(new StreamEvent(husband.NationalCode, registered), new StreamEvent(wife.NationalCode, registered));
    }
}
