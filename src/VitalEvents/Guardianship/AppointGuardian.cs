using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Guardianship;

public sealed record AppointGuardianRequest(string? GuardianNationalCode, string? Date, string? Authority, string? DecisionReference, string? OfficeCode);

public sealed record GuardianAppointedResponse(string ChildNationalCode, string GuardianNationalCode, long Version);

public sealed record AppointGuardianCommand(string ChildNationalCode, AppointGuardianRequest Request) : ICommand<GuardianAppointedResponse>, IValidatable
{
    public void Validate(Validator validator) => ToDomain(validator);

    public AppointGuardian ToDomain(Validator v) => new(
        v.NationalCode("nationalCode", ChildNationalCode),
        v.NationalCode("guardianNationalCode", Request.GuardianNationalCode),
        v.Date("date", Request.Date),
        v.OneOf("authority", Request.Authority, Vocabulary.GuardianshipAuthorities),
        v.Text("decisionReference", Request.DecisionReference, 200),
        v.Office("officeCode", Request.OfficeCode));
}

public sealed class AppointGuardianHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law)
    : ICommandHandler<AppointGuardianCommand, GuardianAppointedResponse>
{
    public async ValueTask<GuardianAppointedResponse> Handle(AppointGuardianCommand message, CancellationToken cancellationToken)
    {
        var command = message.ToDomain(new Validator());
        context.EnsureOffice(command.OfficeCode);
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, command.ChildNationalCode, command.GuardianNationalCode);
        var child = streams[command.ChildNationalCode];
        await using var query = session.DocumentStore.QuerySession();
        var parents = new List<Person>();
        foreach (var code in new[] { child?.MotherNationalCode, child?.FatherNationalCode }.OfType<string>())
            if (await query.Events.AggregateStreamAsync<Person>(code, token: cancellationToken) is { } parent) parents.Add(parent);
        streams.Append(session, GuardianshipDecision.Decide(command, child, streams[command.GuardianNationalCode], parents, clock.Today(), law));
        return new GuardianAppointedResponse(command.ChildNationalCode, command.GuardianNationalCode, streams.VersionOf(command.ChildNationalCode));
    }
}

public static class AppointGuardianEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/persons/{nationalCode}/guardian",
                async (string nationalCode, AppointGuardianRequest request, IMediator mediator, CancellationToken ct) =>
                    Results.Created($"/api/persons/{nationalCode}", await mediator.Send(new AppointGuardianCommand(nationalCode, request), ct)))
            .RequireAuthorization(Roles.RecordPolicy)
            .WithMetadata(new HonoursIfMatch())
            .WithName("AppointGuardian").WithTags("Guardianship")
            .WithSummary("Appoint a guardian (سرپرست) for a child without living parents, by a court's decision; recorded on the child's record.")
            .Produces<GuardianAppointedResponse>(StatusCodes.Status201Created);
}
