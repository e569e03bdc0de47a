using System.Text.Json.Serialization;
using Marten;
using Mediator;
using VitalEvents.Citizens;
using VitalEvents.Domain;
using VitalEvents.Domain.Documents;
using VitalEvents.Identity;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Documents;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record IssueDocumentRequest(
    [property: OneOf(typeof(DocumentKinds), nameof(DocumentKinds.All))] string? Kind, string? MarriageId = null,
    [property: OneOf(typeof(DocumentStatuses), nameof(DocumentStatuses.LanguageCodes))] string? Language = null)
{
    public IssueDocument Parse(string nationalCode, string issuedBy, string channel, Validator v) => new(
        v.NationalCode("nationalCode", nationalCode), v.OneOf("kind", Kind, DocumentKinds.All), MarriageId is null ? null : v.Id("marriageId", MarriageId),
        Language is null ? "fa" : v.OneOf("language", Language, DocumentStatuses.LanguageCodes), issuedBy, channel);
}

/// <summary>
/// Issues a document from a person's record: by a registrar at an office, or by the citizen for themself online. Decided
/// again on fresh state when another write to the record wins the race (its serial number is then given back and taken again).
/// </summary>
public sealed record IssueDocumentCommand(IssueDocument Document) : ICommand<DocumentView>, IRetriedOnConflict;

public sealed class IssueDocumentHandler(IDocumentSession session, RequestContext context, IDocumentKeyStore keys, DocumentSettings settings, TimeProvider clock)
    : ICommandHandler<IssueDocumentCommand, DocumentView>
{
    public async ValueTask<DocumentView> Handle(IssueDocumentCommand message, CancellationToken cancellationToken)
    {
        var command = message.Document with { IssuedBy = context.UserId };
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, command.NationalCode);
        var person = streams[command.NationalCode];
        if (DocumentDecision.Check(command, person) is { } refused) throw new RuleViolationException(refused);

        var names = await RelativesAsync(person!, cancellationToken);
        var now = clock.GetUtcNow();
        var year = SolarHijri.Year(clock.Today());
        var serial = await DocumentSerials.NextAsync(session, command.Kind, year, cancellationToken);
        var id = Guid.CreateVersion7(now);
        var serialNumber = DocumentKinds.SerialNumber(command.Kind, year, serial);
        var fields = DocumentContent.Fields(person!, command.Kind, command.MarriageId, names.GetValueOrDefault);
        var key = keys.Current();
        var seal = DocumentSeal.Seal(new SealedClaims(settings.Issuer, now, id, command.Kind, Claims(serialNumber, fields)), key.Key, key.KeyId);
        var issued = new DocumentIssued(id, command.Kind, command.MarriageId, command.Language, serialNumber, year, serial,
            streams.VersionOf(command.NationalCode), fields, DocumentContent.Sha256(id, command.Kind, serialNumber, fields), now, command.IssuedBy,
            command.Channel, key.KeyId, seal);
        streams.Append(session, DocumentDecision.Issue(command, person, issued));
        return DocumentView.Of(IssuedDocumentProjection.From(issued, command.NationalCode), settings);
    }

    /// <summary>The claims a document's seal carries: its serial number and the fields it prints, in their order.</summary>
    public static IReadOnlyDictionary<string, string> Claims(string serialNumber, IEnumerable<DocumentField> fields)
    {
        var claims = new Dictionary<string, string> { ["serialNumber"] = serialNumber };
        foreach (var field in fields) claims[field.Name] = field.Value;
        return claims;
    }

    /// <summary>The names of the spouses the record names only by code, as their own records have them.</summary>
    private async Task<Dictionary<string, string>> RelativesAsync(Person person, CancellationToken ct)
    {
        var codes = person.Marriages.Select(m => m.SpouseNationalCode).Concat(person.PastMarriages.Select(p => p.Bond.SpouseNationalCode)).Distinct().ToArray();
        if (codes.Length == 0) return [];
        var spouses = await session.LoadManyAsync<PersonSnapshot>(ct, codes);
        return spouses.ToDictionary(s => s.NationalCode, s => $"{s.GivenName} {s.FamilyName}");
    }
}

public static class IssueDocumentEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/persons/{nationalCode}/documents", async Task<Created<DocumentView>> (string nationalCode, IssueDocumentRequest? request,
                IMediator mediator, CancellationToken ct) =>
            {
                var issued = await mediator.Send(new IssueDocumentCommand(Validator.Parse(request,
                    (r, v) => r.Parse(nationalCode, string.Empty, DocumentStatuses.Office, v))), ct);
                return TypedResults.Created($"/api/documents/{issued.DocumentId}", issued);
            })
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes(ifMatch: true)
            .WithName("IssueDocument")
            .WithSummary("Issue a signed document from a person's record: a birth, marriage, divorce or death certificate, or the electronic shenasnameh " +
                "(it supersedes the one issued before). The answer is the document (JSON), with its QR payload; its PDF is at /api/documents/{id}/pdf.");

        api.MapPost("/me/documents", async Task<Created<DocumentView>> (IssueDocumentRequest? request, IMediator mediator, RequestContext context,
                CancellationToken ct) =>
            {
                var code = Me.Code(context);
                var issued = await mediator.Send(new IssueDocumentCommand(Validator.Parse(request,
                    (r, v) => r.Parse(code, string.Empty, DocumentStatuses.Online, v))), ct);
                return TypedResults.Created($"/api/me/documents/{issued.DocumentId}", issued);
            })
            .RequireAuthorization(Roles.CitizenPolicy)
            .Writes()
            .WithName("IssueMyDocument")
            .WithSummary("Issue a signed document from your own record (Sahim); its PDF is at /api/me/documents/{id}/pdf.");
    }
}
