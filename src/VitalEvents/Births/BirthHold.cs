using JasperFx.Events;
using Marten.Events.Projections;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Storage;

namespace VitalEvents.Births;

/// <summary>A birth held as a suspected duplicate: where it stands, for supervisors' queue and look-ups.</summary>
public sealed class BirthHold
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Rejected = "rejected";
    public static readonly string[] Statuses = [Pending, Confirmed, Rejected];

    public Guid Id { get; set; }
    public string MotherNationalCode { get; set; } = string.Empty;
    public string? FatherNationalCode { get; set; }
    public string GivenName { get; set; } = string.Empty;
    public string FamilyName { get; set; } = string.Empty;
    public DateOnly BirthDate { get; set; }
    public string BirthDateSolarHijri => SolarHijri.Format(BirthDate);

    /// <summary>The office the birth was registered at: only its supervisors decide it.</summary>
    public string OfficeCode { get; set; } = string.Empty;
    public string SuspectedDuplicateOf { get; set; } = string.Empty;
    public string HeldBy { get; set; } = string.Empty;
    public DateTimeOffset HeldAt { get; set; }
    [OneOf(typeof(BirthHold), nameof(Statuses))] public string Status { get; set; } = Pending;
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
                    FamilyName = h.Birth.FamilyName, BirthDate = h.Birth.BirthDate, OfficeCode = h.Birth.OfficeCode,
                    SuspectedDuplicateOf = h.SuspectedDuplicateOf, HeldBy = h.HeldBy, HeldAt = StoredTime.Of(e.Timestamp),
                };
            case HeldBirthConfirmed c when snapshot is not null:
                (snapshot.Status, snapshot.DecidedBy, snapshot.NationalCode) = (BirthHold.Confirmed, c.ConfirmedBy, c.NationalCode);
                return snapshot;
            case HeldBirthRejected r when snapshot is not null:
                (snapshot.Status, snapshot.DecidedBy, snapshot.Reason) = (BirthHold.Rejected, r.RejectedBy, r.Reason);
                return snapshot;
            default:
                return snapshot;
        }
    }
}
