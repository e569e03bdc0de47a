using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Divorces;
using VitalEvents.Http;
using VitalEvents.Marriages;
using VitalEvents.Pipeline;

namespace VitalEvents.Divorces;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterDivorceRequest(string? MarriageId, string? Date, [property: OneOf(nameof(Vocabulary.DivorceKinds))] string? Kind,
    string? OfficeCode, string? WaitingPeriodEnds = null)
{
    public RegisterDivorce Parse(Validator v)
    {
        var divorce = new RegisterDivorce(
            v.Id("marriageId", MarriageId),
            v.Date("date", Date),
            v.OneOf("kind", Kind, Vocabulary.DivorceKinds),
            v.OptionalDate("waitingPeriodEnds", WaitingPeriodEnds),
            v.Office("officeCode", OfficeCode));
        if (divorce.Kind == Vocabulary.Revocable && (divorce.WaitingPeriodEnds is not { } ends || ends <= divorce.Date))
            v.Fail("waitingPeriodEnds", "divorce.waitingPeriodRequired", "A revocable divorce needs waitingPeriodEnds, after the date of divorce.");
        return divorce;
    }
}

public sealed record DivorceRegisteredResponse(Guid MarriageId, string HusbandNationalCode, string WifeNationalCode);

public sealed record RegisterDivorceCommand(RegisterDivorce Divorce) : ICommand<DivorceRegisteredResponse>;

public sealed class RegisterDivorceHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<RegisterDivorceCommand, DivorceRegisteredResponse>
{
    public async ValueTask<DivorceRegisteredResponse> Handle(RegisterDivorceCommand message, CancellationToken cancellationToken)
    {
        var divorce = message.Divorce;
        context.EnsureOffice(divorce.OfficeCode);
        var (marriage, spouses) = await MarriageRecord.FetchAsync(session, context, divorce.MarriageId, cancellationToken);
        spouses.Append(session, DivorceDecision.Decide(divorce, spouses[marriage.HusbandNationalCode]!, spouses[marriage.WifeNationalCode]!, clock.Today()));
        return new DivorceRegisteredResponse(divorce.MarriageId, marriage.HusbandNationalCode, marriage.WifeNationalCode);
    }
}

public static class RegisterDivorceEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/divorces", async Task<Created<DivorceRegisteredResponse>> (RegisterDivorceRequest? request, IMediator mediator, CancellationToken ct) =>
            {
                var registered = await mediator.Send(new RegisterDivorceCommand(Validator.Parse(request, (r, v) => r.Parse(v))), ct);
                return TypedResults.Created($"/api/marriages/{registered.MarriageId}", registered);
            })
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes()
            .WithName("RegisterDivorce")
            .WithSummary("Register the divorce that ends a marriage, on both spouses' records.");
}
