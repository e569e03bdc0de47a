using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.History;

public static class GetHistoryEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/persons/{nationalCode}/history", async (string nationalCode, IQuerySession session, CancellationToken ct) =>
            {
                if (NationalCode.Validate(nationalCode, out var code) is { } error)
                    return Problems.Of(StatusCodes.Status400BadRequest, error, $"'{nationalCode}' is not a valid national code.");
                return await session.LoadAsync<PersonHistory>(code, ct) is { } history ? Results.Ok(history) : Problems.PersonNotFound(code);
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .WithName("GetHistory").WithTags("History")
            .WithSummary("A person's audit history: one entry per event, with who, when, office, why, and old → new values of corrections.")
            .Produces<PersonHistory>();
}
