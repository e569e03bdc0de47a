using JasperFx.Events;
using Marten.Events.Projections;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Storage;

namespace VitalEvents.Citizens;

/// <summary>
/// A citizen's request for a correction of their own record, as it moves along: filed; under review once a registrar took it up as a
/// correction request; then approved or rejected by a supervisor, or declined by the registrar.
/// </summary>
public sealed class CitizenRequest
{
    public const string Filed = "filed";
    public const string UnderReview = "underReview";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Declined = "declined";
    public static readonly string[] Statuses = [Filed, UnderReview, Approved, Rejected, Declined];
    /// <summary>The statuses of a request still open (the citizen's pending requests).</summary>
    public static readonly string[] OpenStatuses = [Filed, UnderReview];

    public Guid Id { get; set; }
    public string NationalCode { get; set; } = string.Empty;
    [OneOf(nameof(Vocabulary.CorrectableFields))] public string Field { get; set; } = string.Empty;
    public string? CurrentValue { get; set; }
    public string NewValue { get; set; } = string.Empty;
    public string Reason { get; set; } = string.Empty;
    public List<string> Evidence { get; set; } = [];
    /// <summary>The office whose registrars review it: the one that registered the person.</summary>
    public string OfficeCode { get; set; } = string.Empty;
    public DateTimeOffset FiledAt { get; set; }
    [OneOf(typeof(CitizenRequest), nameof(Statuses))] public string Status { get; set; } = Filed;
    /// <summary>The correction request a registrar made of it, once taken up.</summary>
    public Guid? CorrectionId { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>Why it was declined or the correction rejected.</summary>
    public string? Outcome { get; set; }
    public bool Open => OpenStatuses.Contains(Status);
}

public sealed class CitizenRequestProjection : MultiStreamProjection<CitizenRequest, Guid>
{
    public CitizenRequestProjection()
    {
        Identity<CitizenRequestFiled>(e => e.RequestId);
        Identity<CitizenRequestDeclined>(e => e.RequestId);
        Identities<CorrectionRequested>(e => e.CitizenRequestId is { } id ? [id] : []);
        Identities<CorrectionApproved>(e => e.CitizenRequestId is { } id ? [id] : []);
        Identities<CorrectionRejected>(e => e.CitizenRequestId is { } id ? [id] : []);
    }

    public override CitizenRequest? Evolve(CitizenRequest? snapshot, Guid id, IEvent e)
    {
        var at = StoredTime.Of(e.Timestamp);
        switch (e.Data)
        {
            case CitizenRequestFiled f:
                return new CitizenRequest
                {
                    Id = id, NationalCode = e.StreamKey!, Field = f.Field, CurrentValue = f.CurrentValue, NewValue = f.NewValue, Reason = f.Reason,
                    Evidence = [.. f.Evidence], OfficeCode = f.OfficeCode, FiledAt = at,
                };
            case CitizenRequestDeclined d when snapshot is not null:
                (snapshot.Status, snapshot.ReviewedBy, snapshot.ReviewedAt, snapshot.Outcome) = (CitizenRequest.Declined, d.DeclinedBy, at, d.Reason);
                return snapshot;
            case CorrectionRequested r when snapshot is not null:
                (snapshot.Status, snapshot.CorrectionId, snapshot.ReviewedBy, snapshot.ReviewedAt) = (CitizenRequest.UnderReview, r.CorrectionId, r.RequestedBy, at);
                return snapshot;
            case CorrectionApproved a when snapshot is not null:
                (snapshot.Status, snapshot.DecidedBy, snapshot.DecidedAt) = (CitizenRequest.Approved, a.ApprovedBy, at);
                return snapshot;
            case CorrectionRejected r when snapshot is not null:
                (snapshot.Status, snapshot.DecidedBy, snapshot.DecidedAt, snapshot.Outcome) = (CitizenRequest.Rejected, r.RejectedBy, at, r.Reason);
                return snapshot;
            default:
                return snapshot;
        }
    }
}

/// <summary>A request as its citizen sees it: where it stands and why, without the officials' user ids.</summary>
public sealed record MyRequest(
    Guid RequestId, [property: OneOf(nameof(Vocabulary.CorrectableFields))] string Field, string? CurrentValue, string NewValue, string Reason,
    IReadOnlyList<string> Evidence, string OfficeCode, DateTimeOffset FiledAt,
    [property: OneOf(typeof(CitizenRequest), nameof(CitizenRequest.Statuses))] string Status, DateTimeOffset? ReviewedAt, DateTimeOffset? DecidedAt,
    string? Outcome)
{
    public static MyRequest Of(CitizenRequest r) =>
        new(r.Id, r.Field, r.CurrentValue, r.NewValue, r.Reason, r.Evidence, r.OfficeCode, r.FiledAt, r.Status, r.ReviewedAt, r.DecidedAt, r.Outcome);
}
