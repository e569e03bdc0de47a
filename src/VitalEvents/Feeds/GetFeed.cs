using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VitalEvents.Domain;
using VitalEvents.Http;
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

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/feed", async Task<Results<Ok<FeedResponse>, ProblemHttpResult>> (string? after, string? types, string? provinces, int? limit,
                HttpContext http, FeedReader feed, CancellationToken ct) =>
            {
                if (Read(http.User, http.RequestServices.GetRequiredService<RequestContext>(), after, types, provinces, out var cursor, out var filter, out var scope) is { } problem) return problem;
                if (limit is < 1 or > MaxLimit) return Problems.Invalid("feed.invalidLimit", $"limit is from 1 to {MaxLimit}.");
                var page = await feed.ReadAsync(cursor, filter, limit ?? 100, ct);
                return TypedResults.Ok(new FeedResponse([.. page.Events.Select(e => CloudEvents.ToJson(e, scope))], page.Next.ToString()));
            })
            .RequireAuthorization(Roles.FeedPolicy)
            .WithName("ReadFeed")
            .WithSummary("Events in commit order after a cursor, as CloudEvents 1.0 JSON, with the next cursor; filtered by types and provinces (slugs) within the reader's scope.");

        api.MapGet("/feed/stream", (string? after, string? types, string? provinces, HttpContext http, FeedReader feed, IOptions<FeedSettings> settings,
                CancellationToken ct) =>
            {
                var resume = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? after;
                if (Read(http.User, http.RequestServices.GetRequiredService<RequestContext>(), resume, types, provinces, out var cursor, out var filter, out var scope) is { } problem) return (IResult)problem;
                return TypedResults.ServerSentEvents(Tail(feed, cursor, filter, scope, TimeSpan.FromSeconds(settings.Value.HeartbeatSeconds), ct));
            })
            .RequireAuthorization(Roles.FeedPolicy)
            .WithName("StreamFeed")
            .WithSummary("Server-Sent Events from a cursor (or Last-Event-ID): catches up, then tails; heartbeat events keep the connection alive.")
            .WithDescription("Each message's event is the CloudEvent's type (or heartbeat), its id the event's sequence (send it back as Last-Event-ID " +
                "to resume), and its data the CloudEvent as JSON (schema CloudEvent); a heartbeat's data is the cursor.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream");
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
    private static ProblemHttpResult? Read(ClaimsPrincipal user, RequestContext context, string? after, string? types, string? provinces, out long cursor, out FeedFilter filter,
        out FeedScope scope)
    {
        (cursor, filter) = (0, FeedFilter.All);
        scope = user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Admin)
            ? FeedScopes.Find("full")!
            : context.Scopes.Select(FeedScopes.Find).FirstOrDefault(s => s is not null)!;
        if (scope is null)
            return Problems.Of(StatusCodes.Status403Forbidden, "feed.noScope", $"The token carries no known feed scope ({string.Join(", ", FeedScopes.Names)}).");
        if (after is not null && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out cursor) || cursor < 0))
            return Problems.Invalid("feed.invalidCursor", "after (or Last-Event-ID) is not a feed cursor (a whole number).");
        var typeSet = Split(types);
        if (typeSet.Any(t => !EventNames.All.Values.Contains(t)))
            return Problems.Invalid("feed.unknownType", "types names stored event types such as death_registered.v2.");
        if (!scope.AllowsAllTypes) typeSet = typeSet.Count == 0 ? [.. scope.Types] : [.. typeSet.Where(scope.Allows)];
        if (!scope.AllowsAllTypes && typeSet.Count == 0)
            return Problems.Of(StatusCodes.Status403Forbidden, "feed.typeOutsideScope", $"The scope '{scope.Name}' allows none of the types asked for.");
        var provinceSet = Split(provinces);
        if (provinceSet.Any(p => !Offices.ProvinceSlugs.Contains(p)))
            return Problems.Invalid("feed.unknownProvince", "provinces names province slugs such as tehran or east-azerbaijan.");
        filter = new FeedFilter(typeSet, provinceSet);
        return null;
    }

    private static HashSet<string> Split(string? list) =>
        [.. (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
