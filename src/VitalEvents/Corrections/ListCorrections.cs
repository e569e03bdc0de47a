using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Pipeline;

namespace VitalEvents.Corrections;

public static class ListCorrectionsEndpoint
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/corrections", async (IQuerySession session, string? status, string? nationalCode, CancellationToken ct) =>
            {
                var wanted = status ?? "pending";
                var query = session.Query<CorrectionCase>().Where(c => c.Status == wanted);
                if (nationalCode is not null) query = query.Where(c => c.NationalCode == nationalCode);
                return await query.OrderBy(c => c.RequestedAt).Take(200).ToListAsync(ct);
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .WithName("ListCorrections").WithTags("Corrections")
            .WithSummary("Corrections by status (pending by default), oldest first.");

        app.MapGet("/api/corrections/{correctionId:guid}", async (Guid correctionId, IQuerySession session, CancellationToken ct) =>
                await session.LoadAsync<CorrectionCase>(correctionId, ct) is { } found
                    ? Results.Ok(found)
                    : Problems.Of(StatusCodes.Status404NotFound, "correction.notFound", $"No correction {correctionId} exists."))
            .RequireAuthorization(Roles.ReadPolicy)
            .WithName("GetCorrection").WithTags("Corrections");
    }
}
