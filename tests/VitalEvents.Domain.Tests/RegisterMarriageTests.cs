using VitalEvents.Domain.Marriages;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

public class RegisterMarriageTests
{
    private static readonly Guid NewMarriageId = Guid.Parse("0195f0a0-0000-7000-8000-000000000001");
    private static readonly DateOnly WeddingDay = new(2024, 9, 1);
    private static readonly MarriageRegistered AliAndMaryam = Marriage(Guid.Parse("0195f0a0-0000-7000-8000-0000000000a1"), Ali, Maryam, new(2015, 6, 1));
    private static readonly MarriageRegistered RezaAndMaryam = Marriage(Guid.Parse("0195f0a0-0000-7000-8000-0000000000b1"), Reza, Maryam, new(2012, 5, 1));

    private static RegisterMarriage Marry(string husband, string wife, DateOnly? on = null, string kind = Vocabulary.Permanent,
        string? courtAuthorisationReference = null) =>
        new(NewMarriageId, husband, wife, on ?? WeddingDay, kind, kind == Vocabulary.Temporary ? (on ?? WeddingDay).AddYears(1) : null,
            courtAuthorisationReference, OfficeCode);

    private static Func<Scenario, Decision> Registering(RegisterMarriage marriage) => s =>
        MarriageDecision.Decide(marriage, s[marriage.HusbandNationalCode], s[marriage.WifeNationalCode], Today);

    private static StreamEvent[] Recorded(RegisterMarriage m) =>
        Married(new MarriageRegistered(m.MarriageId, m.HusbandNationalCode, m.WifeNationalCode, m.Date, m.Kind, m.TermEnds,
            m.CourtAuthorisationReference, m.OfficeCode));

    [Fact]
    public void GivenAnUnmarriedManAndWoman_WhenRegisteringTheirMarriage_ThenTheSameEventIsRecordedOnBothStreams()
    {
        var marriage = Marry(Ali, Maryam);
        var after = Given(AliBorn, MaryamBorn).When(Registering(marriage)).Then(Recorded(marriage));

        after[Ali]!.Marriages.Should().Equal(new Bond(NewMarriageId, Maryam, Vocabulary.Permanent, WeddingDay));
        after[Maryam]!.Marriages.Should().Equal(new Bond(NewMarriageId, Ali, Vocabulary.Permanent, WeddingDay));
    }

    [Fact]
    public void GivenAnUnregisteredHusband_WhenRegisteringAMarriage_ThenRejectedAsPersonNotFound() =>
        Given(MaryamBorn).When(Registering(Marry(Ali, Maryam))).ThenRejected("person.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenAnUnregisteredWife_WhenRegisteringAMarriage_ThenRejectedAsPersonNotFound() =>
        Given(AliBorn).When(Registering(Marry(Ali, Maryam))).ThenRejected("person.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenAManAndWoman_WhenRegisteringAMarriageDatedTomorrow_ThenRejectedAsInTheFuture() =>
        Given(AliBorn, MaryamBorn).When(Registering(Marry(Ali, Maryam, on: Today.AddDays(1))))
            .ThenRejected("date.inFuture", ViolationKind.Invalid);

    [Fact]
    public void GivenTwoWomen_WhenRegisteringAMarriage_ThenRejectedAsSexMismatch() =>
        Given(ZahraBorn, MaryamBorn).When(Registering(Marry(Zahra, Maryam))).ThenRejected("marriage.sexMismatch");

    [Fact]
    public void GivenTwoMen_WhenRegisteringAMarriage_ThenRejectedAsSexMismatch() =>
        Given(AliBorn, RezaBorn).When(Registering(Marry(Ali, Reza))).ThenRejected("marriage.sexMismatch");

    [Fact]
    public void GivenADeceasedHusband_WhenRegisteringAMarriage_ThenRejectedAsPersonDeceased() =>
        Given(AliBorn, MaryamBorn, Died(Ali, new(2024, 1, 1))).When(Registering(Marry(Ali, Maryam)))
            .ThenRejected("person.deceased");

    [Fact]
    public void GivenADeceasedWife_WhenRegisteringAMarriage_ThenRejectedAsPersonDeceased() =>
        Given(AliBorn, MaryamBorn, Died(Maryam, new(2024, 1, 1))).When(Registering(Marry(Ali, Maryam)))
            .ThenRejected("person.deceased");

    [Fact]
    public void GivenAWifeNotYetBornOnTheDate_WhenRegisteringAMarriage_ThenRejectedAsMarriageBeforeBirth() =>
        Given(AliBorn, MaryamBorn).When(Registering(Marry(Ali, Maryam, on: new(1990, 1, 1))))
            .ThenRejected("marriage.beforeBirth");

    [Fact]
    public void GivenAHusbandNotYetBornOnTheDate_WhenRegisteringAMarriage_ThenRejectedAsMarriageBeforeBirth() =>
        Given(ZahraBorn, Born(Child, "Sina", Vocabulary.Male, new(2024, 12, 1)))
            .When(Registering(Marry(Child, Zahra, on: new(2024, 9, 1))))
            .ThenRejected("marriage.beforeBirth");

    [Fact]
    public void GivenAWifeInAPermanentMarriage_WhenRegisteringAnotherMarriage_ThenRejectedAsWifeAlreadyMarried() =>
        Given(AliBorn, RezaBorn, MaryamBorn).And(Married(RezaAndMaryam)).When(Registering(Marry(Ali, Maryam)))
            .ThenRejected("marriage.wifeAlreadyMarried");

    [Fact]
    public void GivenAWifeInATemporaryMarriage_WhenRegisteringATemporaryMarriage_ThenRejectedAsWifeAlreadyMarried() =>
        Given(AliBorn, RezaBorn, MaryamBorn)
            .And(Married(Marriage(RezaAndMaryam.MarriageId, Reza, Maryam, new(2024, 3, 1), Vocabulary.Temporary)))
            .When(Registering(Marry(Ali, Maryam, kind: Vocabulary.Temporary)))
            .ThenRejected("marriage.wifeAlreadyMarried");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void GivenAHusbandInAPermanentMarriage_WhenRegisteringAnotherPermanentMarriageWithoutACourtReference_ThenRejected(
        string? courtReference) =>
        Given(AliBorn, MaryamBorn, ZahraBorn).And(Married(AliAndMaryam))
            .When(Registering(Marry(Ali, Zahra, courtAuthorisationReference: courtReference)))
            .ThenRejected("marriage.courtAuthorisationRequired");

    [Fact]
    public void GivenAHusbandInAPermanentMarriage_WhenRegisteringAnotherPermanentMarriageWithACourtReference_ThenAccepted()
    {
        var marriage = Marry(Ali, Zahra, courtAuthorisationReference: "Court 12/1403/5521");
        var after = Given(AliBorn, MaryamBorn, ZahraBorn).And(Married(AliAndMaryam)).When(Registering(marriage)).Then(Recorded(marriage));

        after[Ali]!.Marriages.Select(m => m.SpouseNationalCode).Should().Equal(Maryam, Zahra);
    }

    [Fact]
    public void GivenAHusbandInAPermanentMarriage_WhenRegisteringATemporaryMarriage_ThenAcceptedWithoutACourtReference()
    {
        var marriage = Marry(Ali, Zahra, kind: Vocabulary.Temporary);
        Given(AliBorn, MaryamBorn, ZahraBorn).And(Married(AliAndMaryam)).When(Registering(marriage)).Then(Recorded(marriage));
    }

    [Fact]
    public void GivenAWidow_WhenRegisteringHerMarriage_ThenAccepted()
    {
        var marriage = Marry(Ali, Maryam);
        Given(AliBorn, RezaBorn, MaryamBorn).And(Married(RezaAndMaryam)).And(DiedMarried(Reza, new(2023, 1, 10), RezaAndMaryam))
            .When(Registering(marriage)).Then(Recorded(marriage));
    }

    [Fact]
    public void GivenADivorcee_WhenRegisteringHerMarriage_ThenAccepted()
    {
        var marriage = Marry(Ali, Maryam);
        Given(AliBorn, RezaBorn, MaryamBorn).And(Married(RezaAndMaryam)).And(Divorced(RezaAndMaryam, new(2023, 1, 10)))
            .When(Registering(marriage)).Then(Recorded(marriage));
    }
}
