using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using VitalEvents.Audit;
using VitalEvents.Citizens;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Http;
using VitalEvents.Identity;
using VitalEvents.Pipeline;

namespace VitalEvents.BirthNotifications;

public sealed record NamedPerson(string NationalCode, string GivenName, string FamilyName);

/// <summary>
/// A notification with the people it names and, while it waits, the registration completing it would make: the father (the one
/// named, else the mother's husband), the family name the law gives, whether it would be late, and whether it is due for follow-up.
/// </summary>
public sealed record BirthNotificationDetail(BirthNotification Notification, NamedPerson? Mother, NamedPerson? Father, string? FamilyName, bool LateIfCompletedToday,
    bool FollowUp);

public static class BirthNotificationDetails
{
    public static async Task<BirthNotificationDetail> OfAsync(IQuerySession session, BirthNotification notification, BirthNotificationSettings settings,
        RegistryLaw law, TimeProvider clock, CancellationToken ct) =>
        await OfAsync(session, notification, await session.Events.AggregateStreamAsync<Person>(notification.MotherNationalCode, token: ct), settings, law,
            clock, ct);

    /// <summary>The detail, with the mother's state already folded.</summary>
    public static async Task<BirthNotificationDetail> OfAsync(IQuerySession session, BirthNotification notification, Person? mother,
        BirthNotificationSettings settings, RegistryLaw law, TimeProvider clock, CancellationToken ct)
    {
        var pending = mother is null ? null : BirthNotificationDecision.Pending(mother, notification.Id);
        var fatherCode = pending is null ? notification.FatherNationalCode : BirthNotificationDecision.Father(pending, mother!);
        var father = fatherCode is null ? null : await session.Events.AggregateStreamAsync<Person>(fatherCode, token: ct);
        var today = clock.Today();
        return new BirthNotificationDetail(notification, Named(mother), Named(father),
            pending is null ? null : BirthNotificationDecision.Registration(pending, string.Empty, mother!, father).FamilyName,
            pending is not null && today.DayNumber - notification.BirthDate.DayNumber > law.BirthRegistrationDays,
            FollowUp(notification, settings, clock.GetUtcNow()));
    }

    public static bool FollowUp(BirthNotification n, BirthNotificationSettings settings, DateTimeOffset now) =>
        n.Status == BirthNotification.Pending && n.NotifiedAt <= now - settings.FollowUpAfter;

    private static NamedPerson? Named(Person? p) => p is null ? null : new(p.NationalCode, p.GivenName, p.FamilyName);
}

/// <summary>Notifications by status, office and facility, oldest first; <c>FollowUpOnly</c>: pending ones past the follow-up time.</summary>
public sealed record ListBirthNotificationsQuery(string Status, string? OfficeCode, string? FacilityId, bool FollowUpOnly, Paging Paging)
    : IQuery<Listing<BirthNotification>>;

public sealed class ListBirthNotificationsHandler(IQuerySession session, IOptions<BirthNotificationSettings> settings, TimeProvider clock)
    : IQueryHandler<ListBirthNotificationsQuery, Listing<BirthNotification>>
{
    public async ValueTask<Listing<BirthNotification>> Handle(ListBirthNotificationsQuery query, CancellationToken cancellationToken)
    {
        var matching = session.Query<BirthNotification>().Where(n => n.Status == query.Status);
        if (query.OfficeCode is { } office) matching = matching.Where(n => n.OfficeCode == office);
        if (query.FacilityId is { } facility) matching = matching.Where(n => n.FacilityId == facility);
        if (query.FollowUpOnly)
        {
            var due = clock.GetUtcNow() - settings.Value.FollowUpAfter;
            matching = matching.Where(n => n.Status == BirthNotification.Pending && n.NotifiedAt <= due);
        }
        return await matching.PageAsync(q => q.OrderBy(n => n.NotifiedAt).ThenBy(n => n.Id), query.Paging, cancellationToken);
    }
}

/// <summary>
/// One notification in detail; a facility's user sees only their facility's. It shows the mother (and father) by name, so the read
/// is in the mother's access log, like a read of her record.
/// </summary>
public sealed record GetBirthNotificationQuery(Guid Id, string? FacilityId) : IQuery<BirthNotificationDetail?>;

public sealed class GetBirthNotificationHandler(IQuerySession session, IOptions<BirthNotificationSettings> settings, RegistryLaw law, TimeProvider clock,
    AccessLog log, RequestContext context) : IQueryHandler<GetBirthNotificationQuery, BirthNotificationDetail?>
{
    public async ValueTask<BirthNotificationDetail?> Handle(GetBirthNotificationQuery query, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<BirthNotification>(query.Id, cancellationToken) is not { } n || (query.FacilityId is not null && n.FacilityId != query.FacilityId))
            return null;
        var detail = await BirthNotificationDetails.OfAsync(session, n, settings.Value, law, clock, cancellationToken);
        await log.RecordAsync(context, AccessedResource.BirthNotification, n.MotherNationalCode, context.Purpose, n.Id.ToString(), 200, cancellationToken);
        return detail;
    }
}

/// <summary>The notified births waiting for the citizen: as the mother, or as the husband of the mother (the father, when named, being him).</summary>
public sealed record ListMyBirthNotificationsQuery(string NationalCode) : IQuery<IReadOnlyList<BirthNotificationDetail>>;

public sealed class ListMyBirthNotificationsHandler(IQuerySession session, IOptions<BirthNotificationSettings> settings, RegistryLaw law, TimeProvider clock)
    : IQueryHandler<ListMyBirthNotificationsQuery, IReadOnlyList<BirthNotificationDetail>>
{
    public async ValueTask<IReadOnlyList<BirthNotificationDetail>> Handle(ListMyBirthNotificationsQuery query, CancellationToken cancellationToken)
    {
        var me = query.NationalCode;
        var self = await session.LoadAsync<PersonSnapshot>(me, cancellationToken);
        var wives = self?.Spouses.Where(s => s.Current).Select(s => s.NationalCode).ToArray() ?? [];
        var pending = await session.Query<BirthNotification>()
            .Where(n => n.Status == BirthNotification.Pending && (n.MotherNationalCode == me || n.MotherNationalCode.IsOneOf(wives)))
            .OrderBy(n => n.BirthDate).ThenBy(n => n.MultipleBirthOrder).ThenBy(n => n.Id)
            .ToListAsync(cancellationToken);
        var today = clock.Today();
        var mine = new List<BirthNotificationDetail>();
        foreach (var n in pending)
        {
            var mother = await session.Events.AggregateStreamAsync<Person>(n.MotherNationalCode, token: cancellationToken);
            if (mother is not null && BirthNotificationDecision.Pending(mother, n.Id) is { } notified
                && BirthNotificationDecision.MayComplete(notified, mother, me, today) is null)
                mine.Add(await BirthNotificationDetails.OfAsync(session, n, mother, settings.Value, law, clock, cancellationToken));
        }
        return mine;
    }
}

public static class ListBirthNotificationsEndpoints
{
    private static readonly string[] Readers = [Roles.Registrar, Roles.Supervisor, Roles.Auditor, Roles.Hospital];

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/birth-notifications", async Task<Results<Ok<Listing<BirthNotification>>, ProblemHttpResult>> (
                [OneOf(typeof(BirthNotification), nameof(BirthNotification.Statuses))] string? status, string? office, bool? followUp, int? page, int? pageSize,
                IMediator mediator, RequestContext context, CancellationToken ct) =>
            {
                if (QueueFilter.TryParse(status, BirthNotification.Statuses, BirthNotification.Pending, office, null, page, pageSize, out var filter) is { } error)
                    return Problems.Invalid("birthNotification.invalidFilter", error);
                var facility = HospitalOnly(context);
                return TypedResults.Ok(await mediator.Send(new ListBirthNotificationsQuery(filter.Status, filter.OfficeCode, facility, followUp == true, filter.Paging), ct));
            })
            .RequireAuthorization(p => p.RequireRole(Readers))
            .ConditionalRead()
            .WithName("ListBirthNotifications")
            .WithSummary("Notified births by status (pending by default) and office, oldest first, paged; followUp=true: the pending ones past the follow-up time (the registrars' queue). A facility's users see only their facility's.");

        api.MapGet("/birth-notifications/{id:guid}", async Task<Results<Ok<BirthNotificationDetail>, ProblemHttpResult>> (Guid id, IMediator mediator,
                RequestContext context, CancellationToken ct) =>
                Listings.Found(await mediator.Send(new GetBirthNotificationQuery(id, HospitalOnly(context)), ct), "birthNotification.notFound",
                    $"No birth notification {id} exists."))
            .RequireAuthorization(p => p.RequireRole(Readers))
            .ConditionalRead()
            .WithName("GetBirthNotification")
            .WithSummary("One notified birth, the people it names and, while it waits, the registration completing it would make (father, family name, late or not).");

        api.MapGet("/me/birth-notifications", async Task<Ok<IReadOnlyList<BirthNotificationDetail>>> (IMediator mediator, RequestContext context, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListMyBirthNotificationsQuery(Me.Code(context)), ct)))
            .RequireAuthorization(Roles.CitizenPolicy)
            .ConditionalRead()
            .WithName("ListMyBirthNotifications")
            .WithSummary("The births notified by a facility that the citizen may confirm online: as the mother, or as the husband the registry shows married to her.");
    }

    /// <summary>The facility a caller is limited to: a hospital user's own (an office's staff see every facility's).</summary>
    private static string? HospitalOnly(RequestContext context) =>
        context.Roles.Overlaps([Roles.Registrar, Roles.Supervisor, Roles.Auditor]) ? null : context.FacilityId ?? string.Empty;
}
