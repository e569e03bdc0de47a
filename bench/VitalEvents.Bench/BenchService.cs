using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using VitalEvents.Api;

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
            ["VitalEvents:Nats:Enabled"] = "false",
            ["VitalEvents:Http:RateLimitBurst"] = "1000000",
            ["VitalEvents:Http:RateLimitPerSecond"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings) all[key] = value;
        builder.Configuration.AddInMemoryCollection(all);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
    });
}
