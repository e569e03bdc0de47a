using JasperFx.Events.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VitalEvents.Identity;

/// <summary>Each person's identity snapshot, and finding people by name.</summary>
public static class IdentitySetup
{
    public static Capability Capability { get; } = new("identity")
    {
        Store = opts =>
        {
            opts.Schema.For<PersonSnapshot>().Identity(x => x.NationalCode)
                .Duplicate(x => x.SearchGivenName, configure: Trigram)
                .Duplicate(x => x.SearchFamilyName, configure: Trigram)
                .Duplicate(x => x.SearchFatherName, configure: Trigram)
                .Index([x => x.SearchFamilyName, x => x.SearchGivenName, x => x.NationalCode], index => index.Name = "mt_doc_personsnapshot_idx_search_exact");
            opts.Projections.Add(new PersonSnapshotProjection(), ProjectionLifecycle.Inline);
            opts.Storage.ExtendedSchemaObjects.Add(new Weasel.Postgresql.Extension("pg_trgm"));
        },
        Endpoints = app =>
        {
            var api = app.MapGroup("").WithTags("Identity");
            GetPersonEndpoint.Map(api);
            SearchPersonsEndpoint.Map(api);
        },
    };

    private static void Trigram(Marten.Schema.DocumentIndex index)
    {
        index.Method = Weasel.Postgresql.Tables.IndexMethod.gin;
        index.Mask = "? gin_trgm_ops";
    }
}
