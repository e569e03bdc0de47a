using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Births;
using VitalEvents.Citizens;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.BirthNotifications;

/// <summary>The given name the parents chose, in Persian script; everything else comes from the notification.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CompleteNotifiedBirthRequest(string? GivenName)
{
    public string Parse(Validator v)
    {
        var before = v.Errors.Count;
        var name = v.Name("givenName", GivenName);
        if (v.Errors.Count == before && !PersianText.IsPersianScript(name))
            v.Fail("givenName", "givenName.notPersian", "The given name is written in Persian script (letters, spaces and ZWNJ).");
        return name;
    }
}

/// <summary>Registered (with the child's national code, late or not) or held as a suspected duplicate for a supervisor.</summary>
public sealed record NotifiedBirthCompleted(Guid NotificationId,
    [property: OneOf(typeof(BirthRegisteredResponse), nameof(BirthRegisteredResponse.Statuses))] string Status, string? NationalCode, bool LateRegistration,
    Guid? HoldId = null, string? SuspectedDuplicateOf = null);

public sealed record CompleteNotifiedBirthCommand(CompleteNotifiedBirth Completion) : ICommand<NotifiedBirthCompleted>, IRetriedOnConflict;

/// <summary>
/// Completes a notified birth through the same decisions as an office registration (parents, duplicates, multiple births), issuing
/// the national code of the facility's county. The mother's stream is the one both channels append to, so a parent online and a
/// registrar at the office completing it at once cannot both succeed: the second is decided again and finds it completed.
/// </summary>
public sealed class CompleteNotifiedBirthHandler(IDocumentSession session, RequestContext context, TimeProvider clock, RegistryLaw law, GivenNamePolicy names)
    : ICommandHandler<CompleteNotifiedBirthCommand, NotifiedBirthCompleted>
{
    public async ValueTask<NotifiedBirthCompleted> Handle(CompleteNotifiedBirthCommand command, CancellationToken cancellationToken)
    {
        var completion = command.Completion;
        var notification = await session.LoadAsync<BirthNotification>(completion.NotificationId, cancellationToken)
            ?? throw BirthNotificationLookup.NotFound(completion.NotificationId);
        if (completion.Parent is null) context.EnsureOffice(notification.OfficeCode);
        var streams = await PersonStreams.FetchAsync(session, context, cancellationToken, notification.MotherNationalCode);
        var mother = streams[notification.MotherNationalCode]!;
        var fatherCode = BirthNotificationDecision.Pending(mother, completion.NotificationId) is { } pending ? BirthNotificationDecision.Father(pending, mother) : null;
        await streams.IncludeAsync(session, cancellationToken, fatherCode);
        var father = streams[fatherCode];
        var today = clock.Today();

        var review = BirthNotificationDecision.Review(completion, mother, father, today, Guid.CreateVersion7(), names, law);
        streams.Append(session, review);
        if (review.Events.Select(e => e.Event).OfType<BirthHeldForReview>().SingleOrDefault() is { } held)
            return new NotifiedBirthCompleted(completion.NotificationId, BirthRegisteredResponse.HeldForReview, null, held.Birth.LateRegistration, held.HoldId,
                held.SuspectedDuplicateOf);

        // A refused registration rolls back with its transaction, and the serial taken for it with it.
        var nationalCode = await NationalCodeIssuer.IssueAsync(session, notification.OfficeCode, cancellationToken);
        var registered = BirthNotificationDecision.Register(completion, nationalCode, mother, father, today, law);
        streams.Append(session, registered);
        var birth = registered.Events.Select(e => e.Event).OfType<BirthRegistered>().Single();
        return new NotifiedBirthCompleted(completion.NotificationId, BirthRegisteredResponse.Registered, nationalCode, birth.LateRegistration);
    }
}

public static class BirthNotificationLookup
{
    public static RuleViolationException NotFound(Guid id) =>
        new(new RuleViolation("birthNotification.notFound", $"No birth notification {id} exists.", ViolationKind.NotFound));
}

public static class CompleteNotifiedBirthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/birth-notifications/{id:guid}/register", (Guid id, CompleteNotifiedBirthRequest? request, IMediator mediator, RequestContext context,
                CancellationToken ct) => SendAsync(mediator, new CompleteNotifiedBirth(id, Validator.Parse(request, (r, v) => r.Parse(v)), context.UserId, null),
                code => $"/api/persons/{code}", ct))
            .RequireAuthorization(Roles.RecordPolicy)
            .Writes()
            .WithName("RegisterNotifiedBirth")
            .WithSummary("A registrar of the facility's office completes a notified birth when the parents come in: the given name they chose, the rest from the notification. 201 with the issued code, or 202 when held as a suspected duplicate.");

        api.MapPost("/me/birth-notifications/{id:guid}/confirm", (Guid id, CompleteNotifiedBirthRequest? request, IMediator mediator, RequestContext context,
                CancellationToken ct) => SendAsync(mediator, new CompleteNotifiedBirth(id, Validator.Parse(request, (r, v) => r.Parse(v)), context.UserId, Me.Code(context)),
                code => $"/api/me/family/{code}", ct))
            .RequireAuthorization(Roles.CitizenPolicy)
            .Writes()
            .WithName("ConfirmMyNotifiedBirth")
            .WithSummary("The mother, or the father the registry shows married to her, confirms a notified birth online with the given name they chose: the child is registered and gets a national code without an office visit (201), or is held as a suspected duplicate (202).");
    }

    private static async Task<Results<Created<NotifiedBirthCompleted>, Accepted<NotifiedBirthCompleted>>> SendAsync(IMediator mediator, CompleteNotifiedBirth completion,
        Func<string, string> location, CancellationToken ct)
    {
        var result = await mediator.Send(new CompleteNotifiedBirthCommand(completion), ct);
        return result.NationalCode is { } code
            ? TypedResults.Created(location(code), result)
            : TypedResults.Accepted($"/api/births/held/{result.HoldId}", result);
    }
}
