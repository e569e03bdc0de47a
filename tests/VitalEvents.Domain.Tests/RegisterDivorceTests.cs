using VitalEvents.Domain.Divorces;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

public class RegisterDivorceTests
{
    private static readonly MarriageRegistered AliAndMaryam = Marriage(Guid.Parse("0195f0a0-0000-7000-8000-0000000000a1"), Ali, Maryam, new(2015, 6, 1));
    private static readonly DateOnly DivorceDay = new(2024, 11, 5);

    private static readonly Scenario MarriedCouple = Given(AliBorn, MaryamBorn).And(Married(AliAndMaryam));

    private static RegisterDivorce Divorce(DateOnly? on = null, Guid? marriageId = null) =>
        new(marriageId ?? AliAndMaryam.MarriageId, on ?? DivorceDay, Vocabulary.Revocable, (on ?? DivorceDay).AddDays(100), OfficeCode);

    private static Func<Scenario, Decision> Registering(RegisterDivorce divorce) => s => DivorceDecision.Decide(divorce, s[Ali]!, s[Maryam]!, Today);

    [Fact]
    public void GivenAMarriedCouple_WhenRegisteringTheirDivorce_ThenItIsRecordedOnBothStreams()
    {
        var divorce = new DivorceRegistered(AliAndMaryam.MarriageId, Ali, Maryam, DivorceDay, Vocabulary.Revocable, DivorceDay.AddDays(100), OfficeCode);
        var after = MarriedCouple.When(Registering(Divorce())).Then(new StreamEvent(Ali, divorce), new StreamEvent(Maryam, divorce));

        after[Ali]!.Marriages.Should().BeEmpty();
        after[Maryam]!.Marriages.Should().BeEmpty();
    }

    [Fact]
    public void GivenAMarriedCouple_WhenRegisteringADivorceDatedTomorrow_ThenRejectedAsInTheFuture() =>
        MarriedCouple.When(Registering(Divorce(on: Today.AddDays(1)))).ThenRejected("date.inFuture", ViolationKind.Invalid);

    [Fact]
    public void GivenADeceasedHusband_WhenRegisteringADivorce_ThenRejectedAsPersonDeceased() =>
        MarriedCouple.And(DiedMarried(Ali, new(2024, 10, 1), AliAndMaryam)).When(Registering(Divorce()))
            .ThenRejected("person.deceased");

    [Fact]
    public void GivenADeceasedWife_WhenRegisteringADivorce_ThenRejectedAsPersonDeceased() =>
        MarriedCouple.And(DiedMarried(Maryam, new(2024, 10, 1), AliAndMaryam)).When(Registering(Divorce()))
            .ThenRejected("person.deceased");

    [Fact]
    public void GivenADivorcedCouple_WhenRegisteringTheDivorceAgain_ThenRejectedAsMarriageNotActive() =>
        MarriedCouple.And(Divorced(AliAndMaryam, new(2023, 1, 1))).When(Registering(Divorce()))
            .ThenRejected("marriage.notActive");

    [Fact]
    public void GivenAMarriedCouple_WhenRegisteringADivorceOfAnUnknownMarriage_ThenRejectedAsMarriageNotActive() =>
        MarriedCouple.When(Registering(Divorce(marriageId: Guid.Parse("0195f0a0-0000-7000-8000-00000000dead"))))
            .ThenRejected("marriage.notActive");

    [Fact]
    public void GivenAMarriedCouple_WhenRegisteringADivorceDatedBeforeTheMarriage_ThenRejectedAsDivorceBeforeMarriage() =>
        MarriedCouple.When(Registering(Divorce(on: AliAndMaryam.Date.AddDays(-1)))).ThenRejected("divorce.beforeMarriage");
}
