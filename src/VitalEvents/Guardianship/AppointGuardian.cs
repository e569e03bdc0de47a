using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Guardianship;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AppointGuardianRequest(string? GuardianNationalCode, string? Date,
    [property: OneOf(nameof(Vocabulary.GuardianshipAuthorities))] string? Authority, string? DecisionReference, string? OfficeCode)
{
    public AppointGuardian Parse(string childNationalCode, Validator v) => new(
        v.NationalCode("nationalCode", childNationalCode),
        v.NationalCode("guardianNationalCode", GuardianNationalCode),
        v.Date("date", Date),
        v.OneOf("authority", Authority, Vocabulary.GuardianshipAuthorities),
        v.Text("decisionReference", DecisionReference, 200),
        v.Office("officeCode", OfficeCode));
}

public sealed record GuardianAppointedResponse(string ChildNationalCode, string GuardianNationalCode, long Version);

public sealed record AppointGuardianCommand(AppointGuardian Appointment) : ICommand<GuardianAppointedResponse>;

public sealed class AppointGuardianHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law)
    : ICommandHandler<AppointGuardianCommand, GuardianAppointedResponse>
{
    public async ValueTask<GuardianAppointedResponse> Handle(AppointGuardianCommand message, CancellationToken cancellationToken)
    {
        var appointment = message.Appointment;
        context.EnsureOffice(appointment.OfficeCode);
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, appointment.ChildNationalCode, appointment.GuardianNationalCode);
        var child = streams[appointment.ChildNationalCode];
        await streams.IncludeAsync(session, cancellationToken, child?.MotherNationalCode, child?.FatherNationalCode);
        var parents = new[] { streams[child?.MotherNationalCode], streams[child?.FatherNationalCode] }.OfType<Person>();
        streams.Append(session, GuardianshipDecision.Decide(appointment, child, streams[appointment.GuardianNationalCode], parents, clock.Today(), law));
        return new GuardianAppointedResponse(appointment.ChildNationalCode, appointment.GuardianNationalCode, streams.VersionOf(appointment.ChildNationalCode));
    }
}

public static class AppointGuardianEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/persons/{nationalCode}/guardian", async Task<Created<GuardianAppointedResponse>> (string nationalCode,
                AppointGuardianRequest? request, IMediator mediator, CancellationToken ct) =>
            {
                var appointed = await mediator.Send(new AppointGuardianCommand(Validator.Parse(request, (r, v) => r.Parse(nationalCode, v))), ct);
                return TypedResults.Created($"/api/persons/{appointed.ChildNationalCode}", appointed);
            })
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes(ifMatch: true)
            .WithName("AppointGuardian")
            .WithSummary("Appoint a guardian (سرپرست) for a child without living parents, by a court's decision; recorded on the child's record.");
}
