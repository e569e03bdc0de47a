using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Integrity;

/// <summary>Where the signing key lives and how often checkpoints are signed (VitalEvents:Integrity:*).</summary>
public sealed record IntegritySettings(string KeyPath, TimeSpan CheckpointInterval, TimeSpan Settle);

public static class IntegrityEndpoints
{
    public static IServiceCollection AddIntegrity(this IServiceCollection services, IntegritySettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(_ => RegistryKey.LoadOrCreate(settings.KeyPath));
        services.AddSingleton(sp => new DatabaseIntegrity(sp.GetRequiredService<StoreSettings>().ConnectionString, sp.GetRequiredService<StoreSettings>().Schema));
        if (settings.CheckpointInterval > TimeSpan.Zero) services.AddHostedService<Checkpointer>();
        return services;
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/integrity", (DatabaseIntegrity database, ECDsa key, CancellationToken ct) => database.VerifyAsync(key, ct))
            .RequireAuthorization(p => p.RequireRole(Roles.Auditor))
            .WithName("VerifyIntegrity").WithTags("Integrity")
            .WithSummary("Recompute every stream's hash chain and every signed checkpoint; name the first broken event.")
            .Produces<IntegrityReport>();

        app.MapGet("/api/integrity/public-key", (ECDsa key) => Results.Text(RegistryKey.PublicPem(key), "application/x-pem-file"))
            .AllowAnonymous()
            .WithName("IntegrityPublicKey").WithTags("Integrity")
            .WithSummary("The public key (SubjectPublicKeyInfo PEM) that verifies the registry's checkpoint signatures.");
    }
}

/// <summary>Signs a checkpoint over the newly recorded events at each interval.</summary>
public sealed class Checkpointer(DatabaseIntegrity database, ECDsa key, IntegritySettings settings, ILogger<Checkpointer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.CheckpointInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await database.CheckpointAsync(key, settings.Settle, stoppingToken) is { } checkpoint)
                    logger.LogInformation("Checkpoint {Id} signed over {Count} events up to sequence {Seq}", checkpoint.Id, checkpoint.EventCount, checkpoint.UpToSeq);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Signing a checkpoint failed; trying again at the next interval");
            }
        }
    }
}
