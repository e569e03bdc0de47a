using Microsoft.Extensions.Configuration;
using VitalEvents.Api;
using VitalEvents.Domain;

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
}
