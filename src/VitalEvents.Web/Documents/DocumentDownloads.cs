using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Citizens;
using VitalEvents.Documents;
using VitalEvents.Pipeline;

namespace VitalEvents.Web.Documents;

/// <summary>
/// A document's PDF for the console's signed-in users (a cookie session: the API's own PDF endpoints take bearer tokens):
/// staff download any document, a citizen only their own. The read is in the holder's access log, as the API's is.
/// </summary>
public static class DocumentDownloads
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/documents/{id:guid}/pdf", async (Guid id, IMediator mediator, DocumentSettings settings, CancellationToken ct) =>
                Pdf(await mediator.Send(new GetDocumentQuery(id), ct), settings))
            .RequireAuthorization(Roles.ReadPolicy)
            .ExcludeFromDescription();

        app.MapGet("/me/documents/{id:guid}/pdf", async (Guid id, IMediator mediator, RequestContext context, DocumentSettings settings, CancellationToken ct) =>
                Pdf(await mediator.Send(new GetDocumentQuery(id, Me.Code(context)), ct), settings))
            .RequireAuthorization(Roles.CitizenPolicy)
            .ExcludeFromDescription();
    }

    private static IResult Pdf(IssuedDocument? document, DocumentSettings settings) => document is null
        ? Results.NotFound()
        : Results.File(DocumentPdf.Render(DocumentPrint.Of(document, settings.VerifyUrl)), "application/pdf", $"{document.SerialNumber}.pdf");
}
