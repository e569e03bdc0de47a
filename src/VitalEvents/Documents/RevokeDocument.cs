using System.Text.Json.Serialization;
using Marten;
using Mediator;
using VitalEvents.Domain;
using VitalEvents.Domain.Documents;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Documents;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RevokeDocumentRequest(
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.RevocationCategories))] string? Category, string? Reason)
{
    public RevokeDocumentCommand Parse(Guid id, Validator v) =>
        new(id, v.OneOf("category", Category, DocumentStatuses.RevocationCategories), v.Text("reason", Reason, 1000));
}

/// <summary>A supervisor revokes a document in force, with the category of the reason and the reason; the event is on the holder's stream.</summary>
public sealed record RevokeDocumentCommand(Guid DocumentId, string Category, string Reason) : ICommand<DocumentSummary>, IRetriedOnConflict;

public sealed class RevokeDocumentHandler(IDocumentSession session, RequestContext context) : ICommandHandler<RevokeDocumentCommand, DocumentSummary>
{
    public async ValueTask<DocumentSummary> Handle(RevokeDocumentCommand message, CancellationToken cancellationToken)
    {
        var document = await session.LoadAsync<IssuedDocument>(message.DocumentId, cancellationToken)
            ?? throw new RuleViolationException(new RuleViolation("document.notFound", $"No document {message.DocumentId} was issued.", ViolationKind.NotFound));
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, document.NationalCode);
        streams.Append(session, DocumentDecision.Revoke(streams[document.NationalCode]!, document.Id, message.Category, message.Reason, context.UserId));
        document.Status = DocumentStatuses.Revoked;
        document.RevocationCategory = message.Category;
        return DocumentSummary.Of(document);
    }
}

public static class RevokeDocumentEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/documents/{id:guid}/revoke", async Task<Ok<DocumentSummary>> (Guid id, RevokeDocumentRequest? request, IMediator mediator,
                CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(Validator.Parse(request, (r, v) => r.Parse(id, v)), ct)))
            .RequireAuthorization(Roles.SupervisePolicy)
            .Writes()
            .WithName("RevokeDocument")
            .WithSummary("Revoke a document in force (a supervisor), with the category of the reason and the reason; its status then says revoked.");
}
