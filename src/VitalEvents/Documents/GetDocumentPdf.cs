using Mediator;
using VitalEvents.Citizens;
using VitalEvents.Pipeline;

namespace VitalEvents.Documents;

/// <summary>A document's PDF format: A4, Persian shaped, the QR code with its signed claims (the payload also in the file's keywords).</summary>
public static class GetDocumentPdfEndpoints
{
    public static IResult Pdf(IssuedDocument document, DocumentSettings settings) =>
        Results.File(DocumentPdf.Render(DocumentPrint.Of(document, settings.VerifyUrl)), "application/pdf", $"{document.SerialNumber}.pdf");

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/documents/{id:guid}/pdf", async (Guid id, IMediator mediator, DocumentSettings settings, CancellationToken ct) =>
                await mediator.Send(new GetDocumentQuery(id), ct) is { } document ? Pdf(document, settings) : TypedResults.NotFound())
            .RequireAuthorization(Roles.ReadPolicy)
            .RecordsReads()
            .WithName("GetDocumentPdf")
            .WithSummary("A document in its PDF format (A4, in the language it was issued in).")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .Produces(StatusCodes.Status404NotFound);

        api.MapGet("/me/documents/{id:guid}/pdf", async (Guid id, IMediator mediator, RequestContext context, DocumentSettings settings, CancellationToken ct) =>
                await mediator.Send(new GetDocumentQuery(id, Me.Code(context)), ct) is { } document ? Pdf(document, settings) : TypedResults.NotFound())
            .RequireAuthorization(Roles.CitizenPolicy)
            .RecordsReads()
            .WithName("GetMyDocumentPdf")
            .WithSummary("One of your documents in its PDF format.")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .Produces(StatusCodes.Status404NotFound);
    }
}
