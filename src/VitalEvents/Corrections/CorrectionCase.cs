using JasperFx.Events;
using Marten.Events.Projections;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Storage;

namespace VitalEvents.Corrections;

/// <summary>A correction's case file: whose record it concerns, which office owns it and where it stands, for supervisors' lists and look-ups.</summary>
public sealed class CorrectionCase
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public static readonly string[] Statuses = [Pending, Approved, Rejected];

    public Guid Id { get; set; }
    public string NationalCode { get; set; } = string.Empty;
    [OneOf(nameof(Vocabulary.CorrectableFields))] public string Field { get; set; } = string.Empty;
    public string? OldValue { get; set; }
    public string NewValue { get; set; } = string.Empty;
    [OneOf(nameof(Vocabulary.Authorities))] public string Authority { get; set; } = string.Empty;
    public string DecisionReference { get; set; } = string.Empty;
    public string Reason { get; set; } = string.Empty;
    public string RequestedBy { get; set; } = string.Empty;
    /// <summary>The office that took the request and decides it; null for corrections requested before offices were recorded.</summary>
    public string? OfficeCode { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    [OneOf(typeof(CorrectionCase), nameof(Statuses))] public string Status { get; set; } = Pending;
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

public sealed class CorrectionCaseProjection : MultiStreamProjection<CorrectionCase, Guid>
{
    public CorrectionCaseProjection()
    {
        Identity<CorrectionRequested>(e => e.CorrectionId);
        Identity<CorrectionApproved>(e => e.CorrectionId);
        Identity<CorrectionRejected>(e => e.CorrectionId);
    }

    public override CorrectionCase? Evolve(CorrectionCase? snapshot, Guid id, IEvent e)
    {
        switch (e.Data)
        {
            case CorrectionRequested r:
                return new CorrectionCase
                {
                    Id = id, NationalCode = e.StreamKey!, Field = r.Field, OldValue = r.OldValue, NewValue = r.NewValue, Authority = r.Authority,
                    DecisionReference = r.DecisionReference, Reason = r.Reason, RequestedBy = r.RequestedBy, OfficeCode = r.OfficeCode,
                    RequestedAt = StoredTime.Of(e.Timestamp),
                };
            case CorrectionApproved a when snapshot is not null:
                (snapshot.Status, snapshot.DecidedBy, snapshot.DecidedAt, snapshot.OldValue) = (CorrectionCase.Approved, a.ApprovedBy, StoredTime.Of(e.Timestamp), a.OldValue);
                return snapshot;
            case CorrectionRejected r when snapshot is not null:
                (snapshot.Status, snapshot.DecidedBy, snapshot.DecidedAt) = (CorrectionCase.Rejected, r.RejectedBy, StoredTime.Of(e.Timestamp));
                return snapshot;
            default:
                return snapshot;
        }
    }
}
