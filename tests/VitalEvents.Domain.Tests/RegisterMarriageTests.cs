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
        string? courtAuthorisationReference = null, string? courtPermissionReference = null) =>
        new(NewMarriageId, husband, wife, on ?? WeddingDay, kind, kind == Vocabulary.Temporary ? (on ?? WeddingDay).AddYears(1) : null,
            courtAuthorisationReference, OfficeCode, courtPermissionReference);

    private static Func<Scenario, Decision> Registering(RegisterMarriage marriage, RegistryLaw? law = null) => s =>
        MarriageDecision.Decide(marriage, s[marriage.HusbandNationalCode], s[marriage.WifeNationalCode], Today, law);

    private static StreamEvent[] Recorded(RegisterMarriage m) =>
        Married(new MarriageRegistered(m.MarriageId, m.HusbandNationalCode, m.WifeNationalCode, m.Date, m.Kind, m.TermEnds,
            m.CourtAuthorisationReference, m.OfficeCode, m.CourtPermissionReference));

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
        Given(AliBorn, Born(Child, "Sara", Vocabulary.Female, new(2024, 12, 1)))
            .When(Registering(Marry(Ali, Child, on: new(2024, 9, 1))))
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

    // Minimum ages (Civil Code Art. 1041, configurable): 13 for girls, 15 for boys, below only with court permission.

    [Theory]
    [InlineData("2012-01-01")] // 12
    [InlineData("2011-09-02")] // one day short of 13
    public void GivenAGirlUnder13_WhenRegisteringHerMarriageWithoutCourtPermission_ThenRejectedAsUnderMinimumAge(string birthDate) =>
        Given(AliBorn, Born(Girl, "Nazanin", Vocabulary.Female, Date(birthDate)))
            .When(Registering(Marry(Ali, Girl))).ThenRejected("marriage.underMinimumAge");

    [Theory]
    [InlineData("2010-01-01")] // 14
    [InlineData("2009-09-02")] // one day short of 15
    public void GivenABoyUnder15_WhenRegisteringHisMarriageWithoutCourtPermission_ThenRejectedAsUnderMinimumAge(string birthDate) =>
        Given(ZahraBorn, Born(Boy, "Sina", Vocabulary.Male, Date(birthDate)))
            .When(Registering(Marry(Boy, Zahra))).ThenRejected("marriage.underMinimumAge");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void GivenAGirlOf12_WhenRegisteringHerMarriageWithABlankCourtPermission_ThenRejectedAsUnderMinimumAge(string permission) =>
        Given(AliBorn, Born(Girl, "Nazanin", Vocabulary.Female, new(2012, 1, 1)))
            .When(Registering(Marry(Ali, Girl, courtPermissionReference: permission))).ThenRejected("marriage.underMinimumAge");

    [Fact]
    public void GivenAGirlOf12_WhenRegisteringHerMarriageWithCourtPermission_ThenAcceptedWithThePermissionRecorded()
    {
        var marriage = Marry(Ali, Girl, courtPermissionReference: "Family Court 3/1403/912");
        Given(AliBorn, Born(Girl, "Nazanin", Vocabulary.Female, new(2012, 1, 1))).When(Registering(marriage))
            .Then(Married(new MarriageRegistered(NewMarriageId, Ali, Girl, WeddingDay, Vocabulary.Permanent, null, null, OfficeCode,
                "Family Court 3/1403/912")));
    }

    [Fact]
    public void GivenABoyOf14_WhenRegisteringHisMarriageWithCourtPermission_ThenAccepted()
    {
        var marriage = Marry(Boy, Zahra, courtPermissionReference: "Family Court 3/1403/913");
        Given(ZahraBorn, Born(Boy, "Sina", Vocabulary.Male, new(2010, 1, 1))).When(Registering(marriage)).Then(Recorded(marriage));
    }

    [Fact]
    public void GivenAGirlWhoTurns13OnTheWeddingDay_WhenRegisteringHerMarriage_ThenAcceptedWithoutCourtPermission()
    {
        var marriage = Marry(Ali, Girl);
        Given(AliBorn, Born(Girl, "Nazanin", Vocabulary.Female, WeddingDay.AddYears(-13))).When(Registering(marriage))
            .Then(Recorded(marriage));
    }

    [Fact]
    public void GivenABoyWhoTurns15OnTheWeddingDay_WhenRegisteringHisMarriage_ThenAcceptedWithoutCourtPermission()
    {
        var marriage = Marry(Boy, Zahra);
        Given(ZahraBorn, Born(Boy, "Sina", Vocabulary.Male, WeddingDay.AddYears(-15))).When(Registering(marriage))
            .Then(Recorded(marriage));
    }

    private static readonly RegistryLaw EighteenForBoth = new() { MinimumMarriageAgeWomen = 18, MinimumMarriageAgeMen = 18 };

    [Fact]
    public void GivenALawOf18ForWomen_WhenRegisteringTheMarriageOfAWomanOf17_ThenRejectedAsUnderMinimumAge() =>
        Given(AliBorn, Born(Girl, "Nazanin", Vocabulary.Female, WeddingDay.AddYears(-18).AddDays(1)))
            .When(Registering(Marry(Ali, Girl), EighteenForBoth)).ThenRejected("marriage.underMinimumAge");

    [Fact]
    public void GivenALawOf18ForWomen_WhenRegisteringTheMarriageOfAWomanWhoTurns18ThatDay_ThenAccepted()
    {
        var marriage = Marry(Ali, Girl);
        Given(AliBorn, Born(Girl, "Nazanin", Vocabulary.Female, WeddingDay.AddYears(-18)))
            .When(Registering(marriage, EighteenForBoth)).Then(Recorded(marriage));
    }

    [Fact]
    public void GivenALawOf18ForMen_WhenRegisteringTheMarriageOfAManOf16_ThenRejectedThoughTheDefaultLawAcceptsIt()
    {
        var given = Given(ZahraBorn, Born(Boy, "Sina", Vocabulary.Male, WeddingDay.AddYears(-16)));
        var marriage = Marry(Boy, Zahra);

        given.When(Registering(marriage, EighteenForBoth)).ThenRejected("marriage.underMinimumAge");
        given.When(Registering(marriage)).Then(Recorded(marriage));
    }

    [Fact]
    public void GivenALawOf18_WhenRegisteringTheMarriageOfAManOf16WithCourtPermission_ThenAccepted()
    {
        var marriage = Marry(Boy, Zahra, courtPermissionReference: "Family Court 3/1403/914");
        Given(ZahraBorn, Born(Boy, "Sina", Vocabulary.Male, WeddingDay.AddYears(-16)))
            .When(Registering(marriage, EighteenForBoth)).Then(Recorded(marriage));
    }

    // Prohibited kinship, from the parent links on the birth records.

    [Fact]
    public void GivenAFatherAndHisDaughter_WhenRegisteringTheirMarriage_ThenRejectedAsProhibitedKinship() =>
        Given(AliBorn, BornTo(Daughter, "Sara", Vocabulary.Female, new(2005, 3, 1), null, Ali))
            .When(Registering(Marry(Ali, Daughter))).ThenRejected("marriage.prohibitedKinship");

    [Fact]
    public void GivenAMotherAndHerSon_WhenRegisteringTheirMarriage_ThenRejectedAsProhibitedKinship() =>
        Given(MaryamBorn, BornTo(Son, "Sina", Vocabulary.Male, new(2006, 1, 1), Maryam, null))
            .When(Registering(Marry(Son, Maryam))).ThenRejected("marriage.prohibitedKinship");

    [Fact]
    public void GivenFullSiblings_WhenRegisteringTheirMarriage_ThenRejectedAsProhibitedKinship() =>
        Given(HassanBorn, LeilaBorn,
                BornTo(Brother, "Amir", Vocabulary.Male, new(1995, 1, 1), Leila, Hassan),
                BornTo(Sister, "Nazanin", Vocabulary.Female, new(1998, 1, 1), Leila, Hassan))
            .When(Registering(Marry(Brother, Sister))).ThenRejected("marriage.prohibitedKinship");

    [Fact]
    public void GivenHalfSiblingsWithTheSameMotherOnly_WhenRegisteringTheirMarriage_ThenRejectedAsProhibitedKinship() =>
        Given(HassanBorn, LeilaBorn, RezaBorn,
                BornTo(Brother, "Amir", Vocabulary.Male, new(1995, 1, 1), Leila, Hassan),
                BornTo(Sister, "Nazanin", Vocabulary.Female, new(2004, 1, 1), Leila, Reza))
            .When(Registering(Marry(Brother, Sister))).ThenRejected("marriage.prohibitedKinship");

    [Fact]
    public void GivenHalfSiblingsWithTheSameFatherOnly_WhenRegisteringTheirMarriage_ThenRejectedAsProhibitedKinship() =>
        Given(HassanBorn, LeilaBorn, MaryamBorn,
                BornTo(Brother, "Amir", Vocabulary.Male, new(1995, 1, 1), Leila, Hassan),
                BornTo(Sister, "Nazanin", Vocabulary.Female, new(2010, 1, 1), Maryam, Hassan))
            .When(Registering(Marry(Brother, Sister))).ThenRejected("marriage.prohibitedKinship");

    [Fact]
    public void GivenAManAndAWomanWithDifferentRegisteredParents_WhenRegisteringTheirMarriage_ThenAccepted()
    {
        var marriage = Marry(Brother, Sister);
        Given(HassanBorn, LeilaBorn, RezaBorn, MaryamBorn,
                BornTo(Brother, "Amir", Vocabulary.Male, new(1995, 1, 1), Leila, Hassan),
                BornTo(Sister, "Nazanin", Vocabulary.Female, new(2010, 1, 1), Maryam, Reza))
            .When(Registering(marriage)).Then(Recorded(marriage));
    }

    // Waiting periods: a widow waits 4 months 10 days; a divorcee until the end date on the divorce record.

    private static Scenario Widowed(DateOnly husbandDied) =>
        Given(AliBorn, RezaBorn, MaryamBorn).And(Married(RezaAndMaryam)).And(DiedMarried(Reza, husbandDied, RezaAndMaryam));

    [Theory]
    [InlineData("2024-01-11")]
    [InlineData("2024-03-15")]
    [InlineData("2024-05-20")] // 2024-01-10 + 4 months + 10 days: the last day of the waiting period
    public void GivenAWidowWithin4Months10DaysOfHerHusbandsDeath_WhenRegisteringHerMarriage_ThenRejectedAsWaitingPeriod(string on) =>
        Widowed(new(2024, 1, 10)).When(Registering(Marry(Ali, Maryam, on: Date(on)))).ThenRejected("marriage.waitingPeriod");

    [Fact]
    public void GivenAWidow_WhenRegisteringHerMarriageTheDayAfterTheWaitingPeriodEnds_ThenAccepted()
    {
        var marriage = Marry(Ali, Maryam, on: new(2024, 5, 21));
        Widowed(new(2024, 1, 10)).When(Registering(marriage)).Then(Recorded(marriage));
    }

    [Fact]
    public void GivenALawWithAThreeMonthWidowsWaitingPeriod_WhenRegisteringAMarriageAfterIt_ThenAccepted()
    {
        var marriage = Marry(Ali, Maryam, on: new(2024, 4, 11));
        var law = new RegistryLaw { WidowWaitingMonths = 3, WidowWaitingDays = 0 };
        Widowed(new(2024, 1, 10)).When(Registering(marriage, law)).Then(Recorded(marriage));
        Widowed(new(2024, 1, 10)).When(Registering(Marry(Ali, Maryam, on: new(2024, 4, 10)), law)).ThenRejected("marriage.waitingPeriod");
    }

    private static readonly DateOnly DivorceDay = new(2024, 6, 1);
    private static readonly DateOnly DivorceWaitingEnds = new(2024, 9, 1);

    private static Scenario DivorcedFromReza =>
        Given(AliBorn, RezaBorn, MaryamBorn).And(Married(RezaAndMaryam))
            .And(Divorced(RezaAndMaryam, DivorceDay, Vocabulary.Irrevocable, DivorceWaitingEnds));

    [Theory]
    [InlineData("2024-06-15")]
    [InlineData("2024-09-01")] // the recorded end of the waiting period
    public void GivenADivorceeBeforeHerRecordedWaitingPeriodEnds_WhenRegisteringHerMarriage_ThenRejectedAsWaitingPeriod(string on) =>
        DivorcedFromReza.When(Registering(Marry(Ali, Maryam, on: Date(on)))).ThenRejected("marriage.waitingPeriod");

    [Fact]
    public void GivenADivorcee_WhenRegisteringHerMarriageTheDayAfterHerWaitingPeriodEnds_ThenAccepted()
    {
        var marriage = Marry(Ali, Maryam, on: DivorceWaitingEnds.AddDays(1));
        DivorcedFromReza.When(Registering(marriage)).Then(Recorded(marriage));
    }

    [Fact]
    public void GivenADivorceeInHerWaitingPeriod_WhenRegisteringHerMarriageToTheSameExHusband_ThenAccepted()
    {
        var marriage = Marry(Reza, Maryam, on: new(2024, 6, 15));
        var after = DivorcedFromReza.When(Registering(marriage)).Then(Recorded(marriage));

        after[Maryam]!.Marriages.Should().Equal(new Bond(NewMarriageId, Reza, Vocabulary.Permanent, new(2024, 6, 15)));
    }

    // A temporary marriage: married until the term runs out, then waiting 45 days (when no end date was recorded).

    private static readonly MarriageRegistered RezaAndMaryamTemporary =
        Marriage(Guid.Parse("0195f0a0-0000-7000-8000-0000000000b2"), Reza, Maryam, new(2023, 6, 1), Vocabulary.Temporary);

    private static Scenario TemporarilyMarriedToReza =>
        Given(AliBorn, RezaBorn, MaryamBorn).And(Married(RezaAndMaryamTemporary));

    [Fact]
    public void GivenAWomanWhoseTemporaryMarriageTermRanOut_WhenFolding_ThenSheIsNoLongerMarriedAfterTheTermEnds()
    {
        var maryam = TemporarilyMarriedToReza[Maryam]!;
        var termEnds = RezaAndMaryamTemporary.TermEnds!.Value;

        termEnds.Should().Be(new DateOnly(2024, 6, 1));
        maryam.ActiveMarriages(termEnds).Should().ContainSingle();
        maryam.ActiveMarriages(termEnds.AddDays(1)).Should().BeEmpty();
    }

    private static Scenario TermWaivedByReza => TemporarilyMarriedToReza.And(
        new StreamEvent(Reza, new MarriageTermWaived(RezaAndMaryamTemporary.MarriageId, Reza, Maryam, new(2024, 3, 1), null, "001")),
        new StreamEvent(Maryam, new MarriageTermWaived(RezaAndMaryamTemporary.MarriageId, Reza, Maryam, new(2024, 3, 1), null, "001")));

    [Theory]
    [InlineData("2024-03-02")]
    [InlineData("2024-04-15")] // the waiver + 45 days: the last day of the waiting period
    public void GivenATermWaivedWithNoRecordedEnd_WhenTheWifeMarriesAnotherWithin45Days_ThenRejectedAsWaitingPeriod(string on) =>
        TermWaivedByReza.When(Registering(Marry(Ali, Maryam, on: Date(on)))).ThenRejected("marriage.waitingPeriod");

    [Fact]
    public void GivenATermWaivedWithNoRecordedEnd_WhenTheWifeMarriesAnotherAfter45Days_ThenAccepted()
    {
        var marriage = Marry(Ali, Maryam, on: new(2024, 4, 16));
        TermWaivedByReza.When(Registering(marriage)).Then(Recorded(marriage));
    }

    [Fact]
    public void GivenATemporaryMarriageOnItsLastDay_WhenRegisteringAnotherMarriageOfTheWife_ThenRejectedAsWifeAlreadyMarried() =>
        TemporarilyMarriedToReza.When(Registering(Marry(Ali, Maryam, on: new(2024, 6, 1)))).ThenRejected("marriage.wifeAlreadyMarried");

    [Theory]
    [InlineData("2024-06-02")]
    [InlineData("2024-07-16")] // the term's end + 45 days: the last day of the waiting period
    public void GivenAWomanWhoseTemporaryMarriageTermRanOut_WhenRegisteringHerMarriageWithin45Days_ThenRejectedAsWaitingPeriod(string on) =>
        TemporarilyMarriedToReza.When(Registering(Marry(Ali, Maryam, on: Date(on)))).ThenRejected("marriage.waitingPeriod");

    [Fact]
    public void GivenAWomanWhoseTemporaryMarriageTermRanOut_WhenRegisteringHerMarriageAfterTheTermEndsPlus45Days_ThenAccepted()
    {
        var marriage = Marry(Ali, Maryam, on: new(2024, 7, 17));
        TemporarilyMarriedToReza.When(Registering(marriage)).Then(Recorded(marriage));
    }

    [Fact]
    public void GivenAWomanWhoseTemporaryMarriageTermRanOut_WhenTheSameHusbandMarriesHerAgainWithin45Days_ThenAccepted()
    {
        var marriage = Marry(Reza, Maryam, on: new(2024, 6, 10), kind: Vocabulary.Temporary);
        TemporarilyMarriedToReza.When(Registering(marriage)).Then(Recorded(marriage));
    }

    [Fact]
    public void GivenAWifeInATemporaryMarriageWhoseTermHasNotRunOut_WhenRegisteringAPermanentMarriage_ThenRejectedAsWifeAlreadyMarried() =>
        Given(AliBorn, RezaBorn, MaryamBorn)
            .And(Married(Marriage(RezaAndMaryamTemporary.MarriageId, Reza, Maryam, new(2024, 3, 1), Vocabulary.Temporary)))
            .When(Registering(Marry(Ali, Maryam)))
            .ThenRejected("marriage.wifeAlreadyMarried");
}
