using System.Security.Cryptography;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Integrity;

/// <summary>Where the signing key lives and how often checkpoints are signed (VitalEvents:Integrity:*).</summary>
public sealed record IntegritySettings(string KeyPath, TimeSpan CheckpointInterval, TimeSpan Settle)
{
    /// <summary>The settings in configuration; the key defaults to <c>integrity-signing-key.pem</c> in the data directory.</summary>
    public static IntegritySettings From(IConfiguration configuration) => new(
        configuration["VitalEvents:Integrity:KeyPath"] ?? RegistryKey.DefaultPath(DataDirectory.Path),
        TimeSpan.FromSeconds(configuration.GetValue("VitalEvents:Integrity:CheckpointSeconds", 60)),
        TimeSpan.FromSeconds(configuration.GetValue("VitalEvents:Integrity:SettleSeconds", 5)));
}

/// <summary>Recompute every stream's hash chain and every signed checkpoint.</summary>
public sealed record VerifyIntegrityQuery : IQuery<IntegrityReport>;

public sealed class VerifyIntegrityHandler(DatabaseIntegrity database, ECDsa key) : IQueryHandler<VerifyIntegrityQuery, IntegrityReport>
{
    public async ValueTask<IntegrityReport> Handle(VerifyIntegrityQuery query, CancellationToken cancellationToken) =>
        await database.VerifyAsync(key, cancellationToken);
}

/// <summary>Tamper evidence: the per-stream hash chain (by trigger), signed checkpoints, verification.</summary>
public static class IntegritySetup
{
    public static Capability Capability { get; } = new("integrity")
    {
        OwnerSql = IntegritySchema.Sql,
        AppendOnlyTables = [IntegritySchema.CheckpointTable],
        ReadOnlyTables = [IntegritySchema.ChainTable],
        Services = (services, configuration) =>
        {
            var settings = IntegritySettings.From(configuration);
            services.AddSingleton(settings);
            services.AddSingleton(_ => RegistryKey.LoadOrCreate(settings.KeyPath));
            services.AddSingleton(sp => new DatabaseIntegrity(sp.GetRequiredService<StoreSettings>().ConnectionString, sp.GetRequiredService<StoreSettings>().Schema));
            if (settings.CheckpointInterval > TimeSpan.Zero) services.AddHostedService<Checkpointer>();
        },
        Endpoints = app =>
        {
            var api = app.MapGroup("").WithTags("Integrity");
            api.MapGet("/integrity", async Task<Ok<IntegrityReport>> (IMediator mediator, CancellationToken ct) =>
                    TypedResults.Ok(await mediator.Send(new VerifyIntegrityQuery(), ct)))
                .RequireAuthorization(Roles.AuditPolicy)
                .WithName("VerifyIntegrity")
                .WithSummary("Recompute every stream's hash chain and every signed checkpoint; name the first broken event.");

            api.MapGet("/integrity/public-key", (ECDsa key) => TypedResults.Text(RegistryKey.PublicPem(key), "application/x-pem-file"))
                .AllowAnonymous()
                .ConditionalRead()
                .WithName("IntegrityPublicKey")
                .WithSummary("The public key (SubjectPublicKeyInfo PEM) that verifies the registry's checkpoint signatures.")
                .Produces<string>(StatusCodes.Status200OK, "application/x-pem-file");
        },
    };
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
