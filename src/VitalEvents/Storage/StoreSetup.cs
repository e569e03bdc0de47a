using JasperFx;
using JasperFx.OpenTelemetry;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Storage;

/// <summary>
/// Where the registry keeps its data. The application connects with <paramref name="ConnectionString"/> (a role that can
/// append events but never change them); the schema is applied with <paramref name="OwnerConnectionString"/>. Reads that may
/// trail go to <see cref="ReadConnectionString"/> when it is set (hot standbys; <see cref="ReadConnections"/>).
/// </summary>
public sealed record StoreSettings(string ConnectionString, string Schema = "vitalevents", bool ApplySchemaOnStart = true,
    string? OwnerConnectionString = null)
{
    public string Owner => OwnerConnectionString ?? ConnectionString;

    /// <summary>The standbys' connection (the application's role), or null to read everything from the primary.</summary>
    public string? ReadConnectionString { get; init; }

    /// <summary>How long a read carrying a consistency token waits for a standby to replay it before going to the primary.</summary>
    public TimeSpan ReadWait { get; init; } = TimeSpan.FromSeconds(1);
}

public static class StoreSetup
{
    /// <summary>The connection string used when VITALEVENTS_DB is not set: the project-local cluster the scripts run.</summary>
    public const string LocalConnectionString = "Host=127.0.0.1;Port=55432;Database=vitalevents;Username=vitalevents;Password=vitalevents";

    /// <summary>The owner's connection string used when VITALEVENTS_OWNER_DB is not set.</summary>
    public const string LocalOwnerConnectionString =
        "Host=127.0.0.1;Port=55432;Database=vitalevents;Username=vitalevents_owner;Password=vitalevents_owner";

    /// <summary>
    /// The application's pool settings, where the connection string does not set them itself: no <c>DISCARD ALL</c> when a
    /// connection goes back to the pool (the registry keeps no session state on a connection: no SET, and the one session advisory
    /// lock, a webhook delivery's, is released explicitly), and statements used twice prepared, up to 64 a connection.
    /// </summary>
    public static string Pooled(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var pooled = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("NoResetOnClose")) pooled.NoResetOnClose = true;
        if (!given.Contains("MaxAutoPrepare")) pooled.MaxAutoPrepare = 64;
        if (!given.Contains("AutoPrepareMinUsages")) pooled.AutoPrepareMinUsages = 2;
        return pooled.ConnectionString;
    }

    /// <summary>
    /// A data source for a connection string. Several hosts with a target session (the primary of a replicated cluster: <c>Host=a,b;
    /// Target Session Attributes=read-write</c>) make a multi-host source that finds the server of that kind, again after a failover
    /// (Npgsql's data source builder refuses the target session in the string itself); one for each such string, shared.
    /// </summary>
    public static NpgsqlDataSource DataSource(string connectionString) =>
        IsMultiHostTarget(connectionString, out _) ? MultiHost.GetOrAdd(connectionString, BuildMultiHost) : NpgsqlDataSource.Create(connectionString);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, NpgsqlDataSource> MultiHost = new();

    private static bool IsMultiHostTarget(string connectionString, out NpgsqlConnectionStringBuilder builder)
    {
        builder = new NpgsqlConnectionStringBuilder(connectionString);
        return builder.Host?.Contains(',') == true && builder.TargetSessionAttributes is { Length: > 0 };
    }

    private static NpgsqlDataSource BuildMultiHost(string connectionString)
    {
        IsMultiHostTarget(connectionString, out var builder);
        var target = Enum.Parse<TargetSessionAttributes>(builder.TargetSessionAttributes!.Replace("-", ""), ignoreCase: true);
        builder.TargetSessionAttributes = null;
        return new NpgsqlDataSourceBuilder(builder.ConnectionString).BuildMultiHost().WithTargetSession(target);
    }

    /// <summary>
    /// The event store (one stream per person, keyed by national code; every event's stored name and metadata), the decision
    /// state folded live for writes, then each capability's documents, projections and schema objects.
    /// </summary>
    public static void Configure(StoreOptions opts, string connectionString, string schema, AutoCreate autoCreate)
    {
        // Marten shares one data source for each connection string; a replicated cluster's is ours, shared likewise.
        if (IsMultiHostTarget(connectionString, out _)) opts.Connection(DataSource(connectionString));
        else opts.Connection(connectionString);
        opts.DatabaseSchemaName = schema;
        opts.Events.DatabaseSchemaName = schema;
        opts.AutoCreateSchemaObjects = autoCreate;

        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.MetadataConfig.EnableAll();
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.Events.EnableUniqueIndexOnEventId = true;
        foreach (var (type, name) in EventNames.All) opts.Events.MapEventType(type, name);
        opts.Events.Upcast<DeathRegisteredV1, DeathRegistered>(DeathRegisteredV1.StoredName, v1 => v1.Upcast());

        // A commit is never retried behind the caller's back: its outcome is established once (Commit.SaveAsync), and the
        // caller retries with its Idempotency-Key.
        opts.ConfigureWritePolly(_ => { });
        opts.OpenTelemetry.TrackConnections = TrackLevel.Normal;
        opts.OpenTelemetry.TrackEventCounters();

        // The async projections run on the service instances' daemons (AddAsyncDaemon); a store without one (the command line, the
        // owner's) leaves them to those instances.
        opts.Projections.AsyncMode = DaemonMode.ExternallyManaged;

        opts.Schema.For<Person>().Identity(x => x.NationalCode);
        opts.Projections.Add(new PersonAggregation(), ProjectionLifecycle.Live);
        opts.Schema.For<IdempotencyRecord>().Index(r => r.RecordedAt);

        foreach (var capability in Capabilities.All) capability.Store(opts);
    }

    /// <summary>
    /// Registers the document store and lightweight sessions, and Marten's async daemon for the async projections (HotCold: each
    /// projection runs on one instance at a time, another takes over when it goes). The application never changes the schema
    /// itself; where allowed (development) the owner's connection applies it on start.
    /// </summary>
    public static IServiceCollection AddVitalEventsStore(this IServiceCollection services, StoreSettings settings, DaemonMode daemon)
    {
        services.AddSingleton(settings);
        services.AddSingleton<ReadConnections>();
        if (settings.ApplySchemaOnStart) services.AddHostedService<SchemaOnStartup>();
        services.AddSingleton<MartenLogging>();
        var marten = services.AddMarten(provider =>
        {
            var opts = new StoreOptions();
            Configure(opts, settings.ConnectionString, settings.Schema, AutoCreate.None);
            opts.Logger(provider.GetRequiredService<MartenLogging>());
            return opts;
        }).UseLightweightSessions();
        if (daemon != DaemonMode.Disabled) marten.AddAsyncDaemon(daemon);
        return services;
    }
}
