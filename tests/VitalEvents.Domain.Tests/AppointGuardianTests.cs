using VitalEvents.Domain.Births;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

/// <summary>Guardianship (سرپرستی) of a minor without living parents, recorded on the child's stream.</summary>
public class AppointGuardianTests
{
    private static readonly DateOnly AppointmentDay = new(2025, 5, 1);
    private static readonly DateOnly SonBirthDay = new(2018, 3, 1);
    private const string DecisionReference = "Family Court 9/1404/12";

    private static readonly StreamEvent SonOfMaryamAndAli = BornTo(Son, "Sina", Vocabulary.Male, SonBirthDay, Maryam, Ali);

    private static AppointGuardian Appoint(string child = Son, string guardian = Reza, DateOnly? on = null) =>
        new(child, guardian, on ?? AppointmentDay, Vocabulary.Court, DecisionReference, OfficeCode);

    /// <summary>The caller passes the child's registered parents.</summary>
    private static Func<Scenario, Decision> Appointing(AppointGuardian command, RegistryLaw? law = null) => s =>
    {
        var child = s[command.ChildNationalCode];
        var parents = new[] { child?.MotherNationalCode, child?.FatherNationalCode }
            .OfType<string>().Select(code => s[code]).OfType<Person>().ToList();
        return GuardianshipDecision.Decide(command, child, s[command.GuardianNationalCode], parents, Today, law);
    };

    private static StreamEvent Appointed(string child = Son, string guardian = Reza, string guardianName = "Reza Ahmadi", DateOnly? on = null) =>
        new(child, new GuardianAppointed(child, guardian, guardianName, on ?? AppointmentDay, Vocabulary.Court, DecisionReference, OfficeCode));

    private static Scenario Orphan => Given(MaryamBorn, AliBorn, RezaBorn, SonOfMaryamAndAli, Died(Maryam, new(2023, 1, 1)), Died(Ali, new(2024, 2, 2)));

    [Fact]
    public void GivenAChildWhoseParentsBothDied_WhenAppointingAGuardian_ThenItIsRecordedOnTheChildsStream()
    {
        var after = Orphan.When(Appointing(Appoint())).Then(Appointed());

        after[Son]!.GuardianNationalCode.Should().Be(Reza);
        after[Reza]!.Should().BeEquivalentTo(Orphan[Reza], "nothing is recorded on the guardian's stream");
    }

    [Fact]
    public void GivenAChildWithNoRegisteredParents_WhenAppointingAGuardian_ThenAccepted() =>
        Given(RezaBorn, Born(Son, "Sina", Vocabulary.Male, SonBirthDay)).When(Appointing(Appoint())).Then(Appointed());

    [Fact]
    public void GivenAChildWhoseMotherIsAlive_WhenAppointingAGuardian_ThenRejectedAsParentLiving() =>
        Given(MaryamBorn, AliBorn, RezaBorn, SonOfMaryamAndAli, Died(Ali, new(2024, 2, 2)))
            .When(Appointing(Appoint())).ThenRejected("guardianship.parentLiving");

    [Fact]
    public void GivenAChildWhoseFatherIsAlive_WhenAppointingAGuardian_ThenRejectedAsParentLiving() =>
        Given(MaryamBorn, AliBorn, RezaBorn, SonOfMaryamAndAli, Died(Maryam, new(2023, 1, 1)))
            .When(Appointing(Appoint())).ThenRejected("guardianship.parentLiving");

    [Fact]
    public void GivenAChildWithBothParentsAlive_WhenAppointingAGuardian_ThenRejectedAsParentLiving() =>
        Given(MaryamBorn, AliBorn, RezaBorn, SonOfMaryamAndAli).When(Appointing(Appoint())).ThenRejected("guardianship.parentLiving");

    [Fact]
    public void GivenAChildWithoutParentsWhoTurns18ThatDay_WhenAppointingAGuardian_ThenRejectedAsNotAMinor() =>
        Given(RezaBorn, Born(Son, "Sina", Vocabulary.Male, AppointmentDay.AddYears(-18)))
            .When(Appointing(Appoint())).ThenRejected("guardianship.notAMinor");

    [Fact]
    public void GivenAChildWithoutParentsWhoTurns18Tomorrow_WhenAppointingAGuardian_ThenAccepted() =>
        Given(RezaBorn, Born(Son, "Sina", Vocabulary.Male, AppointmentDay.AddYears(-18).AddDays(1)))
            .When(Appointing(Appoint())).Then(Appointed());

    [Fact]
    public void GivenAChildBornAfterTheAppointmentDate_WhenAppointingAGuardian_ThenRejectedAsNotAMinor() =>
        Given(RezaBorn, Born(Son, "Sina", Vocabulary.Male, AppointmentDay.AddDays(1)))
            .When(Appointing(Appoint())).ThenRejected("guardianship.notAMinor");

    [Fact]
    public void GivenAGuardianOf17_WhenAppointingThemGuardian_ThenRejectedAsGuardianNotOfAge() =>
        Orphan.And(Born(Teen, "Amir", Vocabulary.Male, AppointmentDay.AddYears(-18).AddDays(1)))
            .When(Appointing(Appoint(guardian: Teen))).ThenRejected("guardianship.guardianNotOfAge");

    [Fact]
    public void GivenAGuardianWhoTurns18ThatDay_WhenAppointingThemGuardian_ThenAccepted() =>
        Orphan.And(Born(Teen, "Amir", Vocabulary.Male, AppointmentDay.AddYears(-18)))
            .When(Appointing(Appoint(guardian: Teen))).Then(Appointed(guardian: Teen, guardianName: "Amir Ahmadi"));

    [Fact]
    public void GivenALawWithMajorityAt21_WhenAppointingAGuardianOf20_ThenRejectedAsGuardianNotOfAge() =>
        Orphan.And(Born(Teen, "Amir", Vocabulary.Male, AppointmentDay.AddYears(-20)))
            .When(Appointing(Appoint(guardian: Teen), new RegistryLaw { AgeOfMajority = 21 })).ThenRejected("guardianship.guardianNotOfAge");

    [Fact]
    public void GivenADeceasedChild_WhenAppointingAGuardian_ThenRejectedAsPersonDeceased() =>
        Orphan.And(Died(Son, new(2025, 1, 1))).When(Appointing(Appoint())).ThenRejected("person.deceased");

    [Fact]
    public void GivenADeceasedGuardian_WhenAppointingThemGuardian_ThenRejectedAsPersonDeceased() =>
        Orphan.And(Died(Reza, new(2025, 1, 1))).When(Appointing(Appoint())).ThenRejected("person.deceased");

    [Fact]
    public void GivenAnUnregisteredChild_WhenAppointingAGuardian_ThenRejectedAsPersonNotFound() =>
        Given(RezaBorn).When(Appointing(Appoint())).ThenRejected("person.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenAnUnregisteredGuardian_WhenAppointingThemGuardian_ThenRejectedAsPersonNotFound() =>
        Orphan.When(Appointing(Appoint(guardian: Hassan))).ThenRejected("person.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenAnOrphan_WhenAppointingAGuardianDatedTomorrow_ThenRejectedAsInTheFuture() =>
        Orphan.When(Appointing(Appoint(on: Today.AddDays(1)))).ThenRejected("date.inFuture", ViolationKind.Invalid);
}
