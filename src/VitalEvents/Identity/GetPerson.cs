using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Audit;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Identity;

/// <summary>
/// A person's identity snapshot with the current names of their relatives: now, as of an instant, or as at a version of their
/// stream. Every read is in the access log.
/// </summary>
public sealed record GetPersonQuery(string NationalCode, DateTimeOffset? AsOf = null, long? Version = null) : IQuery<PersonSnapshot?>, IRecordedRead
{
    public string Resource => AccessedResource.Snapshot;
    public string? Detail => AsOf is { } asOf ? $"asOf={asOf:O}" : Version is { } version ? $"version={version}" : null;
}

public sealed class GetPersonHandler(IQuerySession session) : IQueryHandler<GetPersonQuery, PersonSnapshot?>
{
    public async ValueTask<PersonSnapshot?> Handle(GetPersonQuery query, CancellationToken cancellationToken)
    {
        if (query.AsOf is null && query.Version is null) return await Family.LoadCurrentAsync(session, query.NationalCode, cancellationToken);
        var snapshot = await session.Events.AggregateStreamAsync<PersonSnapshot>(query.NationalCode, query.Version ?? 0, query.AsOf, token: cancellationToken);
        return snapshot is null ? null : await Family.ResolveAsync(snapshot, session, cancellationToken);
    }
}

public static class GetPersonEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/persons/{nationalCode}", async Task<Results<Ok<PersonSnapshot>, ProblemHttpResult>> (string nationalCode, string? asOf,
                long? version, IMediator mediator, CancellationToken ct) =>
            {
                if (NationalCode.Validate(nationalCode, out var code) is { } error)
                    return Problems.Invalid(error, $"The path does not name a valid national code ({error}).");
                DateTimeOffset? instant = null;
                if (asOf is not null)
                {
                    if (Instants.TryParse(asOf, out var parsed) is { } asOfError) return Problems.Invalid("asOf.invalid", asOfError);
                    instant = parsed;
                }
                if (version is < 1) return Problems.Invalid("version.invalid", "version starts at 1.");
                if (await mediator.Send(new GetPersonQuery(code, instant, version), ct) is { } snapshot) return TypedResults.Ok(snapshot);
                return instant is null && version is null
                    ? Problems.PersonNotFound(code)
                    : Problems.NotFound("person.notFoundAtThatPoint", $"{code} had no record at that point.");
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .RecordsReads()
            .ConditionalRead()
            .WithName("GetPerson")
            .WithSummary("A person's identity snapshot: current, or as of an instant (asOf) or a stream version (version), with relatives' current names. " +
                "The ETag starts with the record's version (for If-Match on writes) and covers everything the answer shows.");
}
