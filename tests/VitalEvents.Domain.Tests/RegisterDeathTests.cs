using VitalEvents.Domain.Deaths;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

public class RegisterDeathTests
{
    private static readonly DateOnly DeathDay = new(2025, 5, 2);
    private static readonly MarriageRegistered AliAndMaryam = Marriage(Guid.Parse("0195f0a0-0000-7000-8000-0000000000a1"), Ali, Maryam, new(2015, 6, 1));
    private static readonly MarriageRegistered AliAndZahra = Marriage(Guid.Parse("0195f0a0-0000-7000-8000-0000000000a2"), Ali, Zahra, new(2019, 2, 1),
        courtAuthorisationReference: "Court 7/1397/118");

    private static RegisterDeath DeathOf(string nationalCode, DateOnly? on = null) =>
        new(nationalCode, on ?? DeathDay, Tehran, "I21.9", "Dr. Karimi", OfficeCode);

    private static Func<Scenario, Decision> Registering(RegisterDeath death) => s => DeathDecision.Decide(death, s[death.NationalCode], Today);

    private static StreamEvent Ended(string survivor, MarriageRegistered marriage, string deceased) =>
        new(survivor, new MarriageEndedByDeath(marriage.MarriageId, deceased, DeathDay));

    [Fact]
    public void GivenAnUnmarriedPerson_WhenRegisteringTheirDeath_ThenOnlyTheirStreamRecordsIt()
    {
        var after = Given(AliBorn).When(Registering(DeathOf(Ali))).Then(Died(Ali, DeathDay));

        after[Ali]!.DateOfDeath.Should().Be(DeathDay);
    }

    [Fact]
    public void GivenAMarriedWoman_WhenRegisteringHerDeath_ThenHerHusbandsMarriageEndsByDeath()
    {
        var after = Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam)).When(Registering(DeathOf(Maryam)))
            .Then(Died(Maryam, DeathDay), Ended(Ali, AliAndMaryam, Maryam));

        after[Ali]!.Marriages.Should().BeEmpty();
        after[Ali]!.IsAlive.Should().BeTrue();
    }

    [Fact]
    public void GivenAManWithTwoWives_WhenRegisteringHisDeath_ThenEachWifesMarriageEndsByDeath()
    {
        var after = Given(AliBorn, MaryamBorn, ZahraBorn).And(Married(AliAndMaryam)).And(Married(AliAndZahra))
            .When(Registering(DeathOf(Ali)))
            .Then(Died(Ali, DeathDay), Ended(Maryam, AliAndMaryam, Ali), Ended(Zahra, AliAndZahra, Ali));

        after[Maryam]!.Marriages.Should().BeEmpty();
        after[Zahra]!.Marriages.Should().BeEmpty();
    }

    [Fact]
    public void GivenADivorcedMan_WhenRegisteringHisDeath_ThenHisFormerWifeIsNotTouched() =>
        Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam)).And(Divorced(AliAndMaryam, new(2020, 1, 1)))
            .When(Registering(DeathOf(Ali))).Then(Died(Ali, DeathDay));

    [Fact]
    public void GivenNobody_WhenRegisteringADeath_ThenRejectedAsPersonNotFound() =>
        Given().When(Registering(DeathOf(Ali))).ThenRejected("person.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenADeadPerson_WhenRegisteringTheirDeathAgain_ThenRejectedAsPersonDeceased() =>
        Given(AliBorn, Died(Ali, new(2025, 1, 1))).When(Registering(DeathOf(Ali))).ThenRejected("person.deceased");

    [Fact]
    public void GivenALivingPerson_WhenRegisteringADeathDatedTomorrow_ThenRejectedAsInTheFuture() =>
        Given(AliBorn).When(Registering(DeathOf(Ali, on: Today.AddDays(1)))).ThenRejected("date.inFuture", ViolationKind.Invalid);

    [Fact]
    public void GivenALivingPerson_WhenRegisteringADeathBeforeTheirBirth_ThenRejectedAsDeathBeforeBirth() =>
        Given(AliBorn).When(Registering(DeathOf(Ali, on: new(1985, 4, 9)))).ThenRejected("death.beforeBirth");

    [Fact]
    public void GivenANewborn_WhenRegisteringADeathOnTheBirthDay_ThenAccepted() =>
        Given(Born(Child, "Sina", Vocabulary.Male, DeathDay)).When(Registering(DeathOf(Child))).Then(Died(Child, DeathDay));
}
