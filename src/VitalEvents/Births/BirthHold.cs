using JasperFx.Events;
using Marten.Events.Projections;
using VitalEvents.Domain;
using VitalEvents.Storage;

namespace VitalEvents.Births;

/// <summary>A birth held as a suspected duplicate: where it stands, for supervisors' queue and look-ups.</summary>
public sealed class BirthHold
{
    public Guid Id { get; set; }
    public string MotherNationalCode { get; set; } = string.Empty;
    public string? FatherNationalCode { get; set; }
    public string GivenName { get; set; } = string.Empty;
    public string FamilyName { get; set; } = string.Empty;
    public DateOnly BirthDate { get; set; }
    public string BirthDateSolarHijri => SolarHijri.Format(BirthDate);
    public string SuspectedDuplicateOf { get; set; } = string.Empty;
    public string HeldBy { get; set; } = string.Empty;
    public DateTimeOffset HeldAt { get; set; }
    public string Status { get; set; } = "pending";
    public string? DecidedBy { get; set; }
    public string? NationalCode { get; set; }
    public string? Reason { get; set; }
}

public sealed class BirthHoldProjection : MultiStreamProjection<BirthHold, Guid>
{
    public BirthHoldProjection()
    {
        Identity<BirthHeldForReview>(e => e.HoldId);
        Identity<HeldBirthConfirmed>(e => e.HoldId);
        Identity<HeldBirthRejected>(e => e.HoldId);
    }

    public override BirthHold? Evolve(BirthHold? snapshot, Guid id, IEvent e)
    {
        switch (e.Data)
        {
            case BirthHeldForReview h:
                return new BirthHold
                {
                    Id = id, MotherNationalCode = e.StreamKey!, FatherNationalCode = h.Birth.FatherNationalCode, GivenName = h.Birth.GivenName,
                    FamilyName = h.Birth.FamilyName, BirthDate = h.Birth.BirthDate, SuspectedDuplicateOf = h.SuspectedDuplicateOf,
                    HeldBy = h.HeldBy, HeldAt = StoredTime.Of(e.Timestamp),
                };
            case HeldBirthConfirmed c when snapshot is not null:
                (snapshot.Status, snapshot.DecidedBy, snapshot.NationalCode) = ("confirmed", c.ConfirmedBy, c.NationalCode);
                return snapshot;
            case HeldBirthRejected r when snapshot is not null:
                (snapshot.Status, snapshot.DecidedBy, snapshot.Reason) = ("rejected", r.RejectedBy, r.Reason);
                return snapshot;
            default:
                return snapshot;
        }
    }
}
