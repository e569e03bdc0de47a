using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Storage;

namespace VitalEvents.Verifications;

/// <summary>Identity verification for agencies (Hoda): the agencies admins register, and the verifications they make, one or a batch.</summary>
public static class VerificationsSetup
{
    /// <summary>The service key of the data source the verifications' fast path reads and counts through (its statements prepared).</summary>
    public const string DataSourceKey = "verifications";

    public static Capability Capability { get; } = new("verifications")
    {
        Store = opts => opts.Schema.For<Agency>().Identity(a => a.Id).UseOptimisticConcurrency(true),
        OwnerSql = schema => AgencyChangeLog.Sql(schema) + DailyQuota.Sql(schema),
        AppendOnlyTables = [AgencyChangeLog.TableName],
        Services = (services, _) =>
        {
            services.AddOptions<VerificationSettings>().BindConfiguration(VerificationSettings.Section)
                .Validate(s => s.IsValid, $"{VerificationSettings.Section}: AgencyRefresh, QuotaBlock and BatchParallelism must be positive.")
                .ValidateOnStart();
            services.AddKeyedSingleton(DataSourceKey, (provider, _) => StoreSetup.DataSource(
                new NpgsqlConnectionStringBuilder(provider.GetRequiredService<StoreSettings>().ConnectionString) { MaxAutoPrepare = 10 }.ConnectionString));
            services.AddSingleton<AgencyDirectory>();
            services.AddSingleton<DailyQuota>();
            services.AddSingleton<IdentityLookup>();
            services.AddSingleton<IdentityVerifier>();
            services.AddSingleton<BatchVerification>();
            services.AddSingleton<AgencyRateLimit>();
            services.AddScoped<AgencyChangeLog>();
            services.Configure<RateLimiterOptions>(o => o.AddPolicy<string, AgencyRateLimit>(AgencyRateLimit.PolicyName));
        },
        Endpoints = app =>
        {
            var agencies = app.MapGroup("").WithTags("Agencies");
            RegisterAgencyEndpoint.Map(agencies);
            GetAgenciesEndpoints.Map(agencies);
            ChangeAgencyEndpoints.Map(agencies);
            GetAgencyChangesEndpoint.Map(agencies);
            var verifications = app.MapGroup("").WithTags("Verifications");
            VerifyIdentityEndpoint.Map(verifications);
            VerifyBatchEndpoint.Map(verifications);
        },
    };
}
