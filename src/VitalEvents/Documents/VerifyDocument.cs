using System.Text.Json.Serialization;
using Marten;
using Mediator;
using VitalEvents.Domain;
using VitalEvents.Domain.Documents;
using VitalEvents.Pipeline;

namespace VitalEvents.Documents;

/// <summary>Where a document stands, and nothing personal: for anyone who holds its id.</summary>
public sealed record DocumentStatusView(
    Guid DocumentId, [property: OneOf(typeof(DocumentKinds), nameof(DocumentKinds.All))] string Kind, string SerialNumber, DateTimeOffset IssuedAt,
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.All))] string Status,
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.Causes))] string? SupersededFor, Guid? SupersededBy,
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.RevocationCategories))] string? RevocationCategory, DateTimeOffset? EndedAt)
{
    public static DocumentStatusView Of(IssuedDocument d) =>
        new(d.Id, d.Kind, d.SerialNumber, d.IssuedAt, d.Status, d.SupersededFor, d.SupersededBy, d.RevocationCategory, d.EndedAt);
}

/// <summary>
/// A QR payload checked: whether its signature holds under a key of the registry's list that could have signed it, the claims
/// it carries (only when it does), and where the document stands in the registry (<c>Status</c> null when the registry has no
/// record of it), and whether the record's content is the one signed.
/// </summary>
public sealed record DocumentVerification(
    bool SignatureValid, string? Problem, string? KeyId, Guid? DocumentId, [property: OneOf(typeof(DocumentKinds), nameof(DocumentKinds.All))] string? Kind,
    string? Issuer, DateTimeOffset? IssuedAt, string? SerialNumber, IReadOnlyList<DocumentFieldView>? Fields, DocumentStatusView? Status, bool? MatchesRecord);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record VerifyDocumentRequest(string? Payload)
{
    /// <summary>Far above what a QR code holds (about 4,300 characters at most).</summary>
    public const int MaxLength = 8000;

    /// <summary>
    /// The payload exactly as given, less the line breaks and tabs around it: Base45 has the space in its alphabet (a payload
    /// may hold two together), so it is not normalised as text is (which folds spaces).
    /// </summary>
    public VerifyDocumentQuery Parse(Validator v)
    {
        var payload = Payload?.Trim('\r', '\n', '\t') ?? "";
        if (payload.Length == 0) v.Fail("payload", "field.required", "payload is required: the text of the document's QR code.");
        else if (payload.Length > MaxLength) v.Fail("payload", "field.tooLong", $"payload is longer than {MaxLength} characters.");
        else if (TextRules.FirstProblem(payload) is { } problem) v.Fail("payload", TextRules.InvalidTextCode, $"payload contains {problem}.");
        return new VerifyDocumentQuery(payload);
    }
}

/// <summary>Checks a document's QR payload offline, against a key list: the registry's own check and the CLI's are this one.</summary>
public static class DocumentVerifier
{
    public static (SealReading Reading, string? Problem) Check(string payload, IReadOnlyList<DocumentPublicKey> keys, DateTimeOffset now)
    {
        var reading = DocumentSeal.Read(payload, id => keys.FirstOrDefault(k => k.KeyId == id)?.Key());
        if (!reading.SignatureValid || reading.Claims is null) return (reading, reading.Problem);
        var key = keys.First(k => k.KeyId == reading.KeyId);
        return key.ProblemWith(reading.Claims.IssuedAt, now) is { } problem ? (reading with { SignatureValid = false }, problem) : (reading, null);
    }

    /// <summary>
    /// The payload in a file: its text, or in a document's PDF the payload the PDF carries as its subject (an ASCII string:
    /// Base45 has no character a PDF string must escape).
    /// </summary>
    public static string? PayloadIn(byte[] file)
    {
        var text = System.Text.Encoding.Latin1.GetString(file);
        var found = System.Text.RegularExpressions.Regex.Match(text, @"VE1:[0-9A-Z $%*+\-./:]+");
        return found.Success ? found.Value : null;
    }

    /// <summary>The printed fields the claims carry (the serial number is carried apart).</summary>
    public static IReadOnlyList<DocumentField> Fields(SealedClaims claims) =>
        [.. claims.Fields.Where(f => f.Key != "serialNumber").Select(f => new DocumentField(f.Key, f.Value))];
}

public sealed record VerifyDocumentQuery(string Payload) : IQuery<DocumentVerification>;

public sealed class VerifyDocumentHandler(IQuerySession session, IDocumentKeyStore keys, TimeProvider clock) : IQueryHandler<VerifyDocumentQuery, DocumentVerification>
{
    public async ValueTask<DocumentVerification> Handle(VerifyDocumentQuery query, CancellationToken cancellationToken)
    {
        var (reading, problem) = DocumentVerifier.Check(query.Payload, keys.Keys(), clock.GetUtcNow());
        if (!reading.SignatureValid || reading.Claims is not { } claims) return new(false, problem, reading.KeyId, null, null, null, null, null, null, null, null);
        var fields = DocumentVerifier.Fields(claims);
        var serialNumber = claims.Fields.GetValueOrDefault("serialNumber");
        var record = await session.LoadAsync<IssuedDocument>(claims.DocumentId, cancellationToken);
        // The seal's CBOR map is in canonical key order: compared with the record as a set, then shown in the printed order.
        bool? matches = record is null ? null
            : record.Kind == claims.Kind && record.SerialNumber == serialNumber && record.Fields.Count == fields.Count
              && record.Fields.All(f => claims.Fields.GetValueOrDefault(f.Name) == f.Value)
              && DocumentContent.Sha256(record.Id, record.Kind, record.SerialNumber, record.Fields) == record.ContentSha256;
        if (matches == true) fields = record!.Fields;
        return new DocumentVerification(true, null, reading.KeyId, claims.DocumentId, claims.Kind, claims.Issuer, claims.IssuedAt, serialNumber,
            DocumentFieldView.Of(fields), record is null ? null : DocumentStatusView.Of(record), matches);
    }
}

public sealed record GetDocumentStatusQuery(Guid Id) : IQuery<DocumentStatusView?>;

public sealed class GetDocumentStatusHandler(IQuerySession session) : IQueryHandler<GetDocumentStatusQuery, DocumentStatusView?>
{
    public async ValueTask<DocumentStatusView?> Handle(GetDocumentStatusQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<IssuedDocument>(query.Id, cancellationToken) is { } document ? DocumentStatusView.Of(document) : null;
}

public static class VerifyDocumentEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/documents/{id:guid}/status", async Task<Results<Ok<DocumentStatusView>, NotFound>> (Guid id, IMediator mediator, CancellationToken ct) =>
                await mediator.Send(new GetDocumentStatusQuery(id), ct) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound())
            .AllowAnonymous()
            .WithName("GetDocumentStatus")
            .WithSummary("Where a document stands (valid, superseded and by which document, or revoked and the reason's category), for anyone: nothing personal.");

        api.MapPost("/documents/verify", async Task<Ok<DocumentVerification>> (VerifyDocumentRequest? request, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(Validator.Parse(request, (r, v) => r.Parse(v)), ct)))
            .AllowAnonymous()
            .WithName("VerifyDocument")
            .WithSummary("Check a document's QR payload, for anyone: whether the registry signed it, the fields it prints (only when it did), and where " +
                "the document stands. The same check runs offline with the key list at " + DocumentKeyList.Path + ".");
    }

    public static void MapKeyList(IEndpointRouteBuilder app) =>
        app.MapGet(DocumentKeyList.Path, (IDocumentKeyStore keys) => TypedResults.Text(DocumentKeyList.Serialize(keys.Keys()), DocumentKeyList.MediaType))
            .AllowAnonymous()
            .WithTags("Documents")
            .WithName("DocumentKeys")
            .WithSummary("The document signing keys (a JSON Web Key Set): key ids, public keys, and when each signs and until when it verifies.")
            .Produces<string>(StatusCodes.Status200OK, DocumentKeyList.MediaType);
}
