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
        new(nationalCode, on ?? DeathDay, Tehran, ["I21.9"], "Dr. Karimi", OfficeCode);

    private static Func<Scenario, Decision> Registering(RegisterDeath death, RegistryLaw? law = null) => s =>
        DeathDecision.Decide(death, s[death.NationalCode], Today, law);

    /// <summary>Today is 30 days after <see cref="DeathDay"/>: past the 10-day deadline (Registration Law Art. 25).</summary>
    private const bool LateByDefault = true;

    private static StreamEvent Ended(string survivor, MarriageRegistered marriage, string deceased) =>
        new(survivor, new MarriageEndedByDeath(marriage.MarriageId, deceased, DeathDay));

    [Fact]
    public void GivenAnUnmarriedPerson_WhenRegisteringTheirDeath_ThenOnlyTheirStreamRecordsIt()
    {
        var after = Given(AliBorn).When(Registering(DeathOf(Ali))).Then(Died(Ali, DeathDay, LateByDefault));

        after[Ali]!.DateOfDeath.Should().Be(DeathDay);
    }

    [Fact]
    public void GivenAMarriedWoman_WhenRegisteringHerDeath_ThenHerHusbandsMarriageEndsByDeath()
    {
        var after = Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam)).When(Registering(DeathOf(Maryam)))
            .Then(Died(Maryam, DeathDay, LateByDefault), Ended(Ali, AliAndMaryam, Maryam));

        after[Ali]!.Marriages.Should().BeEmpty();
        after[Ali]!.IsAlive.Should().BeTrue();
    }

    [Fact]
    public void GivenAManWithTwoWives_WhenRegisteringHisDeath_ThenEachWifesMarriageEndsByDeath()
    {
        var after = Given(AliBorn, MaryamBorn, ZahraBorn).And(Married(AliAndMaryam)).And(Married(AliAndZahra))
            .When(Registering(DeathOf(Ali)))
            .Then(Died(Ali, DeathDay, LateByDefault), Ended(Maryam, AliAndMaryam, Ali), Ended(Zahra, AliAndZahra, Ali));

        after[Maryam]!.Marriages.Should().BeEmpty();
        after[Zahra]!.Marriages.Should().BeEmpty();
    }

    [Fact]
    public void GivenADivorcedMan_WhenRegisteringHisDeath_ThenHisFormerWifeIsNotTouched() =>
        Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam)).And(Divorced(AliAndMaryam, new(2020, 1, 1)))
            .When(Registering(DeathOf(Ali))).Then(Died(Ali, DeathDay, LateByDefault));

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
        Given(Born(Child, "Sina", Vocabulary.Male, DeathDay)).When(Registering(DeathOf(Child))).Then(Died(Child, DeathDay, LateByDefault));

    // Late registration (Registration Law Art. 25): more than 10 days after the death.

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void GivenALivingPerson_WhenRegisteringADeathAtMost10DaysLater_ThenItIsNotALateRegistration(int daysAgo) =>
        Given(AliBorn).When(Registering(DeathOf(Ali, on: Today.AddDays(-daysAgo)))).Then(Died(Ali, Today.AddDays(-daysAgo), lateRegistration: false));

    [Theory]
    [InlineData(11)]
    [InlineData(365)]
    public void GivenALivingPerson_WhenRegisteringADeathMoreThan10DaysLater_ThenItIsMarkedAsALateRegistration(int daysAgo) =>
        Given(AliBorn).When(Registering(DeathOf(Ali, on: Today.AddDays(-daysAgo)))).Then(Died(Ali, Today.AddDays(-daysAgo), lateRegistration: true));

    [Fact]
    public void GivenALawWithA40DayDeadline_WhenRegisteringADeath30DaysLater_ThenItIsNotLate() =>
        Given(AliBorn).When(Registering(DeathOf(Ali), new RegistryLaw { DeathRegistrationDays = 40 })).Then(Died(Ali, DeathDay, lateRegistration: false));

    // A death cannot precede a marriage of the deceased.

    [Fact]
    public void GivenAMarriedMan_WhenRegisteringADeathBeforeHisMarriage_ThenRejectedAsDeathBeforeMarriage() =>
        Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam)).When(Registering(DeathOf(Ali, on: AliAndMaryam.Date.AddDays(-1))))
            .ThenRejected("death.beforeMarriage");

    [Fact]
    public void GivenAManWithTwoWives_WhenRegisteringADeathBetweenHisMarriages_ThenRejectedAsDeathBeforeMarriage() =>
        Given(AliBorn, MaryamBorn, ZahraBorn).And(Married(AliAndMaryam)).And(Married(AliAndZahra))
            .When(Registering(DeathOf(Ali, on: new(2018, 1, 1)))).ThenRejected("death.beforeMarriage");

    [Fact]
    public void GivenAMarriedWoman_WhenRegisteringADeathOnHerWeddingDay_ThenAccepted() =>
        Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam)).When(Registering(DeathOf(Maryam, on: AliAndMaryam.Date)))
            .Then(Died(Maryam, AliAndMaryam.Date, lateRegistration: true), new StreamEvent(Ali, new MarriageEndedByDeath(AliAndMaryam.MarriageId, Maryam, AliAndMaryam.Date)));

    [Fact]
    public void GivenADivorcedMan_WhenRegisteringADeathBeforeHisMarriage_ThenRejectedAsDeathBeforeMarriage() =>
        // He married in 2015 and divorced in 2020: a death dated 2014 contradicts both recorded events.
        Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam)).And(Divorced(AliAndMaryam, new(2020, 1, 1)))
            .When(Registering(DeathOf(Ali, on: new(2014, 1, 1)))).ThenRejected("death.beforeMarriage");

    [Fact]
    public void GivenAManWhoseTemporaryMarriageTermRanOut_WhenRegisteringHisDeath_ThenHisFormerWifeIsNotTouched()
    {
        // The temporary marriage of 2023-06-01 ended when its term ran out on 2024-06-01: no marriage is left for death to end.
        var temporary = Marriage(AliAndMaryam.MarriageId, Ali, Maryam, new(2023, 6, 1), Vocabulary.Temporary);
        var after = Given(AliBorn, MaryamBorn).And(Married(temporary)).When(Registering(DeathOf(Ali)))
            .Then(Died(Ali, DeathDay, LateByDefault));

        after[Maryam]!.PastMarriages.Should().NotContain(p => p.EndedBy == Vocabulary.EndedByDeath);
    }
}
