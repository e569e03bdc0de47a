using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Feeds;

public sealed record FeedResponse(IReadOnlyList<JsonElement> Events, string Next);

/// <summary>
/// The ordered global feed: catch-up pages (<c>GET /api/feed</c>) and a live Server-Sent Events stream
/// (<c>GET /api/feed/stream</c>) that catches up and then tails. A subscriber sees what its token's scope allows;
/// auditors and admins see everything. The cursor is the global sequence of the last event considered.
/// </summary>
public static class GetFeedEndpoints
{
    public const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/feed", async (string? after, string? types, string? provinces, int? limit, HttpContext http, FeedReader feed, CancellationToken ct) =>
            {
                if (Read(http.User, after, types, provinces, out var cursor, out var filter, out var scope) is { } problem) return problem;
                if (limit is < 1 or > MaxLimit)
                    return Problems.Of(StatusCodes.Status400BadRequest, "feed.invalidLimit", $"limit is from 1 to {MaxLimit}.");
                var page = await feed.ReadAsync(cursor, filter, limit ?? 100, ct);
                return Results.Ok(new FeedResponse([.. page.Events.Select(e => CloudEvents.ToJson(e, scope))], page.Next.ToString()));
            })
            .RequireAuthorization(Roles.FeedPolicy)
            .WithName("ReadFeed").WithTags("Feed")
            .WithSummary("Events in commit order after a cursor, as CloudEvents 1.0 JSON, with the next cursor; filtered by types and provinces (slugs) within the reader's scope.")
            .Produces<FeedResponse>();

        app.MapGet("/api/feed/stream", (string? after, string? types, string? provinces, HttpContext http, FeedReader feed, IConfiguration configuration,
                CancellationToken ct) =>
            {
                var resume = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? after;
                if (Read(http.User, resume, types, provinces, out var cursor, out var filter, out var scope) is { } problem) return problem;
                var heartbeat = TimeSpan.FromSeconds(configuration.GetValue("VitalEvents:Feed:HeartbeatSeconds", 15));
                return TypedResults.ServerSentEvents(Tail(feed, cursor, filter, scope, heartbeat, ct));
            })
            .RequireAuthorization(Roles.FeedPolicy)
            .WithName("StreamFeed").WithTags("Feed")
            .WithSummary("Server-Sent Events from a cursor (or Last-Event-ID): catches up, then tails; heartbeat events keep the connection alive.");
    }

    private static async IAsyncEnumerable<SseItem<string>> Tail(FeedReader feed, long cursor, FeedFilter filter, FeedScope scope, TimeSpan heartbeat,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var quietSince = DateTimeOffset.UtcNow;
        while (!ct.IsCancellationRequested)
        {
            FeedPage page;
            try
            {
                page = await feed.ReadAsync(cursor, filter, 500, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            foreach (var e in page.Events)
                yield return new SseItem<string>(CloudEvents.ToJson(e, scope).GetRawText(), e.Type) { EventId = e.Sequence.ToString() };
            cursor = page.Next;
            if (page.Events.Count > 0) quietSince = DateTimeOffset.UtcNow;
            else if (DateTimeOffset.UtcNow - quietSince >= heartbeat)
            {
                quietSince = DateTimeOffset.UtcNow;
                yield return new SseItem<string>(cursor.ToString(), "heartbeat");
            }
            if (page.Events.Count == 0)
            {
                try
                {
                    await Task.Delay(250, ct);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>The reader's scope, cursor and filter; a problem when any is not acceptable.</summary>
    private static IResult? Read(ClaimsPrincipal user, string? after, string? types, string? provinces, out long cursor, out FeedFilter filter,
        out FeedScope scope)
    {
        (cursor, filter) = (0, FeedFilter.All);
        scope = user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin) ? FeedScopes.Find("full")! : FeedScopes.Find(user.FindFirstValue("scope"))!;
        if (scope is null)
            return Problems.Of(StatusCodes.Status403Forbidden, "feed.noScope", $"The token carries no known feed scope ({string.Join(", ", FeedScopes.Names)}).");
        if (after is not null && (!long.TryParse(after, out cursor) || cursor < 0))
            return Problems.Of(StatusCodes.Status400BadRequest, "feed.invalidCursor", $"'{after}' is not a feed cursor.");
        var typeSet = Split(types);
        if (typeSet.FirstOrDefault(t => !EventNames.All.Values.Contains(t)) is { } unknown)
            return Problems.Of(StatusCodes.Status400BadRequest, "feed.unknownType", $"'{unknown}' is not a stored event name.");
        if (!scope.AllowsAllTypes) typeSet = typeSet.Count == 0 ? [.. scope.Types] : [.. typeSet.Where(scope.Allows)];
        if (!scope.AllowsAllTypes && typeSet.Count == 0)
            return Problems.Of(StatusCodes.Status403Forbidden, "feed.typeOutsideScope", $"The scope '{scope.Name}' allows none of the types asked for.");
        var provinceSet = Split(provinces);
        var slugs = Offices.List.Select(o => o.ProvinceSlug).ToHashSet();
        if (provinceSet.FirstOrDefault(p => !slugs.Contains(p)) is { } unknownProvince)
            return Problems.Of(StatusCodes.Status400BadRequest, "feed.unknownProvince", $"'{unknownProvince}' is not a province ({string.Join(", ", slugs)}).");
        filter = new FeedFilter(typeSet, provinceSet);
        return null;
    }

    private static HashSet<string> Split(string? list) =>
        [.. (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
