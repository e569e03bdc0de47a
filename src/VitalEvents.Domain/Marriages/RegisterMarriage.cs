namespace VitalEvents.Domain.Marriages;

/// <summary>Register a marriage between a man and a woman.</summary>
public sealed record RegisterMarriage(
    Guid MarriageId, string HusbandNationalCode, string WifeNationalCode, DateOnly Date, string Kind, DateOnly? TermEnds,
    string? CourtAuthorisationReference, string OfficeCode, string? CourtPermissionReference = null);

public static class MarriageDecision
{
    private const string Husband = "husbandNationalCode";
    private const string Wife = "wifeNationalCode";

    /// <summary>Records the marriage on both spouses' streams, or refuses it.</summary>
    public static Decision Decide(RegisterMarriage command, Person? husband, Person? wife, DateOnly today, RegistryLaw? law = null)
    {
        law ??= RegistryLaw.Default;
        if (husband is null) return Rules.NotFound(command.HusbandNationalCode, Husband);
        if (wife is null) return Rules.NotFound(command.WifeNationalCode, Wife);
        if (Rules.NotInFuture("date", command.Date, today) is { } future) return future;
        if (husband.Sex != Vocabulary.Male || wife.Sex != Vocabulary.Female)
            return new RuleViolation("marriage.sexMismatch", "A marriage is registered between a man (husband) and a woman (wife).");
        foreach (var (spouse, minimumAge, field) in new[] { (husband, law.MinimumMarriageAgeMen, Husband), (wife, law.MinimumMarriageAgeWomen, Wife) })
        {
            if (!spouse.IsAlive) return Rules.Deceased(spouse, field);
            if (spouse.BirthDate > command.Date)
                return new RuleViolation("marriage.beforeBirth", $"{spouse.NationalCode} was not yet born on {command.Date:yyyy-MM-dd}.", Field: field);
            if (RegistryLaw.AgeOn(spouse.BirthDate, command.Date) < minimumAge && string.IsNullOrWhiteSpace(command.CourtPermissionReference))
                return new RuleViolation("marriage.underMinimumAge",
                    $"{spouse.NationalCode} is under {minimumAge} on {command.Date:yyyy-MM-dd}; a marriage below the minimum age needs a court permission reference.",
                    Field: field);
        }
        if (Kinship(husband, wife) is { } kinship)
            return new RuleViolation("marriage.prohibitedKinship", $"{husband.NationalCode} and {wife.NationalCode} are {kinship}; they cannot marry.");
        if (wife.ActiveMarriages(command.Date).Any())
            return new RuleViolation("marriage.wifeAlreadyMarried", $"{wife.NationalCode} is in a marriage; a woman cannot be in two marriages at once.", Field: Wife);
        if (WaitingUntil(wife, husband.NationalCode, law) is { } waitingEnds && command.Date <= waitingEnds)
            return new RuleViolation("marriage.waitingPeriod", $"{wife.NationalCode} is in her waiting period until {waitingEnds:yyyy-MM-dd} ({SolarHijri.Format(waitingEnds)}).", Field: Wife);
        if (command.Kind == Vocabulary.Permanent && husband.ActiveMarriages(command.Date).Any(m => m.Kind == Vocabulary.Permanent)
            && string.IsNullOrWhiteSpace(command.CourtAuthorisationReference))
            return new RuleViolation("marriage.courtAuthorisationRequired",
                $"{husband.NationalCode} is in a permanent marriage; an additional permanent marriage needs a court authorisation reference.",
                Field: "courtAuthorisationReference");

        var registered = new MarriageRegistered(command.MarriageId, husband.NationalCode, wife.NationalCode, command.Date, command.Kind,
            command.TermEnds, command.CourtAuthorisationReference, command.OfficeCode, command.CourtPermissionReference);
        return Decision.Accept(new StreamEvent(husband.NationalCode, registered), new StreamEvent(wife.NationalCode, registered));
    }

    /// <summary>
    /// The end of a woman's waiting period before marrying someone other than the husband she waits for: the end recorded
    /// on a divorce, annulment or waiver; 4 months 10 days after a husband's death; after a temporary marriage's term runs
    /// out or is waived with no end recorded, the configured number of days. Null when she is not waiting.
    /// </summary>
    public static DateOnly? WaitingUntil(Person wife, string prospectiveHusband, RegistryLaw law)
    {
        var ends = wife.PastMarriages
            .Where(p => p.EndedBy == Vocabulary.EndedByDeath || p.Bond.SpouseNationalCode != prospectiveHusband)
            .Select(p => p.EndedBy switch
            {
                Vocabulary.EndedByDeath => p.EndedOn.AddMonths(law.WidowWaitingMonths).AddDays(law.WidowWaitingDays),
                Vocabulary.EndedByTermWaiver when p.WaitingPeriodEnds is null => p.EndedOn.AddDays(law.TemporaryMarriageWaitingDays),
                _ => p.WaitingPeriodEnds,
            })
            .Concat(wife.Marriages
                .Where(m => m.TermEnds is not null && m.SpouseNationalCode != prospectiveHusband)
                .Select(m => (DateOnly?)m.TermEnds!.Value.AddDays(law.TemporaryMarriageWaitingDays)))
            .Where(d => d is not null)
            .ToList();
        return ends.Count == 0 ? null : ends.Max();
    }

    private static string? Kinship(Person husband, Person wife)
    {
        if (husband.NationalCode == wife.FatherNationalCode || wife.NationalCode == husband.MotherNationalCode) return "parent and child";
        if ((husband.MotherNationalCode is { } m && m == wife.MotherNationalCode) || (husband.FatherNationalCode is { } f && f == wife.FatherNationalCode))
            return "siblings";
        return null;
    }
}
