using VitalEvents.Domain.Deaths;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

/// <summary>A foetal death after the sixth month of pregnancy (more than 26 weeks), recorded on the mother's stream.</summary>
public class RegisterFoetalDeathTests
{
    private static readonly DateOnly LossDay = new(2025, 5, 25);

    private static RegisterFoetalDeath FoetalDeath(string mother = Maryam, int weeks = 30, DateOnly? on = null, string? father = Ali) =>
        new(mother, on ?? LossDay, weeks, Vocabulary.Male, Tehran, "P95", "Dr. Karimi", father, OfficeCode);

    private static Func<Scenario, Decision> Registering(RegisterFoetalDeath command, RegistryLaw? law = null) => s =>
        DeathDecision.Decide(command, s[command.MotherNationalCode], Today, law);

    private static StreamEvent Recorded(RegisterFoetalDeath c) =>
        new(c.MotherNationalCode, new FoetalDeathRegistered(c.MotherNationalCode, c.Date, c.GestationWeeks, c.Sex, c.Place, c.CauseIcd10,
            c.Certifier, c.FatherNationalCode, c.OfficeCode));

    [Fact]
    public void GivenAWoman_WhenRegisteringAFoetalDeathAt30Weeks_ThenItIsRecordedOnHerStreamOnly()
    {
        var command = FoetalDeath();
        var after = Given(MaryamBorn, AliBorn).When(Registering(command))
            .Then(new StreamEvent(Maryam, new FoetalDeathRegistered(Maryam, LossDay, 30, Vocabulary.Male, Tehran, "P95", "Dr. Karimi", Ali, OfficeCode)));

        after[Maryam]!.IsAlive.Should().BeTrue();
        after[Maryam]!.Children.Should().BeEmpty("a foetal death is not a live birth");
    }

    [Fact]
    public void GivenAWoman_WhenRegisteringAFoetalDeathAt27Weeks_ThenAccepted()
    {
        var command = FoetalDeath(weeks: 27);
        Given(MaryamBorn).When(Registering(command)).Then(Recorded(command));
    }

    [Theory]
    [InlineData(26)]
    [InlineData(20)]
    [InlineData(0)]
    public void GivenAWoman_WhenRegisteringAFoetalDeathAt26WeeksOrLess_ThenRejectedAsTooEarly(int weeks) =>
        Given(MaryamBorn).When(Registering(FoetalDeath(weeks: weeks))).ThenRejected("foetalDeath.tooEarly", ViolationKind.Invalid);

    [Fact]
    public void GivenALawThatRecordsFoetalDeathsAfter20Weeks_WhenRegisteringOneAt21Weeks_ThenAccepted()
    {
        var command = FoetalDeath(weeks: 21);
        Given(MaryamBorn).When(Registering(command, new RegistryLaw { FoetalDeathAfterWeeks = 20 })).Then(Recorded(command));
    }

    [Fact]
    public void GivenAnUnknownFather_WhenRegisteringAFoetalDeath_ThenAcceptedWithoutAFather()
    {
        var command = FoetalDeath(father: null);
        Given(MaryamBorn).When(Registering(command)).Then(Recorded(command));
    }

    [Fact]
    public void GivenNobody_WhenRegisteringAFoetalDeath_ThenRejectedAsPersonNotFound() =>
        Given().When(Registering(FoetalDeath())).ThenRejected("person.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenAMan_WhenRegisteringAFoetalDeathOnHisStream_ThenRejectedAsSexMismatch() =>
        Given(AliBorn).When(Registering(FoetalDeath(mother: Ali))).ThenRejected("parent.sexMismatch");

    [Fact]
    public void GivenAWoman_WhenRegisteringAFoetalDeathDatedTomorrow_ThenRejectedAsInTheFuture() =>
        Given(MaryamBorn).When(Registering(FoetalDeath(on: Today.AddDays(1)))).ThenRejected("date.inFuture", ViolationKind.Invalid);

    [Fact]
    public void GivenAMotherWhoDiedBeforeTheDate_WhenRegisteringAFoetalDeath_ThenRejectedAsPersonDeceased() =>
        Given(MaryamBorn, Died(Maryam, LossDay.AddDays(-1))).When(Registering(FoetalDeath())).ThenRejected("person.deceased");

    [Fact]
    public void GivenAMotherWhoDiedTheSameDay_WhenRegisteringAFoetalDeath_ThenAccepted()
    {
        var command = FoetalDeath();
        Given(MaryamBorn, Died(Maryam, LossDay)).When(Registering(command)).Then(Recorded(command));
    }

    [Fact]
    public void GivenAWoman_WhenRegisteringAFoetalDeathBeforeHerOwnBirth_ThenRejectedAsBeforeMothersBirth() =>
        Given(MaryamBorn).When(Registering(FoetalDeath(on: new(1990, 1, 1)))).ThenRejected("foetalDeath.beforeMothersBirth");
}
