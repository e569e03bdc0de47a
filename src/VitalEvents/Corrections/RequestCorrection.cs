using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Corrections;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Corrections;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RequestCorrectionRequest(
    [property: OneOf(nameof(Vocabulary.CorrectableFields))] string? Field, string? NewValue,
    [property: OneOf(nameof(Vocabulary.Authorities))] string? Authority, string? DecisionReference, string? Reason, string? CitizenRequestId = null)
{
    /// <summary>The correction as asked for; the office and requester are the caller's, the id is made by the handler.</summary>
    public RequestCorrection Parse(string nationalCode, Validator v)
    {
        var field = v.OneOf("field", Field, Vocabulary.CorrectableFields);
        return new RequestCorrection(v.NationalCode("nationalCode", nationalCode), Guid.Empty, field, NewValueOf(field, NewValue, v),
            v.OneOf("authority", Authority, Vocabulary.Authorities), v.Text("decisionReference", DecisionReference, 200), v.Text("reason", Reason, 1000),
            RequestedBy: string.Empty, OfficeCode: string.Empty, CitizenRequestId: CitizenRequestId is null ? null : v.Id("citizenRequestId", CitizenRequestId));
    }

    /// <summary>A corrected field's new value, parsed as that field's values are (a name, a sex, a date: ISO or Solar Hijri).</summary>
    public static string NewValueOf(string field, string? value, Validator v) => field switch
    {
        Vocabulary.Sex => v.OneOf("newValue", value, Vocabulary.Sexes),
        Vocabulary.BirthDate => v.Date("newValue", value).ToString("yyyy-MM-dd"),
        _ => v.Name("newValue", value),
    };
}

public sealed record CorrectionAcceptedResponse(Guid CorrectionId, string NationalCode,
    [property: OneOf(typeof(CorrectionCase), nameof(CorrectionCase.Statuses))] string Status);

public sealed record RequestCorrectionCommand(RequestCorrection Correction) : ICommand<CorrectionAcceptedResponse>;

public sealed class RequestCorrectionHandler(IDocumentSession session, RequestContext context, RegistryLaw law)
    : ICommandHandler<RequestCorrectionCommand, CorrectionAcceptedResponse>
{
    public async ValueTask<CorrectionAcceptedResponse> Handle(RequestCorrectionCommand message, CancellationToken cancellationToken)
    {
        var correction = message.Correction with
        {
            CorrectionId = Guid.CreateVersion7(), RequestedBy = context.UserId, OfficeCode = context.ActingOffice,
        };
        var person = await PersonStreams.FetchAsync(session, context, cancellationToken, correction.NationalCode);
        person.Append(session, CorrectionDecision.Decide(correction, person[correction.NationalCode], law));
        return new CorrectionAcceptedResponse(correction.CorrectionId, correction.NationalCode, CorrectionCase.Pending);
    }
}

public static class RequestCorrectionEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/persons/{nationalCode}/corrections", async Task<Accepted<CorrectionAcceptedResponse>> (string nationalCode,
                RequestCorrectionRequest? request, IMediator mediator, CancellationToken ct) =>
            {
                var accepted = await mediator.Send(new RequestCorrectionCommand(Validator.Parse(request, (r, v) => r.Parse(nationalCode, v))), ct);
                return TypedResults.Accepted($"/api/corrections/{accepted.CorrectionId}", accepted);
            })
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes(ifMatch: true)
            .WithName("RequestCorrection")
            .WithSummary("Request a correction of one field at your office, or take up a citizen's request for it (citizenRequestId); it takes effect when a " +
                "different supervisor of that office approves it.");
}
