using VitalEvents.Domain.Divorces;
using VitalEvents.Domain.Marriages;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

/// <summary>Waiver of a temporary marriage's term (بذل مدت), return (رجوع) after a revocable divorce, and annulment (فسخ).</summary>
public class MarriageChangeTests
{
    private static readonly Guid UnknownMarriageId = Guid.Parse("0195f0a0-0000-7000-8000-00000000dead");

    private static Func<Scenario, Decision> Deciding<T>(T command, string husband, string wife) => s => command switch
    {
        WaiveMarriageTerm c => MarriageChangeDecision.Decide(c, s[husband]!, s[wife]!, Today),
        ResumeMarriage c => MarriageChangeDecision.Decide(c, s[husband]!, s[wife]!, Today),
        AnnulMarriage c => MarriageChangeDecision.Decide(c, s[husband]!, s[wife]!, Today),
        RegisterDivorce c => DivorceDecision.Decide(c, s[husband]!, s[wife]!, Today),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    private static StreamEvent[] OnBoth(string husband, string wife, object @event) =>
        [new(husband, @event), new(wife, @event)];

    // Waiver of the remaining term of a temporary marriage.

    private static readonly MarriageRegistered AliAndZahraTemporary =
        Marriage(Guid.Parse("0195f0a0-0000-7000-8000-0000000000e1"), Ali, Zahra, new(2024, 10, 1), Vocabulary.Temporary);
    private static readonly DateOnly WaiverDay = new(2025, 1, 15);
    private static readonly DateOnly WaiverWaitingEnds = new(2025, 3, 1);

    private static Scenario TemporarilyMarried => Given(AliBorn, ZahraBorn, RezaBorn).And(Married(AliAndZahraTemporary));

    private static WaiveMarriageTerm Waive(Guid? marriageId = null, DateOnly? on = null) =>
        new(marriageId ?? AliAndZahraTemporary.MarriageId, on ?? WaiverDay, WaiverWaitingEnds, OfficeCode);

    [Fact]
    public void GivenATemporaryMarriage_WhenTheHusbandWaivesTheRemainingTerm_ThenItEndsOnBothStreams()
    {
        var waived = new MarriageTermWaived(AliAndZahraTemporary.MarriageId, Ali, Zahra, WaiverDay, WaiverWaitingEnds, OfficeCode);
        var after = TemporarilyMarried.When(Deciding(Waive(), Ali, Zahra)).Then(OnBoth(Ali, Zahra, waived));

        var bond = new Bond(AliAndZahraTemporary.MarriageId, Ali, Vocabulary.Temporary, AliAndZahraTemporary.Date, new(2025, 10, 1));
        after[Zahra]!.Marriages.Should().BeEmpty();
        after[Zahra]!.PastMarriages.Should().Equal(new EndedBond(bond, Vocabulary.EndedByTermWaiver, WaiverDay, WaiverWaitingEnds));
        after[Ali]!.Marriages.Should().BeEmpty();
        after[Ali]!.PastMarriages.Should().Equal(new EndedBond(bond with { SpouseNationalCode = Zahra }, Vocabulary.EndedByTermWaiver, WaiverDay, WaiverWaitingEnds));
    }

    [Fact]
    public void GivenAWaivedTemporaryMarriage_WhenTheWifeMarriesAnotherManBeforeTheRecordedWaitingPeriodEnds_ThenRejectedAsWaitingPeriod()
    {
        var waived = TemporarilyMarried.And(OnBoth(Ali, Zahra,
            new MarriageTermWaived(AliAndZahraTemporary.MarriageId, Ali, Zahra, WaiverDay, WaiverWaitingEnds, OfficeCode)));
        var marriageId = Guid.Parse("0195f0a0-0000-7000-8000-0000000000e2");
        RegisterMarriage Marry(DateOnly on) => new(marriageId, Reza, Zahra, on, Vocabulary.Permanent, null, null, OfficeCode);

        waived.When(s => MarriageDecision.Decide(Marry(WaiverWaitingEnds), s[Reza], s[Zahra], Today)).ThenRejected("marriage.waitingPeriod");
        waived.When(s => MarriageDecision.Decide(Marry(WaiverWaitingEnds.AddDays(1)), s[Reza], s[Zahra], Today))
            .Then(Married(new MarriageRegistered(marriageId, Reza, Zahra, WaiverWaitingEnds.AddDays(1), Vocabulary.Permanent, null, null, OfficeCode)));
    }

    [Fact]
    public void GivenAPermanentMarriage_WhenWaivingItsTerm_ThenRejectedAsNotTemporary()
    {
        var permanent = Marriage(AliAndZahraTemporary.MarriageId, Ali, Zahra, new(2024, 10, 1));
        Given(AliBorn, ZahraBorn).And(Married(permanent)).When(Deciding(Waive(), Ali, Zahra)).ThenRejected("marriage.notTemporary");
    }

    [Theory]
    [InlineData("2024-06-01")] // the day the term ends
    [InlineData("2024-08-01")]
    public void GivenATemporaryMarriageWhoseTermHasEnded_WhenWaivingTheTerm_ThenRejectedAsTermAlreadyEnded(string on)
    {
        var expired = Marriage(AliAndZahraTemporary.MarriageId, Ali, Zahra, new(2023, 6, 1), Vocabulary.Temporary);
        Given(AliBorn, ZahraBorn).And(Married(expired)).When(Deciding(Waive(on: Date(on)), Ali, Zahra))
            .ThenRejected("marriage.termAlreadyEnded");
    }

    [Fact]
    public void GivenAWaivedTemporaryMarriage_WhenWaivingItAgain_ThenRejectedAsNotActive() =>
        TemporarilyMarried.And(OnBoth(Ali, Zahra,
                new MarriageTermWaived(AliAndZahraTemporary.MarriageId, Ali, Zahra, WaiverDay, WaiverWaitingEnds, OfficeCode)))
            .When(Deciding(Waive(on: WaiverDay.AddDays(1)), Ali, Zahra)).ThenRejected("marriage.notActive");

    [Fact]
    public void GivenATemporaryMarriage_WhenWaivingTheTermOfAnUnknownMarriage_ThenRejectedAsNotActive() =>
        TemporarilyMarried.When(Deciding(Waive(UnknownMarriageId), Ali, Zahra)).ThenRejected("marriage.notActive");

    [Fact]
    public void GivenATemporaryMarriage_WhenWaivingTheTermBeforeTheMarriageBegan_ThenRejectedAsEndBeforeStart() =>
        TemporarilyMarried.When(Deciding(Waive(on: AliAndZahraTemporary.Date.AddDays(-1)), Ali, Zahra)).ThenRejected("marriage.endBeforeStart");

    [Fact]
    public void GivenATemporaryMarriage_WhenWaivingTheTermTomorrow_ThenRejectedAsInTheFuture() =>
        TemporarilyMarried.When(Deciding(Waive(on: Today.AddDays(1)), Ali, Zahra)).ThenRejected("date.inFuture", ViolationKind.Invalid);

    [Fact]
    public void GivenATemporaryMarriageEndedByTheHusbandsDeath_WhenWaivingTheTerm_ThenRejectedAsPersonDeceased() =>
        TemporarilyMarried.And(DiedMarried(Ali, new(2025, 1, 1), AliAndZahraTemporary)).When(Deciding(Waive(), Ali, Zahra))
            .ThenRejected("person.deceased");

    // Return (رجوع) within the waiting period of a revocable divorce.

    private static readonly MarriageRegistered RezaAndMaryam = Marriage(Guid.Parse("0195f0a0-0000-7000-8000-0000000000b1"), Reza, Maryam, new(2012, 5, 1));
    private static readonly DateOnly DivorceDay = new(2025, 1, 10);
    private static readonly DateOnly DivorceWaitingEnds = new(2025, 4, 10);

    private static Scenario MarriedCouple => Given(AliBorn, RezaBorn, MaryamBorn).And(Married(RezaAndMaryam));

    private static Scenario RevocablyDivorced =>
        MarriedCouple.And(Divorced(RezaAndMaryam, DivorceDay, Vocabulary.Revocable, DivorceWaitingEnds));

    private static ResumeMarriage Return(DateOnly on, Guid? marriageId = null) => new(marriageId ?? RezaAndMaryam.MarriageId, on, OfficeCode);

    [Fact]
    public void GivenARevocableDivorce_WhenTheHusbandReturnsWithinTheWaitingPeriod_ThenTheMarriageIsActiveAgainOnBothStreams()
    {
        var on = new DateOnly(2025, 2, 1);
        var after = RevocablyDivorced.When(Deciding(Return(on), Reza, Maryam))
            .Then(OnBoth(Reza, Maryam, new MarriageResumed(RezaAndMaryam.MarriageId, Reza, Maryam, on, OfficeCode)));

        after[Maryam]!.Marriages.Should().Equal(new Bond(RezaAndMaryam.MarriageId, Reza, Vocabulary.Permanent, RezaAndMaryam.Date));
        after[Maryam]!.PastMarriages.Should().BeEmpty();
        after[Maryam]!.ActiveMarriages(Today).Should().ContainSingle();
        after[Reza]!.Marriages.Should().Equal(new Bond(RezaAndMaryam.MarriageId, Maryam, Vocabulary.Permanent, RezaAndMaryam.Date));
        after[Reza]!.PastMarriages.Should().BeEmpty();
    }

    [Theory]
    [InlineData("2025-01-10")] // the day of the divorce
    [InlineData("2025-04-10")] // the last day of the waiting period
    public void GivenARevocableDivorce_WhenTheHusbandReturnsOnTheFirstOrLastDay_ThenAccepted(string on) =>
        RevocablyDivorced.When(Deciding(Return(Date(on)), Reza, Maryam))
            .Then(OnBoth(Reza, Maryam, new MarriageResumed(RezaAndMaryam.MarriageId, Reza, Maryam, Date(on), OfficeCode)));

    [Fact]
    public void GivenAResumedMarriage_WhenRegisteringADivorce_ThenTheMarriageCanBeEndedAgain()
    {
        var on = new DateOnly(2025, 2, 1);
        var resumed = RevocablyDivorced.And(OnBoth(Reza, Maryam, new MarriageResumed(RezaAndMaryam.MarriageId, Reza, Maryam, on, OfficeCode)));
        var divorce = new RegisterDivorce(RezaAndMaryam.MarriageId, new(2025, 5, 1), Vocabulary.Irrevocable, new(2025, 8, 1), OfficeCode);

        resumed.When(Deciding(divorce, Reza, Maryam)).Then(OnBoth(Reza, Maryam, new DivorceRegistered(RezaAndMaryam.MarriageId, Reza, Maryam,
            new(2025, 5, 1), Vocabulary.Irrevocable, new(2025, 8, 1), OfficeCode)));
    }

    [Fact]
    public void GivenAnIrrevocableDivorce_WhenTheHusbandReturns_ThenRejectedAsNotRevocablyDivorced() =>
        MarriedCouple.And(Divorced(RezaAndMaryam, DivorceDay, Vocabulary.Irrevocable, DivorceWaitingEnds))
            .When(Deciding(Return(new(2025, 2, 1)), Reza, Maryam)).ThenRejected("marriage.notRevocablyDivorced");

    [Fact]
    public void GivenAMarriageInForce_WhenTheHusbandReturns_ThenRejectedAsNotRevocablyDivorced() =>
        MarriedCouple.When(Deciding(Return(new(2025, 2, 1)), Reza, Maryam)).ThenRejected("marriage.notRevocablyDivorced");

    [Fact]
    public void GivenARevocableDivorce_WhenReturningToAnUnknownMarriage_ThenRejectedAsNotRevocablyDivorced() =>
        RevocablyDivorced.When(Deciding(Return(new(2025, 2, 1), UnknownMarriageId), Reza, Maryam)).ThenRejected("marriage.notRevocablyDivorced");

    [Theory]
    [InlineData("2025-04-11")] // the day after the waiting period ends
    [InlineData("2025-05-30")]
    [InlineData("2025-01-09")] // before the divorce
    public void GivenARevocableDivorce_WhenTheHusbandReturnsOutsideTheWaitingPeriod_ThenRejectedAsReturnOutsideWaitingPeriod(string on) =>
        RevocablyDivorced.When(Deciding(Return(Date(on)), Reza, Maryam)).ThenRejected("marriage.returnOutsideWaitingPeriod");

    [Fact]
    public void GivenARevocableDivorceAndTheHusbandsDeath_WhenReturning_ThenRejectedAsPersonDeceased() =>
        RevocablyDivorced.And(Died(Reza, new(2025, 2, 1))).When(Deciding(Return(new(2025, 2, 15)), Reza, Maryam))
            .ThenRejected("person.deceased");

    [Fact]
    public void GivenARevocableDivorceAndTheWifesDeath_WhenReturning_ThenRejectedAsPersonDeceased() =>
        RevocablyDivorced.And(Died(Maryam, new(2025, 2, 1))).When(Deciding(Return(new(2025, 2, 15)), Reza, Maryam))
            .ThenRejected("person.deceased");

    [Fact]
    public void GivenARevocableDivorce_WhenReturningTomorrow_ThenRejectedAsInTheFuture() =>
        Given(RezaBorn, MaryamBorn).And(Married(RezaAndMaryam))
            .And(Divorced(RezaAndMaryam, Today.AddDays(-5), Vocabulary.Revocable, Today.AddDays(90)))
            .When(Deciding(Return(Today.AddDays(1)), Reza, Maryam)).ThenRejected("date.inFuture", ViolationKind.Invalid);

    // Annulment (فسخ).

    private static readonly MarriageRegistered AliAndMaryam = Marriage(Guid.Parse("0195f0a0-0000-7000-8000-0000000000a1"), Ali, Maryam, new(2015, 6, 1));
    private static readonly DateOnly AnnulmentDay = new(2025, 2, 1);

    private static AnnulMarriage Annul(DateOnly? on = null, Guid? marriageId = null) =>
        new(marriageId ?? AliAndMaryam.MarriageId, on ?? AnnulmentDay, "defect (Civil Code Art. 1122)", "Court 5/1403/77", new(2025, 5, 1), OfficeCode);

    private static Scenario AliMarriedToMaryam => Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam));

    [Fact]
    public void GivenAMarriage_WhenItIsAnnulled_ThenTheAnnulmentIsRecordedOnBothStreamsAndTheMarriageIsNoLongerActive()
    {
        var annulled = new MarriageAnnulled(AliAndMaryam.MarriageId, Ali, Maryam, AnnulmentDay, "defect (Civil Code Art. 1122)", "Court 5/1403/77",
            new(2025, 5, 1), OfficeCode);
        var after = AliMarriedToMaryam.When(Deciding(Annul(), Ali, Maryam)).Then(OnBoth(Ali, Maryam, annulled));

        after[Ali]!.Marriages.Should().BeEmpty();
        after[Maryam]!.Marriages.Should().BeEmpty();
        after[Maryam]!.ActiveMarriages(Today).Should().BeEmpty();
        after[Maryam]!.PastMarriages.Should().Equal(new EndedBond(new Bond(AliAndMaryam.MarriageId, Ali, Vocabulary.Permanent, AliAndMaryam.Date),
            Vocabulary.EndedByAnnulment, AnnulmentDay, new(2025, 5, 1)));

        after.When(Deciding(Annul(on: AnnulmentDay.AddDays(1)), Ali, Maryam)).ThenRejected("marriage.notActive");
    }

    [Fact]
    public void GivenADivorcedCouple_WhenAnnullingTheirMarriage_ThenRejectedAsNotActive() =>
        AliMarriedToMaryam.And(Divorced(AliAndMaryam, new(2024, 1, 1))).When(Deciding(Annul(), Ali, Maryam)).ThenRejected("marriage.notActive");

    [Fact]
    public void GivenAMarriage_WhenAnnullingAnUnknownMarriage_ThenRejectedAsNotActive() =>
        AliMarriedToMaryam.When(Deciding(Annul(marriageId: UnknownMarriageId), Ali, Maryam)).ThenRejected("marriage.notActive");

    [Fact]
    public void GivenAMarriage_WhenAnnullingItAsOfADateBeforeItBegan_ThenRejectedAsEndBeforeStart() =>
        AliMarriedToMaryam.When(Deciding(Annul(on: AliAndMaryam.Date.AddDays(-1)), Ali, Maryam)).ThenRejected("marriage.endBeforeStart");

    [Fact]
    public void GivenAMarriageEndedByTheWifesDeath_WhenAnnullingIt_ThenRejectedAsPersonDeceased() =>
        AliMarriedToMaryam.And(DiedMarried(Maryam, new(2025, 1, 1), AliAndMaryam)).When(Deciding(Annul(), Ali, Maryam))
            .ThenRejected("person.deceased");

    [Fact]
    public void GivenATemporaryMarriageWhoseTermRanOut_WhenAnnullingIt_ThenRejectedAsNotActive()
    {
        // The term ended on 2024-06-01: the marriage is over, so there is nothing left to annul.
        var expired = Marriage(AliAndMaryam.MarriageId, Ali, Maryam, new(2023, 6, 1), Vocabulary.Temporary);
        Given(AliBorn, MaryamBorn).And(Married(expired)).When(Deciding(Annul(), Ali, Maryam)).ThenRejected("marriage.notActive");
    }
}
