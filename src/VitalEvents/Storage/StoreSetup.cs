using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Births;
using VitalEvents.Corrections;
using VitalEvents.Domain;
using VitalEvents.History;
using VitalEvents.Identity;
using VitalEvents.Marriages;
using VitalEvents.Pipeline;

namespace VitalEvents.Storage;

/// <summary>Where the registry keeps its data.</summary>
public sealed record StoreSettings(string ConnectionString, string Schema = "vitalevents", bool CreateSchemaObjects = true);

public static class StoreSetup
{
    /// <summary>The connection string used when VITALEVENTS_DB is not set: the project-local cluster the scripts run.</summary>
    public const string LocalConnectionString = "Host=127.0.0.1;Port=55432;Database=vitalevents;Username=vitalevents;Password=vitalevents";

    /// <summary>Every projection, with its lifecycle, in one place.</summary>
    public static void Configure(StoreOptions opts, StoreSettings settings)
    {
        opts.Connection(settings.ConnectionString);
        opts.DatabaseSchemaName = settings.Schema;
        opts.Events.DatabaseSchemaName = settings.Schema;
        opts.AutoCreateSchemaObjects = settings.CreateSchemaObjects ? AutoCreate.CreateOrUpdate : AutoCreate.None;

        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.MetadataConfig.EnableAll();
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.Events.EnableUniqueIndexOnEventId = true;
        foreach (var (type, name) in EventNames.All) opts.Events.MapEventType(type, name);

        opts.Schema.For<Person>().Identity(x => x.NationalCode);
        opts.Schema.For<PersonSnapshot>().Identity(x => x.NationalCode)
            .Duplicate(x => x.SearchGivenName, configure: Trigram)
            .Duplicate(x => x.SearchFamilyName, configure: Trigram)
            .Duplicate(x => x.SearchFatherName, configure: Trigram);
        opts.Schema.For<PersonHistory>().Identity(x => x.NationalCode);
        opts.Schema.For<IdempotencyRecord>();

        opts.Projections.Add(new PersonAggregation(), ProjectionLifecycle.Live);
        opts.Projections.Add(new PersonSnapshotProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new PersonHistoryProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new MarriageRecordProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new CorrectionCaseProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new BirthHoldProjection(), ProjectionLifecycle.Inline);

        opts.Storage.ExtendedSchemaObjects.Add(new Weasel.Postgresql.Extension("pg_trgm"));
        opts.Storage.ExtendedSchemaObjects.Add(NationalCodeIssuer.Table(settings.Schema));
    }

    private static void Trigram(Marten.Schema.DocumentIndex index)
    {
        index.Method = Weasel.Postgresql.Tables.IndexMethod.gin;
        index.Mask = "? gin_trgm_ops";
    }

    /// <summary>Registers the document store, lightweight sessions, and the schema applied on start where allowed.</summary>
    public static IServiceCollection AddVitalEventsStore(this IServiceCollection services, StoreSettings settings)
    {
        var marten = services.AddMarten(opts => Configure(opts, settings)).UseLightweightSessions();
        if (settings.CreateSchemaObjects) marten.ApplyAllDatabaseChangesOnStartup();
        services.AddSingleton(settings);
        return services;
    }
}
