using VitalEvents.Domain.Corrections;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

public class CorrectionTests
{
    private const string Registrar = "registrar-1";
    private const string Supervisor = "supervisor-7";
    private const string Authority = "board";
    private const string DecisionReference = "Board 001/1404/77";
    private const string Reason = "transcription error";
    private static readonly Guid FirstCorrection = Guid.Parse("0195f0a0-0000-7000-8000-0000000000c1");
    private static readonly Guid SecondCorrection = Guid.Parse("0195f0a0-0000-7000-8000-0000000000c2");

    private static RequestCorrection Request(string field, string newValue, Guid? correctionId = null) =>
        new(Ali, correctionId ?? FirstCorrection, field, newValue, Authority, DecisionReference, Reason, Registrar);

    private static StreamEvent Requested(string field, string? oldValue, string newValue, Guid? correctionId = null) =>
        new(Ali, new CorrectionRequested(correctionId ?? FirstCorrection, field, oldValue, newValue, Authority, DecisionReference, Reason, Registrar));

    private static readonly Scenario PendingGivenName =
        Given(AliBorn, Requested(Vocabulary.GivenName, "Ali", "Alireza"));

    private static Func<Scenario, Decision> Requesting(RequestCorrection request) => s => CorrectionDecision.Decide(request, s[Ali]);

    private static Func<Scenario, Decision> Approving(string by, Guid? correctionId = null) =>
        s => CorrectionDecision.Decide(new ApproveCorrection(Ali, correctionId ?? FirstCorrection, by), s[Ali]!);

    private static Func<Scenario, Decision> Rejecting(string by, Guid? correctionId = null) =>
        s => CorrectionDecision.Decide(new RejectCorrection(Ali, correctionId ?? FirstCorrection, by, "no decision attached"), s[Ali]!);

    [Theory]
    [InlineData(Vocabulary.GivenName, "Ali", "Alireza")]
    [InlineData(Vocabulary.FamilyName, "Ahmadi", "Ahmadzadeh")]
    [InlineData(Vocabulary.Sex, Vocabulary.Male, Vocabulary.Female)]
    [InlineData(Vocabulary.BirthDate, "1985-04-10", "1985-04-01")]
    public void GivenAPerson_WhenRequestingACorrection_ThenItWaitsWithTheCurrentValueAsOldValue(string field, string oldValue, string newValue)
    {
        var after = Given(AliBorn).When(Requesting(Request(field, newValue))).Then(Requested(field, oldValue, newValue));

        after[Ali]!.ValueOf(field).Should().Be(oldValue);
        after[Ali]!.PendingCorrections.Should().Equal(
            new PendingCorrection(FirstCorrection, field, newValue, Authority, DecisionReference, Reason, Registrar));
    }

    [Fact]
    public void GivenNobody_WhenRequestingACorrection_ThenRejectedAsPersonNotFound() =>
        Given().When(Requesting(Request(Vocabulary.GivenName, "Alireza"))).ThenRejected("person.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenAPerson_WhenRequestingTheValueTheyAlreadyHave_ThenRejectedAsNoChange() =>
        Given(AliBorn).When(Requesting(Request(Vocabulary.GivenName, "Ali"))).ThenRejected("correction.noChange");

    [Fact]
    public void GivenAPendingCorrectionOfTheField_WhenRequestingAnotherOfTheSameField_ThenRejectedAsAlreadyPending() =>
        PendingGivenName.When(Requesting(Request(Vocabulary.GivenName, "Alireza", SecondCorrection)))
            .ThenRejected("correction.alreadyPending");

    [Fact]
    public void GivenAPendingCorrectionOfAnotherField_WhenRequestingACorrection_ThenAccepted() =>
        PendingGivenName.When(Requesting(Request(Vocabulary.FamilyName, "Ahmadzadeh", SecondCorrection)))
            .Then(Requested(Vocabulary.FamilyName, "Ahmadi", "Ahmadzadeh", SecondCorrection));

    [Fact]
    public void GivenADeadPerson_WhenRequestingACorrection_ThenThePosthumousCorrectionIsAccepted() =>
        Given(AliBorn, Died(Ali, new(2024, 2, 2))).When(Requesting(Request(Vocabulary.FamilyName, "Ahmadzadeh")))
            .Then(Requested(Vocabulary.FamilyName, "Ahmadi", "Ahmadzadeh"));

    [Theory]
    [InlineData(Vocabulary.GivenName, "Ali", "Alireza")]
    [InlineData(Vocabulary.FamilyName, "Ahmadi", "Ahmadzadeh")]
    [InlineData(Vocabulary.Sex, Vocabulary.Male, Vocabulary.Female)]
    [InlineData(Vocabulary.BirthDate, "1985-04-10", "1985-04-01")]
    public void GivenAPendingCorrection_WhenADifferentUserApproves_ThenTheFieldHoldsTheNewValue(string field, string oldValue, string newValue)
    {
        var given = Given(AliBorn, Requested(field, oldValue, newValue));
        var before = given[Ali]!;

        var after = given.When(Approving(Supervisor)).Then(new StreamEvent(Ali, new CorrectionApproved(
            FirstCorrection, field, oldValue, newValue, Authority, DecisionReference, Reason, Registrar, Supervisor)));

        var corrected = after[Ali]!;
        corrected.ValueOf(field).Should().Be(newValue);
        corrected.PendingCorrections.Should().BeEmpty();
        foreach (var other in Vocabulary.CorrectableFields.Where(f => f != field))
            corrected.ValueOf(other).Should().Be(before.ValueOf(other), "only {0} was corrected", field);
    }

    [Fact]
    public void GivenAnApprovedBirthDateCorrection_WhenFoldingTheStream_ThenTheBirthDateIsTheNewDate() =>
        Given(AliBorn, Requested(Vocabulary.BirthDate, "1985-04-10", "1984-12-31")).When(Approving(Supervisor))
            .Then(new StreamEvent(Ali, new CorrectionApproved(FirstCorrection, Vocabulary.BirthDate, "1985-04-10", "1984-12-31",
                Authority, DecisionReference, Reason, Registrar, Supervisor)))[Ali]!
            .BirthDate.Should().Be(new DateOnly(1984, 12, 31));

    [Fact]
    public void GivenAnApprovedCorrection_WhenRequestingAnotherOfTheSameField_ThenItsOldValueIsTheCorrectedValue() =>
        PendingGivenName.When(Approving(Supervisor)).Then(new StreamEvent(Ali, new CorrectionApproved(FirstCorrection,
                Vocabulary.GivenName, "Ali", "Alireza", Authority, DecisionReference, Reason, Registrar, Supervisor)))
            .When(Requesting(Request(Vocabulary.GivenName, "Amir", SecondCorrection)))
            .Then(Requested(Vocabulary.GivenName, "Alireza", "Amir", SecondCorrection));

    [Fact]
    public void GivenAPendingCorrection_WhenTheRequesterApproves_ThenForbiddenAsSameUser() =>
        PendingGivenName.When(Approving(Registrar)).ThenRejected("correction.sameUser", ViolationKind.Forbidden);

    [Fact]
    public void GivenAPendingCorrection_WhenTheRequesterRejects_ThenForbiddenAsSameUser() =>
        PendingGivenName.When(Rejecting(Registrar)).ThenRejected("correction.sameUser", ViolationKind.Forbidden);

    [Fact]
    public void GivenAPendingCorrection_WhenApprovingAnUnknownCorrection_ThenRejectedAsNotPending() =>
        PendingGivenName.When(Approving(Supervisor, SecondCorrection)).ThenRejected("correction.notPending");

    [Fact]
    public void GivenAPendingCorrection_WhenRejectingAnUnknownCorrection_ThenRejectedAsNotPending() =>
        PendingGivenName.When(Rejecting(Supervisor, SecondCorrection)).ThenRejected("correction.notPending");

    [Fact]
    public void GivenAnApprovedCorrection_WhenApprovingItAgain_ThenRejectedAsNotPending() =>
        PendingGivenName.And(new StreamEvent(Ali, new CorrectionApproved(FirstCorrection, Vocabulary.GivenName, "Ali", "Alireza",
                Authority, DecisionReference, Reason, Registrar, Supervisor)))
            .When(Approving("supervisor-8")).ThenRejected("correction.notPending");

    [Fact]
    public void GivenARejectedCorrection_WhenApprovingIt_ThenRejectedAsNotPending() =>
        PendingGivenName.And(new StreamEvent(Ali, new CorrectionRejected(FirstCorrection, Vocabulary.GivenName, Registrar, Supervisor, "unfounded")))
            .When(Approving("supervisor-8")).ThenRejected("correction.notPending");

    [Fact]
    public void GivenAPendingCorrection_WhenADifferentUserRejects_ThenNothingChangesAndNothingIsPending()
    {
        var after = PendingGivenName.When(Rejecting(Supervisor))
            .Then(new StreamEvent(Ali, new CorrectionRejected(FirstCorrection, Vocabulary.GivenName, Registrar, Supervisor, "no decision attached")));

        after[Ali]!.GivenName.Should().Be("Ali");
        after[Ali]!.PendingCorrections.Should().BeEmpty();
    }
}
