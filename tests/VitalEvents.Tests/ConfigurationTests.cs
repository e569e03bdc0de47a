using Microsoft.Extensions.Configuration;
using Npgsql;
using VitalEvents.Api;
using VitalEvents.Domain;
using VitalEvents.Storage;

namespace VitalEvents.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void The_legal_figures_come_from_configuration_with_the_law_as_default()
    {
        var configured = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VitalEvents:Law:MinimumMarriageAgeWomen"] = "18",
            ["VitalEvents:Law:BirthRegistrationDays"] = "30",
        }).Build();

        var law = ApiHost.Law(configured);

        law.MinimumMarriageAgeWomen.Should().Be(18);
        law.BirthRegistrationDays.Should().Be(30);
        law.MinimumMarriageAgeMen.Should().Be(15, "unset figures keep the law's value");
        ApiHost.Law(new ConfigurationBuilder().Build()).Should().Be(RegistryLaw.Default);
    }

    [Fact]
    public void The_applications_pool_keeps_connection_state_and_prepares_statements_unless_its_connection_string_says_otherwise()
    {
        var pooled = new NpgsqlConnectionStringBuilder(StoreSetup.Pooled("Host=db;Username=app;Password=secret"));
        (pooled.NoResetOnClose, pooled.MaxAutoPrepare, pooled.AutoPrepareMinUsages).Should().Be((true, 64, 2));
        (pooled.Host, pooled.Username, pooled.Password).Should().Be(("db", "app", "secret"), "the rest of the connection string is kept");

        var explicitly = new NpgsqlConnectionStringBuilder(StoreSetup.Pooled("Host=db;No Reset On Close=false;maxautoprepare=0;Auto Prepare Min Usages=7"));
        (explicitly.NoResetOnClose, explicitly.MaxAutoPrepare, explicitly.AutoPrepareMinUsages).Should().Be((false, 0, 7), "a setting given is the user's");

        var settings = ApiHost.Settings(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VitalEvents:Database"] = "Host=db;Username=app;Max Auto Prepare=8",
        }).Build(), new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" });
        var app = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        (app.NoResetOnClose, app.MaxAutoPrepare).Should().Be((true, 8));
    }
}
