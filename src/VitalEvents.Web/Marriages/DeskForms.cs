using Mediator;
using Microsoft.Extensions.Localization;
using VitalEvents.Domain;
using VitalEvents.Identity;
using VitalEvents.Marriages;
using VitalEvents.Pipeline;
using VitalEvents.Web.Shared;

namespace VitalEvents.Web.Marriages;

/// <summary>What the registrar desk's forms share: the parties a refused form shows again, the marriage a change is about.</summary>
public static class DeskForms
{
    public const string IdentifyParty = "registration: identify a party";

    /// <summary>The registered person a code names, for the lookup line beside a field after a refused submission; null when none.</summary>
    public static async Task<PersonSnapshot?> PartyAsync(IMediator mediator, RequestContext who, string? text)
    {
        if (NationalCode.Validate(text, out var code) is not null) return null;
        who.Purpose ??= IdentifyParty;
        return await mediator.Send(new GetPersonQuery(code));
    }

    /// <summary>A marriage and both spouses as the registry has them now; null when no marriage has that id.</summary>
    public static async Task<MarriageView?> MarriageAsync(IMediator mediator, RequestContext who, Guid id, string purpose)
    {
        if (await mediator.Send(new GetMarriageQuery(id)) is not { } marriage) return null;
        who.Purpose ??= purpose;
        var husband = await mediator.Send(new GetPersonQuery(marriage.HusbandNationalCode));
        var wife = await mediator.Send(new GetPersonQuery(marriage.WifeNationalCode));
        return husband is null || wife is null ? null : new MarriageView(marriage, husband, wife);
    }

    /// <summary>Where a change to a marriage returns: the spouse whose marriages were looked up, else the wife.</summary>
    public static string SpouseToOpen(MarriageView view, string? from) =>
        from == view.Record.HusbandNationalCode ? view.Record.HusbandNationalCode : view.Record.WifeNationalCode;
}

public sealed record MarriageView(MarriageRecord Record, PersonSnapshot Husband, PersonSnapshot Wife)
{
    public bool InForce => Record.EndedOn is null;
}
