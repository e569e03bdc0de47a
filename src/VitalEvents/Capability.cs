using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace VitalEvents;

/// <summary>
/// One capability of the registry, as it registers itself: its Marten configuration (documents, projections, schema
/// objects), its services, its endpoints under <c>/api</c>, and the database objects the schema's owner applies after
/// Marten's (with the tables the application may only append to, or only read).
/// </summary>
public sealed record Capability(string Name)
{
    public Action<StoreOptions> Store { get; init; } = _ => { };
    public Action<IServiceCollection, IConfiguration> Services { get; init; } = (_, _) => { };
    public Action<IEndpointRouteBuilder> Endpoints { get; init; } = _ => { };

    /// <summary>Endpoints outside <c>/api</c>, mapped at the root (a standard's own base path, such as <c>/fhir</c>).</summary>
    public Action<IEndpointRouteBuilder> RootEndpoints { get; init; } = _ => { };

    /// <summary>Idempotent DDL for the schema (the argument), run by the owner after Marten's schema is applied.</summary>
    public Func<string, string>? OwnerSql { get; init; }

    /// <summary>Tables the application role may insert into and read, never change.</summary>
    public IReadOnlyList<string> AppendOnlyTables { get; init; } = [];

    /// <summary>Tables the application role may only read (the owner's triggers write them).</summary>
    public IReadOnlyList<string> ReadOnlyTables { get; init; } = [];
}
