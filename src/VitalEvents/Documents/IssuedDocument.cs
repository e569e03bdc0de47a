using JasperFx.Events;
using Marten.Events.Projections;
using VitalEvents.Domain;
using VitalEvents.Domain.Documents;
using VitalEvents.Http;
using VitalEvents.Storage;

namespace VitalEvents.Documents;

/// <summary>A document issued from a person's record, and where it stands: projected inline from the person's stream.</summary>
public sealed class IssuedDocument
{
    public Guid Id { get; set; }
    public string NationalCode { get; set; } = string.Empty;
    [OneOf(typeof(DocumentKinds), nameof(DocumentKinds.All))] public string Kind { get; set; } = string.Empty;
    public Guid? MarriageId { get; set; }
    [OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.LanguageCodes))] public string Language { get; set; } = "fa";
    public string SerialNumber { get; set; } = string.Empty;
    public long ShowsVersion { get; set; }
    public List<DocumentField> Fields { get; set; } = [];
    public string ContentSha256 { get; set; } = string.Empty;
    public DateTimeOffset IssuedAt { get; set; }
    public string IssuedBy { get; set; } = string.Empty;
    public string Channel { get; set; } = string.Empty;
    public string KeyId { get; set; } = string.Empty;
    public string Seal { get; set; } = string.Empty;
    [OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.All))] public string Status { get; set; } = DocumentStatuses.Valid;
    [OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.Causes))] public string? SupersededFor { get; set; }
    public Guid? SupersededBy { get; set; }
    public Guid? CorrectionId { get; set; }
    [OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.RevocationCategories))] public string? RevocationCategory { get; set; }
    public string? RevocationReason { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
}

public sealed class IssuedDocumentProjection : MultiStreamProjection<IssuedDocument, Guid>
{
    public IssuedDocumentProjection()
    {
        Identity<DocumentIssued>(e => e.DocumentId);
        Identity<DocumentSuperseded>(e => e.DocumentId);
        Identity<DocumentRevoked>(e => e.DocumentId);
    }

    public static IssuedDocument From(DocumentIssued d, string nationalCode) => new()
    {
        Id = d.DocumentId, NationalCode = nationalCode, Kind = d.Kind, MarriageId = d.MarriageId, Language = d.Language, SerialNumber = d.SerialNumber,
        ShowsVersion = d.ShowsVersion, Fields = [.. d.Fields], ContentSha256 = d.ContentSha256, IssuedAt = d.IssuedAt, IssuedBy = d.IssuedBy,
        Channel = d.Channel, KeyId = d.KeyId, Seal = d.Seal,
    };

    public override IssuedDocument? Evolve(IssuedDocument? snapshot, Guid id, IEvent e)
    {
        switch (e.Data)
        {
            case DocumentIssued d:
                return From(d, e.StreamKey!);
            case DocumentSuperseded s when snapshot is not null:
                snapshot.Status = DocumentStatuses.Superseded;
                (snapshot.SupersededFor, snapshot.SupersededBy, snapshot.CorrectionId) = (s.Cause, s.SupersededBy, s.CorrectionId);
                snapshot.EndedAt = StoredTime.Of(e.Timestamp);
                return snapshot;
            case DocumentRevoked r when snapshot is not null:
                snapshot.Status = DocumentStatuses.Revoked;
                (snapshot.RevocationCategory, snapshot.RevocationReason, snapshot.RevokedBy) = (r.Category, r.Reason, r.RevokedBy);
                snapshot.EndedAt = StoredTime.Of(e.Timestamp);
                return snapshot;
            default:
                return snapshot;
        }
    }
}
