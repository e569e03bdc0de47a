using VitalEvents.Domain.Births;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

public class RegisterBirthTests
{
    private static readonly DateOnly BirthDay = new(2025, 5, 20);

    private static RegisterBirth Birth(string? mother = null, string? father = null, DateOnly? on = null) =>
        new("Sara", "Ahmadi", Vocabulary.Female, on ?? BirthDay, Tehran, mother, father, OfficeCode, Certificate);

    private static Func<Scenario, Decision> Registering(RegisterBirth birth) => s =>
        BirthDecision.Decide(birth, Child, birth.MotherNationalCode is { } m ? s[m] : null,
            birth.FatherNationalCode is { } f ? s[f] : null, Today);

    private static StreamEvent ChildBorn(RegisterBirth birth) =>
        new(Child, new BirthRegistered(Child, "Sara", "Ahmadi", Vocabulary.Female, birth.BirthDate, Tehran,
            birth.MotherNationalCode, birth.FatherNationalCode, OfficeCode, Certificate));

    private static StreamEvent ChildRecorded(string parent, string role, DateOnly birthDate) =>
        new(parent, new ChildBirthRecorded(Child, "Sara", "Ahmadi", Vocabulary.Female, birthDate, role));

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
            .Then(ChildBorn(birth), ChildRecorded(Maryam, "mother", BirthDay), ChildRecorded(Ali, "father", BirthDay));
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
            .Then(ChildBorn(birth), ChildRecorded(Maryam, "mother", BirthDay));
    }

    [Fact]
    public void GivenAFatherWhoDiedBeforeTheBirth_WhenRegisteringABirth_ThenThePosthumousChildIsAccepted()
    {
        var birth = Birth(mother: Maryam, father: Ali);
        Given(MaryamBorn, AliBorn, Died(Ali, BirthDay.AddMonths(-3))).When(Registering(birth))
            .Then(ChildBorn(birth), ChildRecorded(Maryam, "mother", BirthDay), ChildRecorded(Ali, "father", BirthDay));
    }
}
