using JasperFx.Events;
using Marten.Events.Projections;
using VitalEvents.Domain;

namespace VitalEvents.Marriages;

/// <summary>Where a marriage is recorded: finds the spouses' streams from a marriage id.</summary>
public sealed class MarriageRecord
{
    public Guid Id { get; set; }
    public string HusbandNationalCode { get; set; } = string.Empty;
    public string WifeNationalCode { get; set; } = string.Empty;
    public DateOnly Date { get; set; }
    public string Kind { get; set; } = string.Empty;
    public DateOnly? EndedOn { get; set; }
}

public sealed class MarriageRecordProjection : MultiStreamProjection<MarriageRecord, Guid>
{
    public MarriageRecordProjection()
    {
        Identity<MarriageRegistered>(e => e.MarriageId);
        Identity<DivorceRegistered>(e => e.MarriageId);
        Identity<MarriageEndedByDeath>(e => e.MarriageId);
    }

    public override MarriageRecord? Evolve(MarriageRecord? snapshot, Guid id, IEvent e) => e.Data switch
    {
        MarriageRegistered m => new MarriageRecord
        {
            Id = id, HusbandNationalCode = m.HusbandNationalCode, WifeNationalCode = m.WifeNationalCode, Date = m.Date, Kind = m.Kind,
        },
        DivorceRegistered d when snapshot is not null => Ended(snapshot, d.Date),
        MarriageEndedByDeath d when snapshot is not null => Ended(snapshot, d.Date),
        _ => snapshot,
    };

    private static MarriageRecord Ended(MarriageRecord record, DateOnly date)
    {
        record.EndedOn = date;
        return record;
    }
}
