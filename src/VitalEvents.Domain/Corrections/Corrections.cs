namespace VitalEvents.Domain.Corrections;

/// <summary>A registrar asks to correct one field of a person's record, possibly taking up a citizen's request for it.</summary>
/// <remarks>The office that takes the request owns the correction: only its supervisors decide it (docs/domain.md, "Offices and jurisdiction").</remarks>
public sealed record RequestCorrection(
    string NationalCode, Guid CorrectionId, string Field, string NewValue, string Authority, string DecisionReference, string Reason,
    string RequestedBy, string OfficeCode, Guid? CitizenRequestId = null);

/// <summary>A supervisor of the owning office approves a pending correction.</summary>
public sealed record ApproveCorrection(string NationalCode, Guid CorrectionId, string ApprovedBy, string OfficeCode);

/// <summary>A supervisor of the owning office rejects a pending correction.</summary>
public sealed record RejectCorrection(string NationalCode, Guid CorrectionId, string RejectedBy, string Reason, string OfficeCode);

/// <summary>Corrections are maker-checker: requested by one person, approved or rejected by another.</summary>
public static class CorrectionDecision
{
    public static Decision Decide(RequestCorrection command, Person? person, RegistryLaw? law = null)
    {
        law ??= RegistryLaw.Default;
        if (person is null) return Rules.NotFound(command.NationalCode);
        if (!Vocabulary.AuthoritiesFor[command.Field].Contains(command.Authority))
            return new RuleViolation("correction.authorityNotAllowed",
                $"A correction of {command.Field} is decided by: {string.Join(", ", Vocabulary.AuthoritiesFor[command.Field])}.", ViolationKind.Invalid,
                "authority");
        if (command.Field == Vocabulary.BirthDate && AgeChange(person, command, law) is { } ageRule) return ageRule;
        var current = person.ValueOf(command.Field);
        if (current == command.NewValue)
            return new RuleViolation("correction.noChange", $"{command.Field} is already '{current}'.", Field: "newValue");
        if (person.PendingCorrections.Any(c => c.Field == command.Field))
            return new RuleViolation("correction.alreadyPending", $"A correction of {command.Field} is already waiting for approval.", Field: "field");
        if (command.CitizenRequestId is { } requestId && CitizenRequestDecision.TakenUp(person, requestId, command) is { } refused) return refused;
        return Decision.Accept(new StreamEvent(person.NationalCode, new CorrectionRequested(command.CorrectionId, command.Field, current,
            command.NewValue, command.Authority, command.DecisionReference, command.Reason, command.RequestedBy, command.OfficeCode,
            command.CitizenRequestId)));
    }

    public static Decision Decide(ApproveCorrection command, Person person)
    {
        if (Pending(person, command.CorrectionId, command.ApprovedBy, command.OfficeCode) is { } refused) return refused;
        var pending = person.PendingCorrections.Single(c => c.CorrectionId == command.CorrectionId);
        return Decision.Accept(new StreamEvent(person.NationalCode, new CorrectionApproved(pending.CorrectionId, pending.Field,
            person.ValueOf(pending.Field), pending.NewValue, pending.Authority, pending.DecisionReference, pending.Reason, pending.RequestedBy,
            command.ApprovedBy, pending.CitizenRequestId)));
    }

    public static Decision Decide(RejectCorrection command, Person person)
    {
        if (Pending(person, command.CorrectionId, command.RejectedBy, command.OfficeCode) is { } refused) return refused;
        var pending = person.PendingCorrections.Single(c => c.CorrectionId == command.CorrectionId);
        return Decision.Accept(new StreamEvent(person.NationalCode,
            new CorrectionRejected(pending.CorrectionId, pending.Field, pending.RequestedBy, command.RejectedBy, command.Reason, pending.CitizenRequestId)));
    }

    /// <summary>More than the limit (five years): the commission, once in a lifetime; up to it: a court.</summary>
    private static RuleViolation? AgeChange(Person person, RequestCorrection command, RegistryLaw law)
    {
        var newDate = DateOnly.ParseExact(command.NewValue, "yyyy-MM-dd");
        var large = newDate < person.BirthDate.AddYears(-law.CommissionAgeChangeYears) || newDate > person.BirthDate.AddYears(law.CommissionAgeChangeYears);
        if (large && command.Authority != Vocabulary.Commission)
            return new RuleViolation("correction.commissionRequired",
                $"An age change of more than {law.CommissionAgeChangeYears} years is decided only by the commission.", ViolationKind.Invalid, "authority");
        if (!large && command.Authority != Vocabulary.Court)
            return new RuleViolation("correction.courtRequired",
                $"An age change of {law.CommissionAgeChangeYears} years or less is decided only by a court.", ViolationKind.Invalid, "authority");
        if (large && person.AgeChangedByCommission)
            return new RuleViolation("correction.ageChangeAlreadyUsed", "The commission has already changed this person's age; it does so once in a lifetime.");
        return null;
    }

    /// <summary>A correction requested before corrections carried their office belongs to the person's registering office.</summary>
    private static RuleViolation? Pending(Person person, Guid correctionId, string checker, string checkerOffice)
    {
        var pending = person.PendingCorrections.FirstOrDefault(c => c.CorrectionId == correctionId);
        if (pending is null)
            return new RuleViolation("correction.notPending", $"Correction {correctionId} is not waiting for a decision.");
        if ((pending.OfficeCode ?? person.RegisteredAtOffice) is { } owner && owner != checkerOffice)
            return Rules.OutsideJurisdiction(checkerOffice, owner);
        if (pending.RequestedBy == checker)
            return new RuleViolation("correction.sameUser",
                "A correction is approved or rejected by a different person from the one who requested it.", ViolationKind.Forbidden);
        return null;
    }
}
