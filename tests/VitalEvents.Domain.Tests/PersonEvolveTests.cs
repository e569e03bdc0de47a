using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

public class PersonEvolveTests
{
    private static readonly MarriageRegistered AliAndMaryam = Marriage(Guid.Parse("0195f0a0-0000-7000-8000-0000000000a1"), Ali, Maryam, new(2015, 6, 1));

    [Fact]
    public void GivenABirth_WhenFolding_ThenThePersonHasTheRecordedIdentityAndIsAlive()
    {
        var ali = Given(AliBorn)[Ali]!;

        ali.Should().BeEquivalentTo(new { NationalCode = Ali, GivenName = "Ali", FamilyName = "Ahmadi", Sex = Vocabulary.Male,
            BirthDate = new DateOnly(1985, 4, 10), DateOfDeath = (DateOnly?)null, IsAlive = true });
        ali.Marriages.Should().BeEmpty();
        ali.PendingCorrections.Should().BeEmpty();
    }

    [Fact]
    public void GivenAMarriage_WhenFolding_ThenEachSpouseHoldsTheOtherAsSpouse()
    {
        var given = Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam));

        given[Ali]!.Marriages.Should().Equal(new Bond(AliAndMaryam.MarriageId, Maryam, Vocabulary.Permanent, AliAndMaryam.Date));
        given[Maryam]!.Marriages.Should().Equal(new Bond(AliAndMaryam.MarriageId, Ali, Vocabulary.Permanent, AliAndMaryam.Date));
    }

    [Fact]
    public void GivenAMarriageThenADivorce_WhenFolding_ThenNeitherSpouseHasACurrentMarriage()
    {
        var given = Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam)).And(Divorced(AliAndMaryam, new(2020, 1, 1)));

        given[Ali]!.Marriages.Should().BeEmpty();
        given[Maryam]!.Marriages.Should().BeEmpty();
    }

    [Fact]
    public void GivenAMarriageThenADeath_WhenFolding_ThenTheDeceasedHasNoMarriagesAndADateOfDeath()
    {
        var deathDay = new DateOnly(2024, 8, 8);
        var deceased = Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam)).And(Died(Ali, deathDay))[Ali]!;

        deceased.DateOfDeath.Should().Be(deathDay);
        deceased.IsAlive.Should().BeFalse();
        deceased.Marriages.Should().BeEmpty();
    }

    [Fact]
    public void GivenEventsBeforeABirthRegistered_WhenFolding_ThenThereIsNoPerson()
    {
        Person.Evolve(null, AliAndMaryam).Should().BeNull();
        Person.From([AliAndMaryam, new ChildBirthRecorded(Child, "Sara", "Ahmadi", Vocabulary.Female, new(2020, 1, 1), "father")])
            .Should().BeNull();
    }

    [Fact]
    public void GivenNoEvents_WhenFolding_ThenThereIsNoPerson() =>
        Given(AliBorn)[Maryam].Should().BeNull();

    [Fact]
    public void GivenARecordedChild_WhenFolding_ThenTheParentHoldsTheChildAndIsOtherwiseUnchanged()
    {
        var given = Given(AliBorn);

        var after = given.And(new StreamEvent(Ali, new ChildBirthRecorded(Child, "Sara", "Ahmadi", Vocabulary.Female, new(2020, 1, 1), "father")))[Ali]!;

        after.Children.Should().Equal(new ChildRecord(Child, "Sara", new(2020, 1, 1), null));
        after.Should().BeEquivalentTo(given[Ali]!, options => options.Excluding(p => p.Children));
    }

    [Fact]
    public void GivenTwinsRecorded_WhenFolding_ThenTheParentHoldsBothChildrenInOrderWithTheirBirthOrder()
    {
        var day = new DateOnly(2020, 1, 1);
        var maryam = Given(MaryamBorn,
            ChildOf(Maryam, "mother", Child, "Sara", Vocabulary.Female, day, 1),
            ChildOf(Maryam, "mother", SecondChild, "Sahar", Vocabulary.Female, day, 2))[Maryam]!;

        maryam.Children.Should().Equal(new ChildRecord(Child, "Sara", day, 1), new ChildRecord(SecondChild, "Sahar", day, 2));
    }

    [Fact]
    public void GivenABirthWithParents_WhenFolding_ThenThePersonReferencesTheirParents() =>
        Given(BornTo(Son, "Sina", Vocabulary.Male, new(2018, 3, 1), Maryam, Ali))[Son]!
            .Should().BeEquivalentTo(new { MotherNationalCode = Maryam, FatherNationalCode = Ali, GuardianNationalCode = (string?)null });

    // Past marriages: how each marriage ended, and until when the wife waits.

    private static Bond AliSide => new(AliAndMaryam.MarriageId, Maryam, Vocabulary.Permanent, AliAndMaryam.Date);
    private static Bond MaryamSide => new(AliAndMaryam.MarriageId, Ali, Vocabulary.Permanent, AliAndMaryam.Date);
    private static Scenario MarriedCouple => Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam));

    private static StreamEvent[] OnBoth(object @event) => [new(Ali, @event), new(Maryam, @event)];

    [Theory]
    [InlineData(Vocabulary.Irrevocable, Vocabulary.EndedByIrrevocableDivorce)]
    [InlineData(Vocabulary.Revocable, Vocabulary.EndedByRevocableDivorce)]
    public void GivenADivorce_WhenFolding_ThenBothSpousesHoldTheMarriageAsPastWithTheWaitingPeriod(string kind, string endedBy)
    {
        var on = new DateOnly(2020, 1, 1);
        var waitingEnds = new DateOnly(2020, 4, 1);
        var given = MarriedCouple.And(Divorced(AliAndMaryam, on, kind, waitingEnds));

        given[Ali]!.PastMarriages.Should().Equal(new EndedBond(AliSide, endedBy, on, waitingEnds));
        given[Maryam]!.PastMarriages.Should().Equal(new EndedBond(MaryamSide, endedBy, on, waitingEnds));
        given[Maryam]!.ActiveMarriages(on).Should().BeEmpty();
    }

    [Fact]
    public void GivenAHusbandsDeath_WhenFolding_ThenBothHoldTheMarriageAsEndedByDeath()
    {
        var on = new DateOnly(2024, 8, 8);
        var given = MarriedCouple.And(DiedMarried(Ali, on, AliAndMaryam));

        given[Maryam]!.Marriages.Should().BeEmpty();
        given[Maryam]!.PastMarriages.Should().Equal(new EndedBond(MaryamSide, Vocabulary.EndedByDeath, on, null));
        given[Ali]!.PastMarriages.Should().Equal(new EndedBond(AliSide, Vocabulary.EndedByDeath, on, null));
    }

    [Fact]
    public void GivenATermWaiver_WhenFolding_ThenTheTemporaryMarriageIsPastAndEndedByWaiver()
    {
        var temporary = Marriage(AliAndMaryam.MarriageId, Ali, Maryam, new(2024, 1, 1), Vocabulary.Temporary);
        var on = new DateOnly(2024, 6, 1);
        var maryam = Given(AliBorn, MaryamBorn).And(Married(temporary))
            .And(OnBoth(new MarriageTermWaived(temporary.MarriageId, Ali, Maryam, on, new(2024, 7, 16), OfficeCode)))[Maryam]!;

        maryam.Marriages.Should().BeEmpty();
        maryam.PastMarriages.Should().Equal(new EndedBond(new Bond(temporary.MarriageId, Ali, Vocabulary.Temporary, temporary.Date, new(2025, 1, 1)),
            Vocabulary.EndedByTermWaiver, on, new(2024, 7, 16)));
    }

    [Fact]
    public void GivenAnAnnulment_WhenFolding_ThenTheMarriageIsPastAndEndedByAnnulment()
    {
        var on = new DateOnly(2020, 1, 1);
        var maryam = MarriedCouple.And(OnBoth(new MarriageAnnulled(AliAndMaryam.MarriageId, Ali, Maryam, on, "defect", "Court 1/1398/1", null, OfficeCode)))[Maryam]!;

        maryam.Marriages.Should().BeEmpty();
        maryam.PastMarriages.Should().Equal(new EndedBond(MaryamSide, Vocabulary.EndedByAnnulment, on, null));
    }

    [Fact]
    public void GivenAReturnAfterARevocableDivorce_WhenFolding_ThenTheMarriageIsCurrentAgainAndNoLongerPast()
    {
        var given = MarriedCouple.And(Divorced(AliAndMaryam, new(2020, 1, 1), Vocabulary.Revocable, new(2020, 4, 1)))
            .And(OnBoth(new MarriageResumed(AliAndMaryam.MarriageId, Ali, Maryam, new(2020, 2, 1), OfficeCode)));

        given[Ali]!.Marriages.Should().Equal(AliSide);
        given[Ali]!.PastMarriages.Should().BeEmpty();
        given[Maryam]!.Marriages.Should().Equal(MaryamSide);
        given[Maryam]!.PastMarriages.Should().BeEmpty();
    }

    [Fact]
    public void GivenAnEndOrReturnOfAMarriageThePersonIsNotIn_WhenFolding_ThenTheStateIsUnchanged()
    {
        var unknown = Guid.Parse("0195f0a0-0000-7000-8000-00000000dead");
        var given = MarriedCouple;

        given.And(new StreamEvent(Maryam, new DivorceRegistered(unknown, Reza, Maryam, new(2020, 1, 1), Vocabulary.Irrevocable, null, OfficeCode)))[Maryam]
            .Should().BeEquivalentTo(given[Maryam]);
        given.And(new StreamEvent(Maryam, new MarriageResumed(unknown, Reza, Maryam, new(2020, 1, 1), OfficeCode)))[Maryam]
            .Should().BeEquivalentTo(given[Maryam]);
    }

    [Fact]
    public void GivenATemporaryMarriage_WhenAskingForActiveMarriages_ThenItIsActiveUntilItsTermEnds()
    {
        var temporary = Marriage(AliAndMaryam.MarriageId, Ali, Maryam, new(2024, 1, 1), Vocabulary.Temporary);
        var maryam = Given(AliBorn, MaryamBorn).And(Married(temporary))[Maryam]!;

        maryam.ActiveMarriages(new(2024, 12, 31)).Should().ContainSingle();
        maryam.ActiveMarriages(new(2025, 1, 1)).Should().ContainSingle("the term's last day is still within the marriage");
        maryam.ActiveMarriages(new(2025, 1, 2)).Should().BeEmpty();
        maryam.Marriages.Should().ContainSingle("nothing is recorded when a term runs out");
    }

    // Held births, guardianship, and the once-in-a-lifetime age change.

    [Fact]
    public void GivenHeldBirths_WhenFolding_ThenEachIsPendingUntilConfirmedOrRejected()
    {
        var first = Guid.Parse("0195f0a0-0000-7000-8000-0000000000d1");
        var second = Guid.Parse("0195f0a0-0000-7000-8000-0000000000d2");
        var birth = new BirthRegistered(string.Empty, "Sara", "Ahmadi", Vocabulary.Female, new(2025, 5, 20), Tehran, Maryam, null, OfficeCode, Certificate);
        var heldFirst = new BirthHeldForReview(first, birth, Child, "registrar-1");
        var heldSecond = new BirthHeldForReview(second, birth with { GivenName = "Sarah" }, Child, "registrar-2");
        var given = Given(MaryamBorn, new StreamEvent(Maryam, heldFirst), new StreamEvent(Maryam, heldSecond));

        given[Maryam]!.HeldBirths.Should().Equal(heldFirst, heldSecond);
        given.And(new StreamEvent(Maryam, new HeldBirthConfirmed(first, SecondChild, "supervisor-7")))[Maryam]!
            .HeldBirths.Should().Equal(heldSecond);
        given.And(new StreamEvent(Maryam, new HeldBirthRejected(second, Child, "supervisor-7", "duplicate")))[Maryam]!
            .HeldBirths.Should().Equal(heldFirst);
    }

    [Fact]
    public void GivenAGuardianAppointed_WhenFolding_ThenTheChildNamesTheGuardian() =>
        Given(Born(Son, "Sina", Vocabulary.Male, new(2018, 3, 1)),
                new StreamEvent(Son, new GuardianAppointed(Son, Reza, "Reza Ahmadi", new(2025, 5, 1), Vocabulary.Court, "Court 9/1404/12", OfficeCode)))[Son]!
            .GuardianNationalCode.Should().Be(Reza);

    [Theory]
    [InlineData(Vocabulary.Commission, true)]
    [InlineData(Vocabulary.Court, false)]
    public void GivenAnApprovedBirthDateCorrection_WhenFolding_ThenOnlyTheCommissionUsesUpTheAgeChange(string authority, bool used)
    {
        var approved = new CorrectionApproved(Guid.Parse("0195f0a0-0000-7000-8000-0000000000c1"), Vocabulary.BirthDate, "1985-04-10", "1979-04-10",
            authority, "ref", "reason", "registrar-1", "supervisor-7");

        Given(AliBorn, new StreamEvent(Ali, approved))[Ali]!.AgeChangedByCommission.Should().Be(used);
    }

    [Fact]
    public void GivenAnApprovedCommissionCorrectionOfAnotherField_WhenFolding_ThenTheAgeChangeIsNotUsedUp()
    {
        var approved = new CorrectionApproved(Guid.Parse("0195f0a0-0000-7000-8000-0000000000c1"), Vocabulary.GivenName, "Ali", "Alireza",
            Vocabulary.Commission, "ref", "reason", "registrar-1", "supervisor-7");

        Given(AliBorn, new StreamEvent(Ali, approved))[Ali]!.AgeChangedByCommission.Should().BeFalse();
    }

    [Fact]
    public void GivenAFoetalDeath_WhenFolding_ThenTheMothersStateIsUnchanged()
    {
        var given = Given(MaryamBorn);
        given.And(new StreamEvent(Maryam, new FoetalDeathRegistered(Maryam, new(2025, 5, 1), 30, null, Tehran, null, null, null, OfficeCode)))[Maryam]
            .Should().BeEquivalentTo(given[Maryam]);
    }
}
