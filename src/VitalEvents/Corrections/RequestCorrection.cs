using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Corrections;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Corrections;

public sealed record RequestCorrectionRequest(string? Field, string? NewValue, string? Authority, string? DecisionReference, string? Reason);

public sealed record CorrectionAcceptedResponse(Guid CorrectionId, string NationalCode, string Status);

public sealed record RequestCorrectionCommand(string NationalCode, RequestCorrectionRequest Request, string RequestedBy)
    : ICommand<CorrectionAcceptedResponse>, IValidatable
{
    public void Validate(Validator validator) => ToDomain(validator);

    public RequestCorrection ToDomain(Validator v)
    {
        var field = v.OneOf("field", Request.Field, Vocabulary.CorrectableFields);
        var newValue = field switch
        {
            Vocabulary.Sex => v.OneOf("newValue", Request.NewValue, Vocabulary.Sexes),
            Vocabulary.BirthDate => v.Date("newValue", Request.NewValue).ToString("yyyy-MM-dd"),
            _ => v.Name("newValue", Request.NewValue),
        };
        return new RequestCorrection(
            v.NationalCode("nationalCode", NationalCode), Guid.Empty, field, newValue,
            v.OneOf("authority", Request.Authority, Vocabulary.Authorities),
            v.Text("decisionReference", Request.DecisionReference, 200),
            v.Text("reason", Request.Reason, 1000),
            RequestedBy);
    }
}

public sealed class RequestCorrectionHandler(IDocumentSession session, RequestContext context, RegistryLaw law)
    : ICommandHandler<RequestCorrectionCommand, CorrectionAcceptedResponse>
{
    public async ValueTask<CorrectionAcceptedResponse> Handle(RequestCorrectionCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator()) with { CorrectionId = Guid.CreateVersion7() };
        var person = await PersonStreams.FetchAsync(session, context, cancellationToken, command.NationalCode);
        person.Append(session, CorrectionDecision.Decide(command, person[command.NationalCode], law));
        return new CorrectionAcceptedResponse(command.CorrectionId, command.NationalCode, "pending");
    }
}

public static class RequestCorrectionEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/persons/{nationalCode}/corrections",
                async (string nationalCode, RequestCorrectionRequest request, IMediator mediator, RequestContext context, CancellationToken ct) =>
                {
                    var accepted = await mediator.Send(new RequestCorrectionCommand(nationalCode, request, context.UserId), ct);
                    return Results.Accepted($"/api/corrections/{accepted.CorrectionId}", accepted);
                })
            .RequireAuthorization(Roles.RecordPolicy)
            .WithMetadata(new HonoursIfMatch())
            .WithName("RequestCorrection").WithTags("Corrections")
            .WithSummary("Request a correction of one field; it takes effect when a different supervisor approves it.")
            .Produces<CorrectionAcceptedResponse>(StatusCodes.Status202Accepted);
}
