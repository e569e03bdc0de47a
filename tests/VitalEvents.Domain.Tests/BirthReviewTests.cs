using VitalEvents.Domain.Births;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

/// <summary>
/// A birth that looks like a child already registered to the same mother (born within 3 days, with a similar name) is held
/// on the mother's stream until a different person confirms or rejects it.
/// </summary>
public class BirthReviewTests
{
    private const string Registrar = "registrar-1";
    private const string Supervisor = "supervisor-7";
    private static readonly DateOnly FirstBirthDay = new(2025, 5, 20);
    private static readonly Guid HoldId = Guid.Parse("0195f0a0-0000-7000-8000-0000000000d1");
    private static readonly Guid OtherHoldId = Guid.Parse("0195f0a0-0000-7000-8000-0000000000d2");

    /// <summary>Maryam and Ali with a daughter (Child) already registered.</summary>
    private static Scenario ParentsWithAChild(string givenName = "Sara", int? multipleBirthOrder = null) =>
        Given(MaryamBorn, AliBorn,
            new StreamEvent(Child, new BirthRegistered(Child, givenName, "Ahmadi", Vocabulary.Female, FirstBirthDay, Tehran, Maryam, Ali,
                OfficeCode, Certificate, null, multipleBirthOrder, "Maryam", "Ali")),
            ChildOf(Maryam, "mother", Child, givenName, Vocabulary.Female, FirstBirthDay, multipleBirthOrder),
            ChildOf(Ali, "father", Child, givenName, Vocabulary.Female, FirstBirthDay, multipleBirthOrder));

    private static RegisterBirth Birth(string givenName = "Sara", DateOnly? on = null, int? multipleBirthOrder = null,
        string? mother = Maryam, string? father = Ali) =>
        new(givenName, "Ahmadi", Vocabulary.Female, on ?? FirstBirthDay, Tehran, mother, father, OfficeCode, Certificate,
            MultipleBirthOrder: multipleBirthOrder);

    private static Func<Scenario, Decision> Reviewing(RegisterBirth birth, RegistryLaw? law = null) => s =>
        BirthDecision.Review(birth, birth.MotherNationalCode is { } m ? s[m] : null, birth.FatherNationalCode is { } f ? s[f] : null,
            Today, HoldId, Registrar, law);

    private static Func<Scenario, Decision> Confirming(string by, Guid? holdId = null, string office = OfficeCode) => s =>
        BirthDecision.Confirm(holdId ?? HoldId, SecondChild, s[Maryam]!, s[Ali], by, office);

    private static Func<Scenario, Decision> Rejecting(string by, Guid? holdId = null, string office = OfficeCode) => s =>
        BirthDecision.Reject(holdId ?? HoldId, s[Maryam]!, by, "the same child registered twice", office);

    /// <summary>The registration as it is held: no national code yet, parents' names from their records.</summary>
    private static BirthRegistered HeldRegistration(RegisterBirth birth) =>
        new(string.Empty, birth.GivenName, "Ahmadi", Vocabulary.Female, birth.BirthDate, Tehran, Maryam, Ali, OfficeCode, Certificate,
            null, birth.MultipleBirthOrder, "Maryam", "Ali", false);

    private static StreamEvent Held(RegisterBirth birth) =>
        new(Maryam, new BirthHeldForReview(HoldId, HeldRegistration(birth), Child, Registrar));

    private static readonly RegisterBirth Duplicate = Birth(on: FirstBirthDay.AddDays(1));
    private static Scenario HeldDuplicate => ParentsWithAChild().And(Held(Duplicate));

    // Review: no suspicion, no events (the caller issues a code and registers).

    [Fact]
    public void GivenAMotherWithoutChildren_WhenReviewingABirth_ThenNothingIsHeld() =>
        Given(MaryamBorn, AliBorn).When(Reviewing(Birth())).Then();

    [Fact]
    public void GivenAnUnknownMother_WhenReviewingABirth_ThenNothingIsHeld() =>
        ParentsWithAChild().When(Reviewing(Birth(mother: null))).Then();

    [Theory]
    [InlineData("Sara", "Sara")]
    [InlineData("\u0639\u0644\u06CC", "\u0639\u0644\u064A")] // علی (Persian Yeh) and علي (Arabic Yeh)
    [InlineData("\u06A9\u0627\u0638\u0645", "\u0643\u0627\u0638\u0645")] // کاظم (Keheh) and كاظم (Arabic Kaf)
    [InlineData("Sara", "Sarah")]
    [InlineData("Maryam", "Mariam")]
    public void GivenAChildBornToTheSameMother_WhenReviewingABirthTheNextDayWithASimilarName_ThenItIsHeldOnTheMothersStream(
        string registeredName, string newName)
    {
        var birth = Birth(newName, on: FirstBirthDay.AddDays(1));
        ParentsWithAChild(registeredName).When(Reviewing(birth))
            .Then(new StreamEvent(Maryam, new BirthHeldForReview(HoldId, HeldRegistration(birth), Child, Registrar)));
    }

    [Theory]
    [InlineData(-3)]
    [InlineData(0)]
    [InlineData(3)]
    public void GivenAChildBornToTheSameMother_WhenReviewingTheSameNameWithin3Days_ThenItIsHeld(int daysApart)
    {
        var birth = Birth(on: FirstBirthDay.AddDays(daysApart));
        ParentsWithAChild().When(Reviewing(birth)).Then(Held(birth));
    }

    [Theory]
    [InlineData(-4)]
    [InlineData(4)]
    [InlineData(300)]
    public void GivenAChildBornToTheSameMother_WhenReviewingTheSameName4OrMoreDaysApart_ThenNothingIsHeld(int daysApart)
    {
        var on = FirstBirthDay.AddDays(daysApart);
        ParentsWithAChild().When(s => BirthDecision.Review(Birth(on: on), s[Maryam], s[Ali], on.AddDays(1), HoldId, Registrar)).Then();
    }

    [Theory]
    [InlineData("Mina")]
    [InlineData("Sima")]
    [InlineData("Zahra")]
    public void GivenAChildBornToTheSameMother_WhenReviewingADifferentNameOnTheSameDay_ThenNothingIsHeld(string newName) =>
        ParentsWithAChild().When(Reviewing(Birth(newName))).Then();

    [Fact]
    public void GivenTheFirstTwin_WhenReviewingTheSecondTwinWithADifferentBirthOrder_ThenNothingIsHeld() =>
        ParentsWithAChild("Sara", multipleBirthOrder: 1).When(Reviewing(Birth("Sarah", multipleBirthOrder: 2))).Then();

    [Fact]
    public void GivenTheFirstTwin_WhenReviewingABirthWithTheSameBirthOrder_ThenItIsHeld()
    {
        var birth = Birth("Sara", multipleBirthOrder: 1);
        ParentsWithAChild("Sara", multipleBirthOrder: 1).When(Reviewing(birth)).Then(Held(birth));
    }

    [Fact]
    public void GivenAChildWithoutADeclaredBirthOrder_WhenReviewingABirthDeclaredAsSecondTwin_ThenItIsHeld()
    {
        var birth = Birth("Sara", multipleBirthOrder: 2);
        ParentsWithAChild("Sara").When(Reviewing(birth)).Then(Held(birth));
    }

    [Fact]
    public void GivenALawWithA7DayWindow_WhenReviewingTheSameName5DaysApart_ThenItIsHeld()
    {
        var birth = Birth(on: FirstBirthDay.AddDays(5));
        ParentsWithAChild().When(Reviewing(birth, new RegistryLaw { DuplicateBirthWindowDays = 7 })).Then(Held(birth));
    }

    [Fact]
    public void GivenAChildOfTheSameMother_WhenReviewingABirthDatedTomorrow_ThenRejectedAsInTheFuture() =>
        ParentsWithAChild().When(Reviewing(Birth(on: Today.AddDays(1)))).ThenRejected("date.inFuture", ViolationKind.Invalid);

    [Fact]
    public void GivenAMotherRecordedAsMale_WhenReviewingABirth_ThenRejectedAsSexMismatch() =>
        Given(AliBorn).When(Reviewing(Birth(mother: Ali, father: null))).ThenRejected("parent.sexMismatch");

    [Fact]
    public void GivenAHeldBirth_WhenFoldingTheMothersStream_ThenItIsPendingAndNotYetHerChild()
    {
        var maryam = HeldDuplicate[Maryam]!;

        maryam.HeldBirths.Should().Equal(new BirthHeldForReview(HoldId, HeldRegistration(Duplicate), Child, Registrar));
        maryam.Children.Should().Equal(new ChildRecord(Child, "Sara", FirstBirthDay, null));
        HeldDuplicate[SecondChild].Should().BeNull();
    }

    // Confirm: a different person confirms the held birth as a new child, who is registered under the code now issued.

    [Fact]
    public void GivenAHeldBirth_WhenAnotherUserConfirmsIt_ThenTheChildIsRegisteredAndRecordedOnBothParents()
    {
        var registered = HeldRegistration(Duplicate) with { NationalCode = SecondChild };
        var after = HeldDuplicate.When(Confirming(Supervisor)).Then(
            new StreamEvent(Maryam, new HeldBirthConfirmed(HoldId, SecondChild, Supervisor)),
            new StreamEvent(SecondChild, registered),
            new StreamEvent(Maryam, new ChildBirthRecorded(SecondChild, "Sara", "Ahmadi", Vocabulary.Female, Duplicate.BirthDate, "mother")),
            new StreamEvent(Ali, new ChildBirthRecorded(SecondChild, "Sara", "Ahmadi", Vocabulary.Female, Duplicate.BirthDate, "father")));

        after[Maryam]!.HeldBirths.Should().BeEmpty();
        after[Maryam]!.Children.Select(c => c.NationalCode).Should().Equal(Child, SecondChild);
        after[Ali]!.Children.Select(c => c.NationalCode).Should().Equal(Child, SecondChild);
        after[SecondChild]!.Should().BeEquivalentTo(new
        {
            NationalCode = SecondChild, GivenName = "Sara", BirthDate = Duplicate.BirthDate, MotherNationalCode = Maryam, FatherNationalCode = Ali,
        });
    }

    [Fact]
    public void GivenAHeldLateRegistration_WhenConfirmed_ThenTheLateFlagSetWhenItWasHeldIsKept()
    {
        var lateBirth = Birth(on: new(2025, 4, 1));
        var given = Given(MaryamBorn, AliBorn, ChildOf(Maryam, "mother", Child, "Sara", Vocabulary.Female, new(2025, 4, 2)));
        var held = given.When(Reviewing(lateBirth)).Then(new StreamEvent(Maryam,
            new BirthHeldForReview(HoldId, HeldRegistration(lateBirth) with { LateRegistration = true }, Child, Registrar)));

        held.When(Confirming(Supervisor)).Then(
            new StreamEvent(Maryam, new HeldBirthConfirmed(HoldId, SecondChild, Supervisor)),
            new StreamEvent(SecondChild, HeldRegistration(lateBirth) with { NationalCode = SecondChild, LateRegistration = true }),
            new StreamEvent(Maryam, new ChildBirthRecorded(SecondChild, "Sara", "Ahmadi", Vocabulary.Female, lateBirth.BirthDate, "mother")),
            new StreamEvent(Ali, new ChildBirthRecorded(SecondChild, "Sara", "Ahmadi", Vocabulary.Female, lateBirth.BirthDate, "father")));
    }

    [Fact]
    public void GivenAHeldBirth_WhenTheRegistrarWhoHeldItConfirms_ThenForbiddenAsSameUser() =>
        HeldDuplicate.When(Confirming(Registrar)).ThenRejected("birthHold.sameUser", ViolationKind.Forbidden);

    [Fact]
    public void GivenAHeldBirth_WhenConfirmingAnUnknownHold_ThenRejectedAsNotPending() =>
        HeldDuplicate.When(Confirming(Supervisor, OtherHoldId)).ThenRejected("birthHold.notPending");

    [Fact]
    public void GivenAConfirmedHold_WhenConfirmingItAgain_ThenRejectedAsNotPending() =>
        HeldDuplicate.And(new StreamEvent(Maryam, new HeldBirthConfirmed(HoldId, SecondChild, Supervisor)))
            .When(Confirming("supervisor-8")).ThenRejected("birthHold.notPending");

    [Fact]
    public void GivenARejectedHold_WhenConfirmingIt_ThenRejectedAsNotPending() =>
        HeldDuplicate.And(new StreamEvent(Maryam, new HeldBirthRejected(HoldId, Child, Supervisor, "duplicate")))
            .When(Confirming("supervisor-8")).ThenRejected("birthHold.notPending");

    // Reject: a different person rejects the held birth as a duplicate; nobody is registered.

    [Fact]
    public void GivenAHeldBirth_WhenAnotherUserRejectsIt_ThenItIsRejectedOnTheMothersStreamAndNobodyIsRegistered()
    {
        var after = HeldDuplicate.When(Rejecting(Supervisor))
            .Then(new StreamEvent(Maryam, new HeldBirthRejected(HoldId, Child, Supervisor, "the same child registered twice")));

        after[Maryam]!.HeldBirths.Should().BeEmpty();
        after[Maryam]!.Children.Select(c => c.NationalCode).Should().Equal(Child);
        after[SecondChild].Should().BeNull();
    }

    [Fact]
    public void GivenAHeldBirth_WhenASupervisorOfAnotherOfficeConfirms_ThenRejectedAsOutsideJurisdiction() =>
        HeldDuplicate.When(Confirming(Supervisor, office: "136")).ThenRejected("office.outsideJurisdiction", ViolationKind.Forbidden);

    [Fact]
    public void GivenAHeldBirth_WhenASupervisorOfAnotherOfficeRejects_ThenRejectedAsOutsideJurisdiction() =>
        HeldDuplicate.When(Rejecting(Supervisor, office: "136")).ThenRejected("office.outsideJurisdiction", ViolationKind.Forbidden);

    [Fact]
    public void GivenAHeldBirth_WhenTheRegistrarWhoHeldItRejects_ThenForbiddenAsSameUser() =>
        HeldDuplicate.When(Rejecting(Registrar)).ThenRejected("birthHold.sameUser", ViolationKind.Forbidden);

    [Fact]
    public void GivenAHeldBirth_WhenRejectingAnUnknownHold_ThenRejectedAsNotPending() =>
        HeldDuplicate.When(Rejecting(Supervisor, OtherHoldId)).ThenRejected("birthHold.notPending");

    [Fact]
    public void GivenARejectedHold_WhenRejectingItAgain_ThenRejectedAsNotPending() =>
        HeldDuplicate.And(new StreamEvent(Maryam, new HeldBirthRejected(HoldId, Child, Supervisor, "duplicate")))
            .When(Rejecting("supervisor-8")).ThenRejected("birthHold.notPending");
}
