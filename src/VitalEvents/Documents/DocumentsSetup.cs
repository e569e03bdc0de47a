using JasperFx.Events.Projections;
using Microsoft.Extensions.DependencyInjection;

namespace VitalEvents.Documents;

/// <summary>
/// Signed documents issued from the record (certificates and the electronic shenasnameh): issuing, their JSON and PDF
/// formats, revocation, and the public status, verification and key list.
/// </summary>
public static class DocumentsSetup
{
    public static Capability Capability { get; } = new("documents")
    {
        Store = opts =>
        {
            opts.Projections.Add(new IssuedDocumentProjection(), ProjectionLifecycle.Inline);
            opts.Schema.For<IssuedDocument>().Index(d => d.NationalCode);
            opts.Storage.ExtendedSchemaObjects.Add(DocumentSerials.Table(opts.DatabaseSchemaName));
        },
        Services = (services, configuration) =>
        {
            services.AddSingleton(DocumentSettings.From(configuration));
            services.AddSingleton<IDocumentKeyStore, FileDocumentKeyStore>();
        },
        Endpoints = app =>
        {
            var api = app.MapGroup("").WithTags("Documents");
            IssueDocumentEndpoints.Map(api);
            GetDocumentsEndpoints.Map(api);
            GetDocumentPdfEndpoints.Map(api);
            RevokeDocumentEndpoint.Map(api);
            VerifyDocumentEndpoints.Map(api);
        },
        RootEndpoints = VerifyDocumentEndpoints.MapKeyList,
    };
}
