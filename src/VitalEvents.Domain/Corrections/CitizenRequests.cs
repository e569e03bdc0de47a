namespace VitalEvents.Domain.Corrections;

/// <summary>A citizen asks, online, for a correction of one field of their own record.</summary>
public sealed record FileCitizenRequest(string NationalCode, Guid RequestId, string Field, string NewValue, string Reason, IReadOnlyList<string> Evidence);

/// <summary>A registrar of the reviewing office declines a citizen's request without taking it up.</summary>
public sealed record DeclineCitizenRequest(string NationalCode, Guid RequestId, string DeclinedBy, string Reason, string OfficeCode);

/// <summary>
/// Citizens' requests: filed by the citizen about their own record, reviewed by a registrar of the office that registered them, who
/// takes one up as a correction request (then a supervisor decides, as for any correction) or declines it.
/// </summary>
public static class CitizenRequestDecision
{
    /// <summary>At most this many of a citizen's requests are open at once (one per correctable field at most).</summary>
    public const int MaxOpen = 4;

    public static Decision Decide(FileCitizenRequest command, Person? person)
    {
        if (person is null) return Rules.NotFound(command.NationalCode);
        if (!person.IsAlive) return Rules.Deceased(person);
        var current = person.ValueOf(command.Field);
        if (current == command.NewValue)
            return new RuleViolation("correction.noChange", $"{command.Field} is already '{current}'.", Field: "newValue");
        if (person.CitizenRequests.Any(r => r.Field == command.Field) || person.PendingCorrections.Any(c => c.Field == command.Field))
            return new RuleViolation("citizenRequest.alreadyOpen", $"A request to correct {command.Field} is already under review.", Field: "field");
        if (person.CitizenRequests.Count >= MaxOpen)
            return new RuleViolation("citizenRequest.tooMany", $"At most {MaxOpen} requests are under review at once.");
        // The office that registered the person reviews the request; a record from before offices were kept goes to the county of its code.
        var office = person.RegisteredAtOffice ?? person.NationalCode[..3];
        return Decision.Accept(new StreamEvent(person.NationalCode,
            new CitizenRequestFiled(command.RequestId, command.Field, current, command.NewValue, command.Reason, command.Evidence, office)));
    }

    public static Decision Decide(DeclineCitizenRequest command, Person person)
    {
        if (Open(person, command.RequestId, command.OfficeCode) is { } refused) return refused;
        var open = person.CitizenRequests.Single(r => r.RequestId == command.RequestId);
        return Decision.Accept(new StreamEvent(person.NationalCode, new CitizenRequestDeclined(open.RequestId, open.Field, command.DeclinedBy, command.Reason)));
    }

    /// <summary>Why a registrar's correction cannot take up the citizen's request it names, if it cannot.</summary>
    public static RuleViolation? TakenUp(Person person, Guid requestId, RequestCorrection correction)
    {
        if (Open(person, requestId, correction.OfficeCode) is { } refused) return refused;
        var open = person.CitizenRequests.Single(r => r.RequestId == requestId);
        return open.Field == correction.Field
            ? null
            : new RuleViolation("citizenRequest.otherField", $"The citizen's request is about {open.Field}, not {correction.Field}.", Field: "field");
    }

    private static RuleViolation? Open(Person person, Guid requestId, string office)
    {
        var open = person.CitizenRequests.FirstOrDefault(r => r.RequestId == requestId);
        if (open is null || open.CorrectionId is not null)
            return new RuleViolation("citizenRequest.notOpen", $"Request {requestId} is not waiting for a registrar's review.", Field: "citizenRequestId");
        return open.OfficeCode == office ? null : Rules.OutsideJurisdiction(office, open.OfficeCode);
    }
}
