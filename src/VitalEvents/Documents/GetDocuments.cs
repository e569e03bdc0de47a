using Marten;
using Mediator;
using VitalEvents.Audit;
using VitalEvents.Citizens;
using VitalEvents.Domain;
using VitalEvents.Domain.Documents;
using VitalEvents.Pipeline;

namespace VitalEvents.Documents;

/// <summary>A printed field: its name and value as the seal carries them, and its label and value as printed in Persian and English.</summary>
public sealed record DocumentFieldView(string Name, string Value, string LabelFa, string LabelEn, string ValueFa, string ValueEn)
{
    public static IReadOnlyList<DocumentFieldView> Of(IEnumerable<DocumentField> fields) =>
        [.. fields.Select(f => (f, p: DocumentPrint.Field(f))).Select(x => new DocumentFieldView(x.f.Name, x.f.Value, x.p.LabelFa, x.p.LabelEn, x.p.ValueFa, x.p.ValueEn))];
}

/// <summary>A document in its JSON format: what it prints, where it stands, and its QR payload (the signed claims).</summary>
public sealed record DocumentView(
    Guid DocumentId, string NationalCode, [property: OneOf(typeof(DocumentKinds), nameof(DocumentKinds.All))] string Kind, Guid? MarriageId,
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.LanguageCodes))] string Language, string TitleFa, string TitleEn,
    string SerialNumber, DateTimeOffset IssuedAt, string IssuedAtFa, string IssuedAtEn,
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.All))] string Status,
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.Causes))] string? SupersededFor, Guid? SupersededBy,
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.RevocationCategories))] string? RevocationCategory,
    IReadOnlyList<DocumentFieldView> Fields, long ShowsVersion, string ContentSha256, string IssuedBy, string Channel, string KeyId, string Qr, string VerifyUrl)
{
    public static DocumentView Of(IssuedDocument d, DocumentSettings settings)
    {
        var (titleFa, titleEn) = DocumentPrint.Title(d.Kind);
        return new DocumentView(d.Id, d.NationalCode, d.Kind, d.MarriageId, d.Language, titleFa, titleEn, d.SerialNumber, d.IssuedAt,
            DocumentPrint.Instant(d.IssuedAt, persian: true), DocumentPrint.Instant(d.IssuedAt, persian: false), d.Status, d.SupersededFor, d.SupersededBy,
            d.RevocationCategory, DocumentFieldView.Of(d.Fields), d.ShowsVersion, d.ContentSha256, d.IssuedBy, d.Channel, d.KeyId, d.Seal, settings.VerifyUrl);
    }
}

/// <summary>A document in a person's list: no printed field, only what it is and where it stands.</summary>
public sealed record DocumentSummary(
    Guid DocumentId, [property: OneOf(typeof(DocumentKinds), nameof(DocumentKinds.All))] string Kind, Guid? MarriageId, string TitleFa, string TitleEn,
    string SerialNumber, DateTimeOffset IssuedAt, [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.All))] string Status,
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.Causes))] string? SupersededFor, Guid? SupersededBy,
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.RevocationCategories))] string? RevocationCategory, string Channel)
{
    public static DocumentSummary Of(IssuedDocument d)
    {
        var (titleFa, titleEn) = DocumentPrint.Title(d.Kind);
        return new DocumentSummary(d.Id, d.Kind, d.MarriageId, titleFa, titleEn, d.SerialNumber, d.IssuedAt, d.Status, d.SupersededFor, d.SupersededBy,
            d.RevocationCategory, d.Channel);
    }
}

/// <summary>The documents issued from a person's record, newest first; the read is in the access log.</summary>
public sealed record ListDocumentsQuery(string NationalCode, string? Detail = null) : IQuery<IReadOnlyList<DocumentSummary>>, IRecordedRead
{
    public string Resource => AccessedResource.Document;
}

public sealed class ListDocumentsHandler(IQuerySession session) : IQueryHandler<ListDocumentsQuery, IReadOnlyList<DocumentSummary>>
{
    public async ValueTask<IReadOnlyList<DocumentSummary>> Handle(ListDocumentsQuery query, CancellationToken cancellationToken) =>
        [.. (await session.Query<IssuedDocument>().Where(d => d.NationalCode == query.NationalCode).OrderByDescending(d => d.IssuedAt).ToListAsync(cancellationToken))
            .Select(DocumentSummary.Of)];
}

/// <summary>
/// One document, whole (its printed fields and QR payload): for staff, or for its holder (<c>Holder</c>: then another's is not
/// found). The read is in the holder's access log.
/// </summary>
public sealed record GetDocumentQuery(Guid Id, string? Holder = null) : IQuery<IssuedDocument?>;

public sealed class GetDocumentHandler(IQuerySession session, AccessLog log, RequestContext context) : IQueryHandler<GetDocumentQuery, IssuedDocument?>
{
    public async ValueTask<IssuedDocument?> Handle(GetDocumentQuery query, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<IssuedDocument>(query.Id, cancellationToken) is not { } document
            || (query.Holder is not null && document.NationalCode != query.Holder)) return null;
        await log.RecordAsync(context, AccessedResource.Document, document.NationalCode, context.Purpose, document.Id.ToString(), 200, cancellationToken);
        return document;
    }
}

public static class GetDocumentsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/persons/{nationalCode}/documents", async Task<Ok<IReadOnlyList<DocumentSummary>>> (string nationalCode, IMediator mediator,
                CancellationToken ct) =>
            {
                var code = Validator.Parse(nationalCode, (c, v) => v.NationalCode("nationalCode", c));
                return TypedResults.Ok(await mediator.Send(new ListDocumentsQuery(code), ct));
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .RecordsReads()
            .WithName("ListDocuments")
            .WithSummary("The documents issued from a person's record, newest first, each with where it stands.");

        api.MapGet("/documents/{id:guid}", async Task<Results<Ok<DocumentView>, NotFound>> (Guid id, IMediator mediator, DocumentSettings settings,
                CancellationToken ct) =>
                await mediator.Send(new GetDocumentQuery(id), ct) is { } document ? TypedResults.Ok(DocumentView.Of(document, settings)) : TypedResults.NotFound())
            .RequireAuthorization(Roles.ReadPolicy)
            .RecordsReads()
            .WithName("GetDocument")
            .WithSummary("A document in its JSON format: its printed fields, where it stands, and its QR payload.");

        api.MapGet("/me/documents", async Task<Ok<IReadOnlyList<DocumentSummary>>> (IMediator mediator, RequestContext context, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListDocumentsQuery(Me.Code(context), "self"), ct)))
            .RequireAuthorization(Roles.CitizenPolicy)
            .RecordsReads()
            .WithName("ListMyDocuments")
            .WithSummary("The documents issued from your own record, newest first.");

        api.MapGet("/me/documents/{id:guid}", async Task<Results<Ok<DocumentView>, NotFound>> (Guid id, IMediator mediator, RequestContext context,
                DocumentSettings settings, CancellationToken ct) =>
                await mediator.Send(new GetDocumentQuery(id, Me.Code(context)), ct) is { } document
                    ? TypedResults.Ok(DocumentView.Of(document, settings)) : TypedResults.NotFound())
            .RequireAuthorization(Roles.CitizenPolicy)
            .RecordsReads()
            .WithName("GetMyDocument")
            .WithSummary("One of your documents in its JSON format.");
    }
}
