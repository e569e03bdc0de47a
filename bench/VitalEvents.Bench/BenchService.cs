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
        };
        foreach (var (key, value) in settings) all[key] = value;
        builder.Configuration.AddInMemoryCollection(all);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
    });

    /// <summary>
    /// Loads the synthetic births (with the chain trigger), starts the service on them, projects them with the registry's own
    /// rebuild of every projection (not timed), and runs <paramref name="measure"/> with the service's address and development
    /// signing key; the service, its keys and the schema are gone afterwards.
    /// </summary>
    public static async Task<int> OnProjectedBirthsAsync(SyntheticEvents synthetic, Func<Uri, ECDsaSecurityKey, Task> measure,
        CancellationToken ct)
    {
        var keys = Directory.CreateTempSubdirectory("vitalevents-bench-");
        try
        {
            return await synthetic.WithStagedAsync(async () =>
            {
                await synthetic.LoadAsync(chained: true, ct);
                var service = Build(synthetic.Database, keys, new Dictionary<string, string?>());
                await service.StartAsync(ct);
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    var store = service.Services.GetRequiredService<IDocumentStore>();
                    await Rebuild.AllAsync(store, null, ct);
                    Console.WriteLine(F($"  {synthetic.Events:N0} events of {synthetic.Streams:N0} people loaded and projected in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s (not timed)"));
                    var address = new Uri(service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
                    await measure(address, DevelopmentTokens.Key(SigningKeyPath(keys)));
                    return 0;
                }
                finally
                {
                    await service.StopAsync(CancellationToken.None);
                    await service.DisposeAsync();
                }
            }, ct);
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }
}
