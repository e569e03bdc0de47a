using JasperFx.Events;
using Marten.Events.Projections;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Storage;

namespace VitalEvents.BirthNotifications;

/// <summary>A birth a facility notified, and where it stands: for the registrars' queue, the parents and the facility.</summary>
public sealed class BirthNotification
{
    public const string Pending = "pending";
    public const string Registered = "registered";
    public const string HeldForReview = "heldForReview";
    public static readonly string[] Statuses = [Pending, Registered, HeldForReview];

    public Guid Id { get; set; }
    [OneOf(typeof(BirthNotification), nameof(Statuses))] public string Status { get; set; } = Pending;
    public string FacilityId { get; set; } = string.Empty;

    /// <summary>The office (county) the birth is registered under: the facility's.</summary>
    public string OfficeCode { get; set; } = string.Empty;
    public PlaceRecord BirthPlace { get; set; } = new("", "", "");
    public string CertificateNumber { get; set; } = string.Empty;
    public CertifierRecord Certifier { get; set; } = new("", "", "");
    public string MotherNationalCode { get; set; } = string.Empty;
    public string? FatherNationalCode { get; set; }
    [OneOf(nameof(Vocabulary.Sexes))] public string Sex { get; set; } = string.Empty;
    public DateOnly BirthDate { get; set; }
    public string BirthDateSolarHijri => SolarHijri.Format(BirthDate);
    public string? BirthTime { get; set; }
    public int Plurality { get; set; } = 1;
    public int? MultipleBirthOrder { get; set; }
    public int? BirthWeightGrams { get; set; }
    public int? GestationWeeks { get; set; }

    /// <summary>How the facility sent it: <c>json</c> or <c>fhir</c>.</summary>
    public string Format { get; set; } = string.Empty;
    public string NotifiedBy { get; set; } = string.Empty;
    public DateTimeOffset NotifiedAt { get; set; }
    public string? ChildNationalCode { get; set; }
    public Guid? HoldId { get; set; }
    public string? CompletedBy { get; set; }
    public string? Channel { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

public sealed class BirthNotificationProjection : MultiStreamProjection<BirthNotification, Guid>
{
    public BirthNotificationProjection()
    {
        Identity<BirthNotified>(e => e.NotificationId);
        Identity<BirthNotificationCompleted>(e => e.NotificationId);
    }

    public override BirthNotification? Evolve(BirthNotification? snapshot, Guid id, IEvent e)
    {
        switch (e.Data)
        {
            case BirthNotified n:
                return new BirthNotification
                {
                    Id = id, FacilityId = n.FacilityId, OfficeCode = n.OfficeCode, BirthPlace = n.BirthPlace, CertificateNumber = n.CertificateNumber,
                    Certifier = n.Certifier, MotherNationalCode = n.MotherNationalCode, FatherNationalCode = n.FatherNationalCode, Sex = n.Sex,
                    BirthDate = n.BirthDate, BirthTime = n.BirthTime, Plurality = n.Plurality, MultipleBirthOrder = n.MultipleBirthOrder,
                    BirthWeightGrams = n.BirthWeightGrams, GestationWeeks = n.GestationWeeks, Format = n.Format, NotifiedBy = n.NotifiedBy,
                    NotifiedAt = StoredTime.Of(e.Timestamp),
                };
            case BirthNotificationCompleted c when snapshot is not null:
                snapshot.Status = c.ChildNationalCode is null ? BirthNotification.HeldForReview : BirthNotification.Registered;
                (snapshot.ChildNationalCode, snapshot.HoldId, snapshot.CompletedBy, snapshot.Channel) = (c.ChildNationalCode, c.HoldId, c.CompletedBy, c.Channel);
                snapshot.CompletedAt = StoredTime.Of(e.Timestamp);
                return snapshot;
            default:
                return snapshot;
        }
    }
}
