using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Corrections;
using VitalEvents.Domain;
using VitalEvents.Domain.Corrections;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Citizens;

/// <summary>A citizen's request for a correction of their own record: the field, the value they say is right, why, and their evidence.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FileCitizenRequestRequest(
    [property: OneOf(nameof(Vocabulary.CorrectableFields))] string? Field, string? NewValue, string? Reason, string[]? Evidence)
{
    public const int MaxEvidence = 10;

    public FileCitizenRequest Parse(string nationalCode, Validator v)
    {
        var field = v.OneOf("field", Field, Vocabulary.CorrectableFields);
        var evidence = Evidence ?? [];
        if (evidence.Length > MaxEvidence) v.Fail("evidence", "citizenRequest.tooMuchEvidence", $"At most {MaxEvidence} evidence references.");
        return new FileCitizenRequest(nationalCode, Guid.Empty, field, RequestCorrectionRequest.NewValueOf(field, NewValue, v), v.Text("reason", Reason, 1000),
            evidence.Take(MaxEvidence).Select((e, i) => v.Text($"evidence[{i}]", e, 200)).ToList());
    }
}

public sealed record FileCitizenRequestCommand(FileCitizenRequest Request) : ICommand<MyRequest>;

public sealed class FileCitizenRequestHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<FileCitizenRequestCommand, MyRequest>
{
    public async ValueTask<MyRequest> Handle(FileCitizenRequestCommand message, CancellationToken cancellationToken)
    {
        var request = message.Request with { RequestId = Guid.CreateVersion7() };
        var person = await PersonStreams.FetchAsync(session, context, cancellationToken, request.NationalCode);
        var decision = CitizenRequestDecision.Decide(request, person[request.NationalCode]);
        person.Append(session, decision);
        var filed = (CitizenRequestFiled)decision.Events.Single().Event;
        return new MyRequest(filed.RequestId, filed.Field, filed.CurrentValue, filed.NewValue, filed.Reason, filed.Evidence, filed.OfficeCode,
            clock.GetUtcNow(), CitizenRequest.Filed, null, null, null);
    }
}

public static class FileCitizenRequestEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/me/requests", async Task<Created<MyRequest>> (FileCitizenRequestRequest? request, IMediator mediator, RequestContext context,
                CancellationToken ct) =>
            {
                var code = Me.Code(context);
                var filed = await mediator.Send(new FileCitizenRequestCommand(Validator.Parse(request, (r, v) => r.Parse(code, v))), ct);
                return TypedResults.Created($"/api/me/requests/{filed.RequestId}", filed);
            })
            .RequireAuthorization(Roles.CitizenPolicy)
            .Writes()
            .WithName("FileMyRequest")
            .WithSummary("Ask for a correction of your own record (a field, the right value, why, references to your evidence); a registrar of the office " +
                "that registered you reviews it, and a supervisor decides the correction.");
}
