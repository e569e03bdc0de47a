using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Audit;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Identity;

public static class GetPersonEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/persons/{nationalCode}", async (string nationalCode, string? asOf, long? version, IQuerySession session,
                HttpContext http, CancellationToken ct) =>
            {
                if (NationalCode.Validate(nationalCode, out var code) is { } error)
                    return Problems.Of(StatusCodes.Status400BadRequest, error, $"'{nationalCode}' is not a valid national code.");
                DateTimeOffset? instant = null;
                if (asOf is not null)
                {
                    if (Instants.TryParse(asOf, out var parsed) is { } asOfError)
                        return Problems.Of(StatusCodes.Status400BadRequest, "asOf.invalid", asOfError);
                    instant = parsed;
                }
                if (version is < 1) return Problems.Of(StatusCodes.Status400BadRequest, "version.invalid", "version starts at 1.");

                var snapshot = instant is null && version is null
                    ? await session.LoadAsync<PersonSnapshot>(code, ct)
                    : await session.Events.AggregateStreamAsync<PersonSnapshot>(code, version ?? 0, instant, token: ct);
                if (snapshot is null)
                    return instant is null && version is null
                        ? Problems.PersonNotFound(code)
                        : Problems.Of(StatusCodes.Status404NotFound, "person.notFoundAtThatPoint", $"{code} had no record at that point.");
                var etag = $"\"{snapshot.Version}\"";
                http.Response.Headers.ETag = etag;
                if (instant is null && version is null && http.Request.Headers.IfNoneMatch == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
                return Results.Ok(await Family.ResolveAsync(snapshot, session, ct));
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .RecordsReadsOf(AccessedResource.Snapshot)
            .WithName("GetPerson").WithTags("Identity")
            .WithSummary("A person's identity snapshot: current, or as of an instant (asOf) or a stream version (version). ETag = version.")
            .Produces<PersonSnapshot>();
}
