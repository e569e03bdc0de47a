using System.Diagnostics;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using VitalEvents.Api;
using VitalEvents.Storage;
using static VitalEvents.Bench.Report;

namespace VitalEvents.Bench;

/// <summary>The registry's real host, in the benchmark's process, on the benchmark's schema and keys, on a free local port.</summary>
public static class BenchService
{
    public static string SigningKeyPath(DirectoryInfo keys) => Path.Combine(keys.FullName, "jwt-signing-key.pem");

    public static WebApplication Build(BenchDatabase db, DirectoryInfo keys, IReadOnlyDictionary<string, string?> settings) => ApiHost.Build([], builder =>
    {
        var all = new Dictionary<string, string?>
        {
            ["VitalEvents:Schema"] = db.Schema,
            ["VitalEvents:Database"] = db.App,
            ["VitalEvents:OwnerDatabase"] = db.Owner,
            ["VitalEvents:ApplySchemaOnStart"] = "true",
            ["VitalEvents:Auth:DevelopmentKeyPath"] = SigningKeyPath(keys),
            ["VitalEvents:Integrity:KeyPath"] = Path.Combine(keys.FullName, "registry-key.pem"),
            ["VitalEvents:Documents:KeyDirectory"] = Path.Combine(keys.FullName, "document-keys"),
            ["VitalEvents:Nats:Enabled"] = "false",
            ["VitalEvents:Http:RateLimitBurst"] = "1000000",
            ["VitalEvents:Http:RateLimitPerSecond"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            // The async daemon (the statistics) runs only in the benchmarks that measure with it (http).
            ["VitalEvents:Statistics:Daemon"] = "false",
        };
        foreach (var (key, value) in settings) all[key] = value;
        builder.Configuration.AddInMemoryCollection(all);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
    });

    /// <summary>Starts the service on a schema that is there already and runs <paramref name="measure"/>; the schema stays.</summary>
    public static async Task<int> OnExistingAsync(BenchDatabase db, Func<Uri, ECDsaSecurityKey, Task> measure, CancellationToken ct)
    {
        await db.DescribeMachineAsync(ct);
        return await WithServiceAsync(db, null, measure, ct, daemon: true);
    }

    /// <summary>
    /// Loads the synthetic births (with the chain trigger), starts the service on them, projects them with the registry's own
    /// rebuild of every projection (not timed), and runs <paramref name="measure"/> with the service's address and development
    /// signing key; the service, its keys and the schema are gone afterwards.
    /// </summary>
    /// <remarks>With <paramref name="daemon"/>, the service runs the async daemon: the rebuild leaves the async projections (the
    /// statistics) to it, and it catches up on the loaded events by itself.</remarks>
    public static async Task<int> OnProjectedBirthsAsync(SyntheticEvents synthetic, Func<Uri, ECDsaSecurityKey, Task> measure,
        CancellationToken ct, bool daemon = false)
    {
        return await synthetic.WithStagedAsync(async () =>
        {
            await synthetic.LoadAsync(chained: true, ct);
            return await WithServiceAsync(synthetic.Database, async store =>
            {
                var started = Stopwatch.GetTimestamp();
                await Rebuild.AllAsync(store, null, ct,
                    daemon ? [.. Rebuild.Projections(store).Where(p => p.Lifecycle != JasperFx.Events.Projections.ProjectionLifecycle.Async).Select(p => p.Name)] : null);
                Console.WriteLine(F($"  {synthetic.Events:N0} events of {synthetic.Streams:N0} people loaded and projected in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s (not timed)"));
            }, measure, ct, daemon);
        }, ct);
    }

    private static async Task<int> WithServiceAsync(BenchDatabase db, Func<IDocumentStore, Task>? prepare, Func<Uri, ECDsaSecurityKey, Task> measure,
        CancellationToken ct, bool daemon = false)
    {
        var keys = Directory.CreateTempSubdirectory("vitalevents-bench-");
        try
        {
            var service = Build(db, keys, new Dictionary<string, string?> { ["VitalEvents:Statistics:Daemon"] = daemon ? "true" : "false" });
            await service.StartAsync(ct);
            try
            {
                if (prepare is not null) await prepare(service.Services.GetRequiredService<IDocumentStore>());
                var address = new Uri(service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
                await measure(address, DevelopmentTokens.Key(SigningKeyPath(keys)));
                return 0;
            }
            finally
            {
                await service.StopAsync(CancellationToken.None);
                await service.DisposeAsync();
            }
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }
}
