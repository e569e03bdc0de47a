using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Marriages;

/// <summary>Where a marriage is recorded: finds the spouses' streams from a marriage id, and how and when it ended.</summary>
public sealed class MarriageRecord
{
    public Guid Id { get; set; }
    public string HusbandNationalCode { get; set; } = string.Empty;
    public string WifeNationalCode { get; set; } = string.Empty;
    public DateOnly Date { get; set; }
    public string DateSolarHijri => SolarHijri.Format(Date);
    [OneOf(nameof(Vocabulary.MarriageKinds))] public string Kind { get; set; } = string.Empty;
    public DateOnly? TermEnds { get; set; }
    public string? TermEndsSolarHijri => SolarHijri.Format(TermEnds);
    public string OfficeCode { get; set; } = string.Empty;
    public DateOnly? EndedOn { get; set; }
    public string? EndedOnSolarHijri => SolarHijri.Format(EndedOn);
    [OneOf(nameof(Vocabulary.MarriageEndings))] public string? EndedBy { get; set; }

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

/// <summary>What a change to a marriage did: it ended (by divorce, waiver or annulment) or was restored by a return.</summary>
public sealed record MarriageChangedResponse(Guid MarriageId, string HusbandNationalCode, string WifeNationalCode,
    [property: OneOf(typeof(MarriageChangedResponse), nameof(MarriageChangedResponse.Statuses))] string Status)
{
    public const string Divorced = "divorced";
    public const string TermWaived = "termWaived";
    public const string Annulled = "annulled";
    public const string Resumed = "resumed";
    public static readonly string[] Statuses = [Divorced, TermWaived, Annulled, Resumed];
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
            TermEnds = m.TermEnds, OfficeCode = m.OfficeCode,
        },
        DivorceRegistered d when snapshot is not null => Ended(snapshot, d.Date, Vocabulary.EndedByDivorce(d.Kind)),
        MarriageEndedByDeath d when snapshot is not null => Ended(snapshot, d.Date, Vocabulary.EndedByDeath),
        MarriageTermWaived w when snapshot is not null => Ended(snapshot, w.Date, Vocabulary.EndedByTermWaiver),
        MarriageAnnulled a when snapshot is not null => Ended(snapshot, a.Date, Vocabulary.EndedByAnnulment),
        MarriageResumed when snapshot is not null => Ended(snapshot, null, null),
        _ => snapshot,
    };

    private static MarriageRecord Ended(MarriageRecord record, DateOnly? date, string? by)
    {
        (record.EndedOn, record.EndedBy) = (date, by);
        return record;
    }
}
