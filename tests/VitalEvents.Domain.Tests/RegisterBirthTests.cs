using VitalEvents.Domain.Births;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

public class RegisterBirthTests
{
    private static readonly DateOnly BirthDay = new(2025, 5, 20);

    private static RegisterBirth Birth(string? mother = null, string? father = null, DateOnly? on = null) =>
        new("Sara", "Ahmadi", Vocabulary.Female, on ?? BirthDay, Tehran, mother, father, OfficeCode, Certificate);

    private static Func<Scenario, Decision> Registering(RegisterBirth birth, RegistryLaw? law = null) => s =>
        BirthDecision.Decide(birth, Child, birth.MotherNationalCode is { } m ? s[m] : null,
            birth.FatherNationalCode is { } f ? s[f] : null, Today, law);

    /// <summary>The child's first event; parents' names as the booklet records them, and whether the registration is late.</summary>
    private static StreamEvent ChildBorn(RegisterBirth birth, string? motherName = null, string? fatherName = null, bool late = false) =>
        new(Child, new BirthRegistered(Child, "Sara", "Ahmadi", Vocabulary.Female, birth.BirthDate, Tehran,
            birth.MotherNationalCode, birth.FatherNationalCode, OfficeCode, Certificate, birth.BirthTime, birth.MultipleBirthOrder,
            motherName, fatherName, late));

    private static StreamEvent ChildRecorded(string parent, string role, DateOnly birthDate, int? multipleBirthOrder = null) =>
        new(parent, new ChildBirthRecorded(Child, "Sara", "Ahmadi", Vocabulary.Female, birthDate, role, multipleBirthOrder));

    [Fact]
    public void GivenNoRegisteredParents_WhenRegisteringABirth_ThenOnlyTheChildsStreamStarts()
    {
        var birth = Birth();
        Given().When(Registering(birth)).Then(ChildBorn(birth));
    }

    [Fact]
    public void GivenBothParents_WhenRegisteringABirth_ThenTheChildIsRecordedOnTheMotherAndTheFather()
    {
        var birth = Birth(mother: Maryam, father: Ali);
        Given(MaryamBorn, AliBorn).When(Registering(birth))
            .Then(ChildBorn(birth, motherName: "Maryam", fatherName: "Ali"),
                ChildRecorded(Maryam, "mother", BirthDay), ChildRecorded(Ali, "father", BirthDay));
    }

    [Fact]
    public void GivenNothing_WhenRegisteringABirthToday_ThenAccepted()
    {
        var birth = Birth(on: Today);
        Given().When(Registering(birth)).Then(ChildBorn(birth));
    }

    [Fact]
    public void GivenNothing_WhenRegisteringABirthDatedTomorrow_ThenRejectedAsInTheFuture() =>
        Given().When(Registering(Birth(on: Today.AddDays(1)))).ThenRejected("date.inFuture", ViolationKind.Invalid);

    [Fact]
    public void GivenAnUnregisteredMother_WhenRegisteringABirth_ThenRejectedAsParentNotFound() =>
        Given(AliBorn).When(Registering(Birth(mother: Maryam, father: Ali))).ThenRejected("parent.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenAnUnregisteredFather_WhenRegisteringABirth_ThenRejectedAsParentNotFound() =>
        Given(MaryamBorn).When(Registering(Birth(mother: Maryam, father: Ali))).ThenRejected("parent.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenAMotherRecordedAsMale_WhenRegisteringABirth_ThenRejectedAsSexMismatch() =>
        Given(AliBorn).When(Registering(Birth(mother: Ali))).ThenRejected("parent.sexMismatch");

    [Fact]
    public void GivenAFatherRecordedAsFemale_WhenRegisteringABirth_ThenRejectedAsSexMismatch() =>
        Given(ZahraBorn).When(Registering(Birth(father: Zahra))).ThenRejected("parent.sexMismatch");

    [Fact]
    public void GivenAMotherBornAfterTheChild_WhenRegisteringABirth_ThenRejectedAsParentBornAfterChild() =>
        Given(MaryamBorn).When(Registering(Birth(mother: Maryam, on: new(1989, 1, 1)))).ThenRejected("parent.bornAfterChild");

    [Fact]
    public void GivenAFatherBornOnTheChildsBirthDay_WhenRegisteringABirth_ThenRejectedAsParentBornAfterChild() =>
        Given(AliBorn).When(Registering(Birth(father: Ali, on: new(1985, 4, 10)))).ThenRejected("parent.bornAfterChild");

    [Fact]
    public void GivenAMotherWhoDiedBeforeTheBirth_WhenRegisteringABirth_ThenRejectedAsParentDeceased() =>
        Given(MaryamBorn, Died(Maryam, BirthDay.AddDays(-1))).When(Registering(Birth(mother: Maryam)))
            .ThenRejected("parent.deceased");

    [Fact]
    public void GivenAMotherWhoDiedOnTheBirthDay_WhenRegisteringABirth_ThenAccepted()
    {
        var birth = Birth(mother: Maryam);
        Given(MaryamBorn, Died(Maryam, BirthDay)).When(Registering(birth))
            .Then(ChildBorn(birth, motherName: "Maryam"), ChildRecorded(Maryam, "mother", BirthDay));
    }

    [Fact]
    public void GivenAFatherWhoDiedBeforeTheBirth_WhenRegisteringABirth_ThenThePosthumousChildIsAccepted()
    {
        var birth = Birth(mother: Maryam, father: Ali);
        Given(MaryamBorn, AliBorn, Died(Ali, BirthDay.AddMonths(-3))).When(Registering(birth))
            .Then(ChildBorn(birth, motherName: "Maryam", fatherName: "Ali"),
                ChildRecorded(Maryam, "mother", BirthDay), ChildRecorded(Ali, "father", BirthDay));
    }

    // Late registration (Registration Law Art. 15): more than 15 days after the birth.

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    public void GivenABirthAtMost15DaysAgo_WhenRegisteringIt_ThenItIsNotALateRegistration(int daysAgo)
    {
        var birth = Birth(on: Today.AddDays(-daysAgo));
        Given().When(Registering(birth)).Then(ChildBorn(birth, late: false));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(400)]
    public void GivenABirthMoreThan15DaysAgo_WhenRegisteringIt_ThenItIsMarkedAsALateRegistration(int daysAgo)
    {
        var birth = Birth(on: Today.AddDays(-daysAgo));
        Given().When(Registering(birth)).Then(ChildBorn(birth, late: true));
    }

    [Fact]
    public void GivenALawWithA30DayDeadline_WhenRegisteringABirth20DaysLater_ThenItIsNotLate()
    {
        var birth = Birth(on: Today.AddDays(-20));
        Given().When(Registering(birth, new RegistryLaw { BirthRegistrationDays = 30 })).Then(ChildBorn(birth, late: false));
    }

    [Fact]
    public void GivenALateBirthWithRegisteredParents_WhenRegisteringIt_ThenTheLateFlagIsOnTheChildsRecord()
    {
        var birth = Birth(mother: Maryam, father: Ali, on: new(2024, 1, 1));
        Given(MaryamBorn, AliBorn).When(Registering(birth))
            .Then(ChildBorn(birth, motherName: "Maryam", fatherName: "Ali", late: true),
                ChildRecorded(Maryam, "mother", birth.BirthDate), ChildRecorded(Ali, "father", birth.BirthDate));
    }

    // Parents' names: from the parents' records when registered, otherwise as declared.

    [Fact]
    public void GivenUnregisteredParents_WhenRegisteringABirthWithTheirNames_ThenTheNamesAreTakenFromTheCommand()
    {
        var birth = Birth() with { MotherName = "Fatemeh", FatherName = "Hossein" };
        Given().When(Registering(birth)).Then(ChildBorn(birth, motherName: "Fatemeh", fatherName: "Hossein"));
    }

    [Fact]
    public void GivenRegisteredParents_WhenTheCommandSpellsTheirNamesDifferently_ThenTheNamesOnTheirRecordsWin()
    {
        var birth = Birth(mother: Maryam, father: Ali) with { MotherName = "Mariam", FatherName = "Aly" };
        Given(MaryamBorn, AliBorn).When(Registering(birth))
            .Then(ChildBorn(birth, motherName: "Maryam", fatherName: "Ali"),
                ChildRecorded(Maryam, "mother", BirthDay), ChildRecorded(Ali, "father", BirthDay));
    }

    [Fact]
    public void GivenARegisteredMotherAndAnUnregisteredFather_WhenRegisteringABirth_ThenEachNameComesFromItsSource()
    {
        var birth = Birth(mother: Maryam) with { FatherName = "Hossein" };
        Given(MaryamBorn).When(Registering(birth))
            .Then(ChildBorn(birth, motherName: "Maryam", fatherName: "Hossein"), ChildRecorded(Maryam, "mother", BirthDay));
    }

    [Fact]
    public void GivenARegisteredMotherWhoseNameWasCorrected_WhenRegisteringABirth_ThenTheCorrectedNameIsRecorded()
    {
        var correction = new CorrectionApproved(Guid.Parse("0195f0a0-0000-7000-8000-0000000000c1"), Vocabulary.GivenName, "Maryam",
            "Maryam-Sadat", "board", "Board 001/1404/1", "transcription error", "registrar-1", "supervisor-7");
        var birth = Birth(mother: Maryam);
        Given(MaryamBorn, new StreamEvent(Maryam, correction)).When(Registering(birth))
            .Then(ChildBorn(birth, motherName: "Maryam-Sadat"), ChildRecorded(Maryam, "mother", BirthDay));
    }

    [Fact]
    public void GivenNoParentNames_WhenRegisteringABirthOfUnknownParents_ThenBothNamesAreEmpty()
    {
        var birth = Birth();
        Given().When(Registering(birth)).Then(ChildBorn(birth, motherName: null, fatherName: null));
    }

    // Multiple births: each child has its own record with the hour of birth and the birth order.

    [Fact]
    public void GivenBothParents_WhenRegisteringTheSecondTwin_ThenTheBirthOrderAndTimeAreOnTheChildAndOnEachParent()
    {
        var birth = Birth(mother: Maryam, father: Ali) with { BirthTime = "08:17", MultipleBirthOrder = 2 };
        Given(MaryamBorn, AliBorn).When(Registering(birth))
            .Then(
                new StreamEvent(Child, new BirthRegistered(Child, "Sara", "Ahmadi", Vocabulary.Female, BirthDay, Tehran, Maryam, Ali,
                    OfficeCode, Certificate, "08:17", 2, "Maryam", "Ali", false)),
                ChildRecorded(Maryam, "mother", BirthDay, multipleBirthOrder: 2),
                ChildRecorded(Ali, "father", BirthDay, multipleBirthOrder: 2));
    }

    [Fact]
    public void GivenARegisteredMother_WhenRegisteringATwin_ThenHerStateHoldsTheChildWithItsBirthOrder()
    {
        var birth = Birth(mother: Maryam) with { MultipleBirthOrder = 1 };
        var after = Given(MaryamBorn).When(Registering(birth))
            .Then(ChildBorn(birth, motherName: "Maryam"), ChildRecorded(Maryam, "mother", BirthDay, multipleBirthOrder: 1));

        after[Maryam]!.Children.Should().Equal(new ChildRecord(Child, "Sara", BirthDay, 1));
        after[Child]!.MotherNationalCode.Should().Be(Maryam);
    }
}
