using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Audit;
using VitalEvents.Domain;
using VitalEvents.History;
using VitalEvents.Http;
using VitalEvents.Identity;
using VitalEvents.Pipeline;

namespace VitalEvents.Citizens;

/// <summary>Who the signed-in citizen is.</summary>
public static class Me
{
    /// <summary>The citizen's national code; a citizen token whose user is not a valid national code may read nothing.</summary>
    public static string Code(RequestContext context) => context.CitizenCode ?? throw new RuleViolationException(new RuleViolation("citizen.noNationalCode",
        "Your sign-in does not name a valid national code, so no record is yours to read.", ViolationKind.Forbidden));
}

/// <summary>A relative as the citizen's booklet shows them; <c>Readable</c> when the citizen may open their record (a minor child, a current spouse).</summary>
public sealed record FamilyMember(
    [property: OneOf(typeof(FamilyMember), nameof(FamilyMember.Relations))] string Relation, string? NationalCode, string? GivenName, string? FamilyName,
    [property: OneOf(nameof(Vocabulary.Sexes))] string? Sex, DateOnly? BirthDate, bool? Alive, bool Readable)
{
    public const string Mother = "mother", Father = "father", Spouse = "spouse", Child = "child", Guardian = "guardian";
    public static readonly string[] Relations = [Mother, Father, Spouse, Child, Guardian];
    public string? BirthDateSolarHijri => SolarHijri.Format(BirthDate);
}

/// <summary>The citizen's own record (the booklet view), their family, and their requests.</summary>
public sealed record MyRecord(PersonSnapshot Person, IReadOnlyList<FamilyMember> Family, IReadOnlyList<MyRequest> Requests);

/// <summary>The citizen reads their own record; the read is in the access log like anyone's.</summary>
public sealed record GetMyRecordQuery(string NationalCode) : IQuery<MyRecord?>, IRecordedRead
{
    public string Resource => AccessedResource.Snapshot;
    public string? Detail => "self";
}

public sealed class GetMyRecordHandler(IQuerySession session, RegistryLaw law, TimeProvider clock) : IQueryHandler<GetMyRecordQuery, MyRecord?>
{
    public async ValueTask<MyRecord?> Handle(GetMyRecordQuery query, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<PersonSnapshot>(query.NationalCode, cancellationToken) is not { } person) return null;
        person = await Family.ResolveAsync(person, session, cancellationToken);
        return new MyRecord(person, MyFamily.Of(person, law, clock.Today()), await ListMyRequestsHandler.LoadAsync(session, query.NationalCode, cancellationToken));
    }
}

/// <summary>The family the booklet shows, and whom of them the citizen may read: their minor children and current spouses.</summary>
public static class MyFamily
{
    public static IReadOnlyList<FamilyMember> Of(PersonSnapshot person, RegistryLaw law, DateOnly today)
    {
        var family = new List<FamilyMember>();
        if (person.Mother is { } mother) family.Add(new(FamilyMember.Mother, mother.NationalCode, mother.GivenName, mother.FamilyName, Vocabulary.Female, null, mother.Alive, false));
        if (person.Father is { } father) family.Add(new(FamilyMember.Father, father.NationalCode, father.GivenName, father.FamilyName, Vocabulary.Male, null, father.Alive, false));
        family.AddRange(person.Spouses.Where(s => s.Current)
            .Select(s => new FamilyMember(FamilyMember.Spouse, s.NationalCode, s.GivenName, s.FamilyName, null, null, null, person.Alive)));
        family.AddRange(person.Children.Select(c => new FamilyMember(FamilyMember.Child, c.NationalCode, c.GivenName, c.FamilyName, c.Sex, c.BirthDate, c.Alive,
            person.Alive && RegistryLaw.AgeOn(c.BirthDate, today) < law.AgeOfMajority)));
        if (person.Guardian is { } guardian) family.Add(new(FamilyMember.Guardian, guardian.NationalCode, guardian.Name, null, null, null, null, false));
        return family;
    }
}

/// <summary>
/// The record of a relative the citizen may read: a minor child's whole booklet view, or a current spouse's with only what the
/// two share (their marriage, their children). The read is in the relative's access log.
/// </summary>
public sealed record GetRelativeQuery(string Reader, string NationalCode) : IQuery<PersonSnapshot?>, IRecordedRead
{
    public string Resource => AccessedResource.Snapshot;
    public string? Detail => "relative";
}

public sealed class GetRelativeHandler(IQuerySession session, RegistryLaw law, TimeProvider clock) : IQueryHandler<GetRelativeQuery, PersonSnapshot?>
{
    public async ValueTask<PersonSnapshot?> Handle(GetRelativeQuery query, CancellationToken cancellationToken)
    {
        var both = (await session.LoadManyAsync<PersonSnapshot>(cancellationToken, query.Reader, query.NationalCode)).ToDictionary(p => p.NationalCode);
        var me = both.GetValueOrDefault(query.Reader);
        var relation = me is null ? null : MyFamily.Of(await Family.ResolveAsync(me, session, cancellationToken), law, clock.Today())
            .FirstOrDefault(m => m.Readable && m.NationalCode == query.NationalCode);
        if (relation is null || !both.TryGetValue(query.NationalCode, out var relative))
            throw new RuleViolationException(new RuleViolation("citizen.notYourFamily",
                "You may read your own record, your minor children's and your current spouse's; this is none of them.", ViolationKind.Forbidden));
        relative = await Family.ResolveAsync(relative, session, cancellationToken);
        if (relation.Relation == FamilyMember.Spouse)
        {
            relative.Spouses = relative.Spouses.Where(s => s.NationalCode == query.Reader).ToList();
            var ours = me!.Children.Select(c => c.NationalCode).ToHashSet();
            relative.Children = relative.Children.Where(c => ours.Contains(c.NationalCode)).ToList();
            relative.FoetalDeaths = [];
            relative.PendingCorrections = [];
        }
        return relative;
    }
}

public static class MeEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/me", async Task<Results<Ok<MyRecord>, ProblemHttpResult>> (IMediator mediator, RequestContext context, CancellationToken ct) =>
                await mediator.Send(new GetMyRecordQuery(Me.Code(context)), ct) is { } mine
                    ? TypedResults.Ok(mine)
                    : Problems.PersonNotFound(Me.Code(context)))
            .RequireAuthorization(Roles.CitizenPolicy)
            .RecordsReads()
            .ConditionalRead()
            .WithName("GetMyRecord")
            .WithSummary("Your own record as your booklet shows it, your family (whose records you may open: your minor children, your current spouse), " +
                "and your requests.");

        api.MapGet("/me/family/{nationalCode}", async Task<Results<Ok<PersonSnapshot>, ProblemHttpResult>> (string nationalCode, IMediator mediator,
                RequestContext context, CancellationToken ct) =>
            {
                if (NationalCode.Validate(nationalCode, out var code) is { } error)
                    return Problems.Invalid(error, $"The path does not name a valid national code ({error}).");
                return TypedResults.Ok((await mediator.Send(new GetRelativeQuery(Me.Code(context), code), ct))!);
            })
            .RequireAuthorization(Roles.CitizenPolicy)
            .RecordsReads()
            .ConditionalRead()
            .WithName("GetMyRelative")
            .WithSummary("The record of your minor child, or of your current spouse (what you two share); anyone else's is 403.");

        api.MapGet("/me/history", async Task<Results<Ok<HistoryPage>, ProblemHttpResult>> (int? page, int? pageSize, IMediator mediator,
                RequestContext context, CancellationToken ct) =>
            {
                if (Paging.TryParse(page, pageSize, out var paging) is { } pagingError) return Problems.Invalid("history.invalidFilter", pagingError);
                var code = Me.Code(context);
                return await mediator.Send(new GetHistoryQuery(code, new Period(null, null), null, paging), ct) is { } history
                    ? TypedResults.Ok(history)
                    : Problems.PersonNotFound(code);
            })
            .RequireAuthorization(Roles.CitizenPolicy)
            .RecordsReads()
            .ConditionalRead()
            .WithName("GetMyHistory")
            .WithSummary("The history of your record, oldest first: every registration and correction, when, at which office, on whose decision.");

        api.MapGet("/me/requests", async Task<Ok<IReadOnlyList<MyRequest>>> (IMediator mediator, RequestContext context, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListMyRequestsQuery(Me.Code(context)), ct)))
            .RequireAuthorization(Roles.CitizenPolicy)
            .ConditionalRead()
            .WithName("ListMyRequests")
            .WithSummary("Your correction requests, newest first, with where each stands.");
    }
}

/// <summary>A citizen's requests, newest first.</summary>
public sealed record ListMyRequestsQuery(string NationalCode) : IQuery<IReadOnlyList<MyRequest>>;

public sealed class ListMyRequestsHandler(IQuerySession session) : IQueryHandler<ListMyRequestsQuery, IReadOnlyList<MyRequest>>
{
    public async ValueTask<IReadOnlyList<MyRequest>> Handle(ListMyRequestsQuery query, CancellationToken cancellationToken) =>
        await LoadAsync(session, query.NationalCode, cancellationToken);

    public static async Task<IReadOnlyList<MyRequest>> LoadAsync(IQuerySession session, string nationalCode, CancellationToken ct) =>
        (await Marten.QueryableExtensions.ToListAsync(
            session.Query<CitizenRequest>().Where(r => r.NationalCode == nationalCode).OrderByDescending(r => r.FiledAt), ct))
        .Select(MyRequest.Of).ToList();
}
