using System.Text.Json;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Verifications;

/// <summary>One change of an agency: who made it, when, and the agency before (none when it was registered) and after.</summary>
public sealed record AgencyChange(long Id, DateTimeOffset At, string AgencyId,
    [property: OneOf(typeof(AgencyChangeLog), nameof(AgencyChangeLog.Actions))] string Action, string UserId, AgencyView? Before, AgencyView After,
    string CorrelationId);

/// <summary>
/// The append-only record of every change to an agency, written in the transaction of the change itself (so neither is kept
/// without the other); the application's role may only INSERT and SELECT here.
/// </summary>
public sealed class AgencyChangeLog([FromKeyedServices(VerificationsSetup.DataSourceKey)] NpgsqlDataSource dataSource, StoreSettings settings,
    RequestContext context)
{
    public const string TableName = "agency_changes";
    public const string Registered = "registered";
    public const string Changed = "changed";
    public const string Suspended = "suspended";
    public const string Resumed = "resumed";
    public static readonly string[] Actions = [Registered, Changed, Suspended, Resumed];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static string Sql(string schema) => $"""
        create table if not exists {schema}.{TableName} (
            id bigint generated always as identity primary key,
            at timestamptz not null default now(),
            agency_id text not null,
            action text not null,
            user_id text not null,
            before jsonb,
            after jsonb not null,
            correlation_id text not null
        );
        create index if not exists {TableName}_agency on {schema}.{TableName} (agency_id, id desc);
        """;

    public static string Json(AgencyView view) => JsonSerializer.Serialize(view, JsonOptions);

    /// <summary>Queues the change's row in the session: it is inserted when, and only if, the session commits.</summary>
    public void Queue(IDocumentSession session, string action, AgencyView? before, Agency after) =>
        session.QueueSqlCommand($"""
            insert into {settings.Schema}.{TableName} (agency_id, action, user_id, before, after, correlation_id)
            values (?, ?, ?, nullif(?, '')::jsonb, ?::jsonb, ?)
            """, after.Id, action, context.UserId, before is null ? "" : Json(before), Json(AgencyView.Of(after)), context.CorrelationId);

    /// <summary>An agency's changes, newest first.</summary>
    public async Task<IReadOnlyList<AgencyChange>> ReadAsync(string agencyId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select id, at, agency_id, action, user_id, before::text, after::text, correlation_id from {settings.Schema}.{TableName}
            where agency_id = $1 order by id desc
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = agencyId });
        var changes = new List<AgencyChange>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            changes.Add(new AgencyChange(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : JsonSerializer.Deserialize<AgencyView>(reader.GetString(5), JsonOptions),
                JsonSerializer.Deserialize<AgencyView>(reader.GetString(6), JsonOptions)!, reader.GetString(7)));
        return changes;
    }
}

public sealed record GetAgencyChangesQuery(string Id) : IQuery<IReadOnlyList<AgencyChange>?>;

public sealed class GetAgencyChangesHandler(IQuerySession session, AgencyChangeLog changes) : IQueryHandler<GetAgencyChangesQuery, IReadOnlyList<AgencyChange>?>
{
    public async ValueTask<IReadOnlyList<AgencyChange>?> Handle(GetAgencyChangesQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<Agency>(query.Id, cancellationToken) is null ? null : await changes.ReadAsync(query.Id, cancellationToken);
}

public static class GetAgencyChangesEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/agencies/{id}/changes", async Task<Results<Ok<IReadOnlyList<AgencyChange>>, ProblemHttpResult>> (string id, IMediator mediator,
                CancellationToken ct) =>
                Listings.Found(await mediator.Send(new GetAgencyChangesQuery(id), ct), "agency.notFound", $"There is no agency {id}."))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Auditor))
            .ConditionalRead()
            .WithName("GetAgencyChanges")
            .WithSummary("Every change to an agency, newest first: who, when, the agency before and after. Admins and auditors.");
}
