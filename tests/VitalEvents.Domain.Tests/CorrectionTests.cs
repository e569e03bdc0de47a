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

    private static RequestCorrection Request(string field, string newValue, Guid? correctionId = null, string authority = Authority) =>
        new(Ali, correctionId ?? FirstCorrection, field, newValue, authority, DecisionReference, Reason, Registrar, OfficeCode);

    private static StreamEvent Requested(string field, string? oldValue, string newValue, Guid? correctionId = null, string authority = Authority,
        string? office = OfficeCode) =>
        new(Ali, new CorrectionRequested(correctionId ?? FirstCorrection, field, oldValue, newValue, authority, DecisionReference, Reason, Registrar, office));

    private static StreamEvent Approved(string field, string? oldValue, string newValue, Guid? correctionId = null, string authority = Authority) =>
        new(Ali, new CorrectionApproved(correctionId ?? FirstCorrection, field, oldValue, newValue, authority, DecisionReference, Reason, Registrar,
            Supervisor));

    private static readonly Scenario PendingGivenName =
        Given(AliBorn, Requested(Vocabulary.GivenName, "Ali", "Alireza"));

    private static Func<Scenario, Decision> Requesting(RequestCorrection request) => s => CorrectionDecision.Decide(request, s[Ali]);

    private static Func<Scenario, Decision> Approving(string by, Guid? correctionId = null, string office = OfficeCode) =>
        s => CorrectionDecision.Decide(new ApproveCorrection(Ali, correctionId ?? FirstCorrection, by, office), s[Ali]!);

    private static Func<Scenario, Decision> Rejecting(string by, Guid? correctionId = null, string office = OfficeCode) =>
        s => CorrectionDecision.Decide(new RejectCorrection(Ali, correctionId ?? FirstCorrection, by, "no decision attached", office), s[Ali]!);

    [Fact]
    public void GivenAPendingCorrection_WhenASupervisorOfAnotherOfficeApproves_ThenRejectedAsOutsideJurisdiction() =>
        PendingGivenName.When(Approving(Supervisor, office: "136")).ThenRejected("office.outsideJurisdiction", ViolationKind.Forbidden);

    [Fact]
    public void GivenAPendingCorrection_WhenASupervisorOfAnotherOfficeRejects_ThenRejectedAsOutsideJurisdiction() =>
        PendingGivenName.When(Rejecting(Supervisor, office: "136")).ThenRejected("office.outsideJurisdiction", ViolationKind.Forbidden);

    [Fact]
    public void GivenACorrectionRequestedBeforeOfficesWereRecorded_WhenDecided_ThenItBelongsToThePersonsRegisteringOffice()
    {
        var legacy = Given(AliBorn, Requested(Vocabulary.GivenName, "Ali", "Alireza", office: null));
        legacy.When(Approving(Supervisor, office: "136")).ThenRejected("office.outsideJurisdiction", ViolationKind.Forbidden);
        legacy.When(Approving(Supervisor, office: OfficeCode)).Then(Approved(Vocabulary.GivenName, "Ali", "Alireza"));
    }

    [Theory]
    [InlineData(Vocabulary.GivenName, "Ali", "Alireza", "board")]
    [InlineData(Vocabulary.FamilyName, "Ahmadi", "Ahmadzadeh", "board")]
    [InlineData(Vocabulary.Sex, Vocabulary.Male, Vocabulary.Female, "board")]
    [InlineData(Vocabulary.BirthDate, "1985-04-10", "1985-04-01", Vocabulary.Court)] // a change of a few days: a court
    public void GivenAPerson_WhenRequestingACorrection_ThenItWaitsWithTheCurrentValueAsOldValue(string field, string oldValue, string newValue,
        string authority)
    {
        var after = Given(AliBorn).When(Requesting(Request(field, newValue, authority: authority)))
            .Then(Requested(field, oldValue, newValue, authority: authority));

        after[Ali]!.ValueOf(field).Should().Be(oldValue);
        after[Ali]!.PendingCorrections.Should().Equal(
            new PendingCorrection(FirstCorrection, field, newValue, authority, DecisionReference, Reason, Registrar, OfficeCode));
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
    [InlineData(Vocabulary.GivenName, "Ali", "Alireza", "board")]
    [InlineData(Vocabulary.FamilyName, "Ahmadi", "Ahmadzadeh", "nocr")]
    [InlineData(Vocabulary.Sex, Vocabulary.Male, Vocabulary.Female, "board")]
    [InlineData(Vocabulary.BirthDate, "1985-04-10", "1985-04-01", Vocabulary.Court)]
    public void GivenAPendingCorrection_WhenADifferentUserApproves_ThenTheFieldHoldsTheNewValue(string field, string oldValue, string newValue,
        string authority)
    {
        var given = Given(AliBorn, Requested(field, oldValue, newValue, authority: authority));
        var before = given[Ali]!;

        var after = given.When(Approving(Supervisor)).Then(Approved(field, oldValue, newValue, authority: authority));

        var corrected = after[Ali]!;
        corrected.ValueOf(field).Should().Be(newValue);
        corrected.PendingCorrections.Should().BeEmpty();
        foreach (var other in Vocabulary.CorrectableFields.Where(f => f != field))
            corrected.ValueOf(other).Should().Be(before.ValueOf(other), "only {0} was corrected", field);
    }

    [Fact]
    public void GivenAnApprovedBirthDateCorrection_WhenFoldingTheStream_ThenTheBirthDateIsTheNewDate() =>
        Given(AliBorn, Requested(Vocabulary.BirthDate, "1985-04-10", "1984-12-31", authority: Vocabulary.Court)).When(Approving(Supervisor))
            .Then(Approved(Vocabulary.BirthDate, "1985-04-10", "1984-12-31", authority: Vocabulary.Court))[Ali]!
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

    // Who decides what: the board, a court, NOCR (names), the commission (age changes of more than 5 years).

    [Theory]
    [InlineData(Vocabulary.Sex, Vocabulary.Female, "nocr")]
    [InlineData(Vocabulary.Sex, Vocabulary.Female, Vocabulary.Commission)]
    [InlineData(Vocabulary.BirthDate, "1985-04-01", "board")]
    [InlineData(Vocabulary.BirthDate, "1985-04-01", "nocr")]
    [InlineData(Vocabulary.GivenName, "Alireza", Vocabulary.Commission)]
    [InlineData(Vocabulary.FamilyName, "Ahmadzadeh", Vocabulary.Commission)]
    public void GivenAPerson_WhenRequestingACorrectionFromAnAuthorityThatDoesNotDecideThatField_ThenInvalidAsAuthorityNotAllowed(
        string field, string newValue, string authority) =>
        Given(AliBorn).When(Requesting(Request(field, newValue, authority: authority)))
            .ThenRejected("correction.authorityNotAllowed", ViolationKind.Invalid);

    [Theory]
    [InlineData(Vocabulary.GivenName, "Ali", "Alireza", "board")]
    [InlineData(Vocabulary.GivenName, "Ali", "Alireza", Vocabulary.Court)]
    [InlineData(Vocabulary.GivenName, "Ali", "Alireza", "nocr")]
    [InlineData(Vocabulary.FamilyName, "Ahmadi", "Ahmadzadeh", "nocr")]
    [InlineData(Vocabulary.FamilyName, "Ahmadi", "Ahmadzadeh", Vocabulary.Court)]
    [InlineData(Vocabulary.Sex, Vocabulary.Male, Vocabulary.Female, Vocabulary.Court)]
    public void GivenAPerson_WhenRequestingACorrectionFromAnAuthorityThatDecidesThatField_ThenAccepted(
        string field, string oldValue, string newValue, string authority) =>
        Given(AliBorn).When(Requesting(Request(field, newValue, authority: authority)))
            .Then(Requested(field, oldValue, newValue, authority: authority));

    // Age changes (Ali was born on 1985-04-10): more than 5 years only by the commission, once; up to 5 years only by a court.

    [Theory]
    [InlineData("1979-04-10")] // 6 years older
    [InlineData("1991-04-10")] // 6 years younger
    [InlineData("1980-04-09")] // 5 years and a day
    public void GivenAPerson_WhenACourtChangesTheirAgeByMoreThan5Years_ThenInvalidAsCommissionRequired(string newBirthDate) =>
        Given(AliBorn).When(Requesting(Request(Vocabulary.BirthDate, newBirthDate, authority: Vocabulary.Court)))
            .ThenRejected("correction.commissionRequired", ViolationKind.Invalid);

    [Theory]
    [InlineData("1982-04-10")] // 3 years
    [InlineData("1980-04-10")] // exactly 5 years
    [InlineData("1990-04-10")] // exactly 5 years younger
    [InlineData("1985-04-01")] // a few days
    public void GivenAPerson_WhenTheCommissionChangesTheirAgeBy5YearsOrLess_ThenInvalidAsCourtRequired(string newBirthDate) =>
        Given(AliBorn).When(Requesting(Request(Vocabulary.BirthDate, newBirthDate, authority: Vocabulary.Commission)))
            .ThenRejected("correction.courtRequired", ViolationKind.Invalid);

    [Theory]
    [InlineData("1980-04-10")]
    [InlineData("1990-04-10")]
    [InlineData("1982-04-10")]
    public void GivenAPerson_WhenACourtChangesTheirAgeByAtMost5Years_ThenAccepted(string newBirthDate) =>
        Given(AliBorn).When(Requesting(Request(Vocabulary.BirthDate, newBirthDate, authority: Vocabulary.Court)))
            .Then(Requested(Vocabulary.BirthDate, "1985-04-10", newBirthDate, authority: Vocabulary.Court));

    [Fact]
    public void GivenAPerson_WhenTheCommissionChangesTheirAgeBy6Years_ThenAcceptedAndOnceApprovedTheChangeIsUsedUp()
    {
        var approved = Given(AliBorn)
            .When(Requesting(Request(Vocabulary.BirthDate, "1979-04-10", authority: Vocabulary.Commission)))
            .Then(Requested(Vocabulary.BirthDate, "1985-04-10", "1979-04-10", authority: Vocabulary.Commission))
            .When(Approving(Supervisor))
            .Then(Approved(Vocabulary.BirthDate, "1985-04-10", "1979-04-10", authority: Vocabulary.Commission));

        approved[Ali]!.BirthDate.Should().Be(new DateOnly(1979, 4, 10));
        approved[Ali]!.AgeChangedByCommission.Should().BeTrue();

        approved.When(Requesting(Request(Vocabulary.BirthDate, "1973-04-10", SecondCorrection, Vocabulary.Commission)))
            .ThenRejected("correction.ageChangeAlreadyUsed");
    }

    [Fact]
    public void GivenAnAgeChangeByTheCommission_WhenACourtLaterChangesTheAgeBy2Years_ThenAccepted() =>
        Given(AliBorn, Approved(Vocabulary.BirthDate, "1985-04-10", "1979-04-10", authority: Vocabulary.Commission))
            .When(Requesting(Request(Vocabulary.BirthDate, "1981-04-10", SecondCorrection, Vocabulary.Court)))
            .Then(Requested(Vocabulary.BirthDate, "1979-04-10", "1981-04-10", SecondCorrection, Vocabulary.Court));

    [Fact]
    public void GivenAPendingCommissionAgeChange_WhenItIsRejected_ThenTheOnceInALifetimeChangeIsNotUsed()
    {
        var rejected = Given(AliBorn, Requested(Vocabulary.BirthDate, "1985-04-10", "1979-04-10", authority: Vocabulary.Commission))
            .When(Rejecting(Supervisor))
            .Then(new StreamEvent(Ali, new CorrectionRejected(FirstCorrection, Vocabulary.BirthDate, Registrar, Supervisor, "no decision attached")));

        rejected[Ali]!.AgeChangedByCommission.Should().BeFalse();
        rejected.When(Requesting(Request(Vocabulary.BirthDate, "1978-04-10", SecondCorrection, Vocabulary.Commission)))
            .Then(Requested(Vocabulary.BirthDate, "1985-04-10", "1978-04-10", SecondCorrection, Vocabulary.Commission));
    }

    [Fact]
    public void GivenAnAgeChangeByACourt_WhenTheCommissionLaterChangesTheAgeBy6Years_ThenAccepted()
    {
        var courtChanged = Given(AliBorn, Approved(Vocabulary.BirthDate, "1985-04-10", "1983-04-10", authority: Vocabulary.Court));

        courtChanged[Ali]!.AgeChangedByCommission.Should().BeFalse();
        courtChanged.When(Requesting(Request(Vocabulary.BirthDate, "1977-04-10", SecondCorrection, Vocabulary.Commission)))
            .Then(Requested(Vocabulary.BirthDate, "1983-04-10", "1977-04-10", SecondCorrection, Vocabulary.Commission));
    }
}
