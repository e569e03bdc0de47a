using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using VitalEvents.Domain;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Marriages;

/// <summary>Where a marriage is recorded: finds the spouses' streams from a marriage id.</summary>
public sealed class MarriageRecord
{
    public Guid Id { get; set; }
    public string HusbandNationalCode { get; set; } = string.Empty;
    public string WifeNationalCode { get; set; } = string.Empty;
    public DateOnly Date { get; set; }
    public string DateSolarHijri => SolarHijri.Format(Date);
    public string Kind { get; set; } = string.Empty;
    public DateOnly? EndedOn { get; set; }
    public string? EndedOnSolarHijri => SolarHijri.Format(EndedOn);
    public string? EndedBy { get; set; }

    /// <summary>Finds a marriage and fetches both spouses' streams for writing.</summary>
    public static async Task<(MarriageRecord Marriage, PersonStreams Spouses)> FetchAsync(IDocumentSession session, RequestContext context,
        Guid marriageId, CancellationToken ct)
    {
        var marriage = await session.LoadAsync<MarriageRecord>(marriageId, ct)
            ?? throw new RuleViolationException(new RuleViolation("marriage.notFound", $"No marriage {marriageId} is registered.", ViolationKind.NotFound));
        return (marriage, await PersonStreams.FetchAsync(session, context, ct, marriage.HusbandNationalCode, marriage.WifeNationalCode));
    }

    /// <summary>Decides a change to a marriage on both spouses' current states and appends it to both streams.</summary>
    public static async Task<MarriageChangedResponse> ChangeAsync(IDocumentSession session, RequestContext context, Guid marriageId,
        string officeCode, Func<Person, Person, Decision> decide, string status, CancellationToken ct)
    {
        context.EnsureOffice(officeCode);
        var (marriage, spouses) = await FetchAsync(session, context, marriageId, ct);
        spouses.Append(session, decide(spouses[marriage.HusbandNationalCode]!, spouses[marriage.WifeNationalCode]!));
        return new MarriageChangedResponse(marriageId, marriage.HusbandNationalCode, marriage.WifeNationalCode, status);
    }
}

public sealed class MarriageRecordProjection : MultiStreamProjection<MarriageRecord, Guid>
{
    public MarriageRecordProjection()
    {
        Identity<MarriageRegistered>(e => e.MarriageId);
        Identity<DivorceRegistered>(e => e.MarriageId);
        Identity<MarriageEndedByDeath>(e => e.MarriageId);
        Identity<MarriageTermWaived>(e => e.MarriageId);
        Identity<MarriageAnnulled>(e => e.MarriageId);
        Identity<MarriageResumed>(e => e.MarriageId);
    }

    public override MarriageRecord? Evolve(MarriageRecord? snapshot, Guid id, IEvent e) => e.Data switch
    {
        MarriageRegistered m => new MarriageRecord
        {
            Id = id, HusbandNationalCode = m.HusbandNationalCode, WifeNationalCode = m.WifeNationalCode, Date = m.Date, Kind = m.Kind,
        },
        DivorceRegistered d when snapshot is not null => Ended(snapshot, d.Date, $"divorce ({d.Kind})"),
        MarriageEndedByDeath d when snapshot is not null => Ended(snapshot, d.Date, "death"),
        MarriageTermWaived w when snapshot is not null => Ended(snapshot, w.Date, "term waived"),
        MarriageAnnulled a when snapshot is not null => Ended(snapshot, a.Date, "annulment"),
        MarriageResumed when snapshot is not null => Ended(snapshot, null, null),
        _ => snapshot,
    };

    private static MarriageRecord Ended(MarriageRecord record, DateOnly? date, string? by)
    {
        (record.EndedOn, record.EndedBy) = (date, by);
        return record;
    }
}
