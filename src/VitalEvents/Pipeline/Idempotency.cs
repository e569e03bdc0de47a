using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VitalEvents.Pipeline;

/// <summary>The result of a write, kept under its Idempotency-Key so that a retry returns it and appends nothing.</summary>
public sealed class IdempotencyRecord
{
    public string Id { get; set; } = string.Empty;
    public string RequestHash { get; set; } = string.Empty;
    public string Response { get; set; } = string.Empty;
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>How long an Idempotency-Key is remembered (VitalEvents:Idempotency:*).</summary>
public sealed class IdempotencySettings
{
    public const string Section = "VitalEvents:Idempotency";

    /// <summary>A retry with the same key within this period returns the first answer; after it, the key is forgotten.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often forgotten keys are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    public bool IsExpired(IdempotencyRecord record, DateTimeOffset now) => record.RecordedAt <= now - Retention;

    internal bool IsValid => Retention > TimeSpan.Zero && CleanupInterval > TimeSpan.Zero;
}

/// <summary>Deletes idempotency records older than the retention period.</summary>
public sealed class IdempotencyCleanup(IDocumentStore store, IOptions<IdempotencySettings> options, TimeProvider clock, ILogger<IdempotencyCleanup> logger)
    : BackgroundService
{
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - options.Value.Retention;
        await using var session = store.LightweightSession();
        var expired = await session.Query<IdempotencyRecord>().Where(r => r.RecordedAt <= cutoff).CountAsync(ct);
        if (expired == 0) return 0;
        session.DeleteWhere<IdempotencyRecord>(r => r.RecordedAt <= cutoff);
        await session.SaveChangesAsync(ct);
        return expired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await RunOnceAsync(stoppingToken) is > 0 and var deleted)
                    logger.LogInformation("Forgot {Count} idempotency keys older than {Retention}", deleted, options.Value.Retention);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Deleting expired idempotency keys failed; trying again at the next interval");
            }
        }
    }
}

public static class IdempotencySetup
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddOptions<IdempotencySettings>().BindConfiguration(IdempotencySettings.Section)
            .Validate(s => s.IsValid, $"{IdempotencySettings.Section}: Retention and CleanupInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<IdempotencyCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyCleanup>());
        return services;
    }
}
