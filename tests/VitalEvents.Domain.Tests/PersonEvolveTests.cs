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
    public void GivenARecordedChild_WhenFolding_ThenTheParentsStateIsUnchanged()
    {
        var given = Given(AliBorn);

        given.And(new StreamEvent(Ali, new ChildBirthRecorded(Child, "Sara", "Ahmadi", Vocabulary.Female, new(2020, 1, 1), "father")))[Ali]
            .Should().BeEquivalentTo(given[Ali]);
    }
}
