using VitalEvents.Domain.Births;
using static VitalEvents.Domain.Tests.Sample;
using static VitalEvents.Domain.Tests.Scenario;

namespace VitalEvents.Domain.Tests;

/// <summary>
/// Notified births (docs/domain.md, "Notified births"): a facility notifies a live birth on the mother's stream; a parent online or
/// a registrar at the office completes it with the given name, and it is registered (or held) as any registration, under the
/// facility's office, with the certificate as evidence.
/// </summary>
public class BirthNotificationTests
{
    private static readonly DateOnly BirthDay = new(2025, 5, 20); // 12 days before Sample.Today: not late
    private static readonly Guid NotificationId = Guid.Parse("0195f0a0-0000-7000-8000-0000000000a1");
    private static readonly Guid OtherNotificationId = Guid.Parse("0195f0a0-0000-7000-8000-0000000000a2");
    private static readonly Guid HoldId = Guid.Parse("0195f0a0-0000-7000-8000-0000000000d1");
    private static readonly Guid WeddingId = Guid.Parse("0195f0a0-0000-7000-8000-0000000000e1");

    // The facility is under another office (136) and elsewhere than the Sample office, so that what is registered is visibly its own.
    private const string FacilityId = "facility-12";
    private const string FacilityOffice = "136";
    private static readonly PlaceRecord FacilityPlace = new("Tehran", "Shemiranat", "Tajrish");
    private static readonly NotifyingFacility Facility = new(FacilityId, FacilityOffice, FacilityPlace);
    private static readonly CertifierRecord Certifier = new("Dr. Karimi", "irimc", "M-12345");
    private const string CertificateNumber = "MC-1404-0420";
    private const string Format = "fhir";
    private const string NotifiedBy = "facility-user-3";
    private const string Registrar = "registrar-1";
    private const string CitizenUser = "citizen-9";

    private const string Sara = "\u0633\u0627\u0631\u0627"; // سارا
    private const string DoctorPersian = "\u062F\u06A9\u062A\u0631"; // دکتر (Keheh)
    private const string DoctorArabicKaf = "\u062F\u0643\u062A\u0631"; // دكتر (Arabic Kaf)
    private const string Engineer = "\u0645\u0647\u0646\u062F\u0633"; // مهندس
    private const string HajiArabicYeh = "\u062D\u0627\u062C\u064A"; // حاجي (Arabic Yeh), as configured
    private const string HajiPersianYeh = "\u062D\u0627\u062C\u06CC"; // حاجی (Persian Yeh), as typed

    /// <summary>The configured list: one entry in Persian letters, one in Arabic letters, and a blank line that must refuse nothing.</summary>
    private static readonly GivenNamePolicy Policy = new([DoctorPersian, Engineer, HajiArabicYeh, "  "]);

    // Fathers with family names of their own, so that the child's family name shows whose it is (Maryam is an Ahmadi).
    private static readonly StreamEvent AliRahimiBorn = new(Ali, new BirthRegistered(Ali, "Ali", "Rahimi", Vocabulary.Male, new(1985, 4, 10),
        Tehran, null, null, OfficeCode, Certificate));
    private static readonly StreamEvent RezaKarimiBorn = new(Reza, new BirthRegistered(Reza, "Reza", "Karimi", Vocabulary.Male, new(1982, 11, 3),
        Tehran, null, null, OfficeCode, Certificate));

    /// <summary>Ali and Maryam, married since 2020.</summary>
    private static readonly MarriageRegistered Wedding = Marriage(WeddingId, Ali, Maryam, new(2020, 3, 1));

    private static Scenario MarriedCouple => Given([MaryamBorn, AliRahimiBorn, .. Married(Wedding)]);

    private static NotifyBirth Notice(string mother = Maryam, string? father = null, DateOnly? on = null, int plurality = 1, int? order = null,
        string certificate = CertificateNumber) =>
        new(certificate, Certifier, Vocabulary.Female, on ?? BirthDay, "08:17", plurality, order, 3250, 39, mother, father);

    private static BirthNotified Notification(NotifyBirth c, Guid? id = null) =>
        new(id ?? NotificationId, FacilityId, FacilityOffice, FacilityPlace, c.CertificateNumber, c.Certifier, c.Sex, c.BirthDate, c.BirthTime,
            c.Plurality, c.MultipleBirthOrder, c.BirthWeightGrams, c.GestationWeeks, c.MotherNationalCode, c.FatherNationalCode, Format, NotifiedBy);

    private static StreamEvent Notified(NotifyBirth c, Guid? id = null) => new(c.MotherNationalCode, Notification(c, id));

    /// <summary>Ali and Maryam, with a single birth notified and not yet completed.</summary>
    private static Scenario PendingForTheCouple(string? father = null) => MarriedCouple.And(RezaKarimiBorn, Notified(Notice(father: father)));

    private static Func<Scenario, Decision> Notifying(NotifyBirth c, Guid? id = null) => s =>
        BirthNotificationDecision.Notify(c, Facility, s[c.MotherNationalCode], c.FatherNationalCode is { } f ? s[f] : null, id ?? NotificationId,
            NotifiedBy, Format, Today);

    private static CompleteNotifiedBirth Online(string parent, string givenName = Sara, Guid? id = null) =>
        new(id ?? NotificationId, givenName, CitizenUser, parent);

    private static CompleteNotifiedBirth AtOffice(string givenName = Sara, Guid? id = null) => new(id ?? NotificationId, givenName, Registrar, null);

    /// <summary>The father's record as the handler loads it: the one <see cref="BirthNotificationDecision.Father"/> finds.</summary>
    private static Person? FatherOf(Scenario s, Person mother, Guid notificationId) =>
        BirthNotificationDecision.Pending(mother, notificationId) is { } n && BirthNotificationDecision.Father(n, mother) is { } f ? s[f] : null;

    private static Func<Scenario, Decision> Reviewing(CompleteNotifiedBirth c) => s =>
    {
        var mother = s[Maryam]!;
        return BirthNotificationDecision.Review(c, mother, FatherOf(s, mother, c.NotificationId), Today, HoldId, Policy);
    };

    private static Func<Scenario, Decision> Registering(CompleteNotifiedBirth c, DateOnly? today = null) => s =>
    {
        var mother = s[Maryam]!;
        return BirthNotificationDecision.Register(c, Child, mother, FatherOf(s, mother, c.NotificationId), today ?? Today);
    };

    private static string? FatherOfPending(Scenario s) => BirthNotificationDecision.Father(s[Maryam]!.NotifiedBirths.Single(), s[Maryam]!);

    private static RuleViolation? MayComplete(Scenario s, string citizen) =>
        BirthNotificationDecision.MayComplete(s[Maryam]!.NotifiedBirths.Single(), s[Maryam]!, citizen, Today);

    /// <summary>The registration a completion makes: the facility's office and place, the certificate as evidence, the notification's id.</summary>
    private static BirthRegistered ChildRegistered(string nationalCode = Child, string familyName = "Rahimi", string? father = Ali,
        string? fatherName = "Ali", bool late = false) =>
        new(nationalCode, Sara, familyName, Vocabulary.Female, BirthDay, FacilityPlace, Maryam, father, FacilityOffice,
            new EvidenceRecord("medicalCertificate", CertificateNumber), "08:17", null, "Maryam", fatherName, late, NotificationId);

    private static StreamEvent ChildRecorded(string parent, string role, string familyName = "Rahimi") =>
        new(parent, new ChildBirthRecorded(Child, Sara, familyName, Vocabulary.Female, BirthDay, role));

    private static StreamEvent Completed(string? childNationalCode, Guid? holdId, string completedBy, string channel) =>
        new(Maryam, new BirthNotificationCompleted(NotificationId, childNationalCode, holdId, completedBy, channel));

    // Notify: recorded on the mother's stream, after the checks of any registration.

    [Fact]
    public void GivenARegisteredMother_WhenAFacilityNotifiesABirth_ThenItIsRecordedOnHerStreamWithTheFacilityAndTheCertificate() =>
        Given(MaryamBorn).When(Notifying(Notice())).Then(new StreamEvent(Maryam, new BirthNotified(NotificationId, "facility-12", "136",
            new PlaceRecord("Tehran", "Shemiranat", "Tajrish"), "MC-1404-0420", new CertifierRecord("Dr. Karimi", "irimc", "M-12345"),
            Vocabulary.Female, new(2025, 5, 20), "08:17", 1, null, 3250, 39, Maryam, null, "fhir", "facility-user-3")));

    [Fact]
    public void GivenBothParents_WhenAFacilityNotifiesABirthNamingTheFather_ThenOnlyTheMothersStreamHasIt() =>
        Given(MaryamBorn, AliRahimiBorn).When(Notifying(Notice(father: Ali))).Then(Notified(Notice(father: Ali)));

    [Fact]
    public void GivenARegisteredMother_WhenNotifyingABirthToday_ThenAccepted() =>
        Given(MaryamBorn).When(Notifying(Notice(on: Today))).Then(Notified(Notice(on: Today)));

    [Fact]
    public void GivenARegisteredMother_WhenNotifyingABirthDatedTomorrow_ThenRejectedAsInTheFuture() =>
        Given(MaryamBorn).When(Notifying(Notice(on: Today.AddDays(1)))).ThenRejected("date.inFuture", ViolationKind.Invalid);

    [Fact]
    public void GivenAnUnregisteredMother_WhenNotifyingABirth_ThenRejectedAsParentNotFound() =>
        Given(AliRahimiBorn).When(Notifying(Notice())).ThenRejected("parent.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenAMotherRecordedAsMale_WhenNotifyingABirth_ThenRejectedAsSexMismatch() =>
        Given(AliRahimiBorn).When(Notifying(Notice(mother: Ali))).ThenRejected("parent.sexMismatch");

    [Fact]
    public void GivenAMotherWhoDiedBeforeTheBirth_WhenNotifyingIt_ThenRejectedAsParentDeceased() =>
        Given(MaryamBorn, Died(Maryam, BirthDay.AddDays(-1))).When(Notifying(Notice())).ThenRejected("parent.deceased");

    [Fact]
    public void GivenAMotherWhoDiedOnTheBirthDay_WhenNotifyingIt_ThenAccepted() =>
        Given(MaryamBorn, Died(Maryam, BirthDay)).When(Notifying(Notice())).Then(Notified(Notice()));

    [Fact]
    public void GivenAMotherBornAfterTheChild_WhenNotifyingABirth_ThenRejectedAsParentBornAfterChild() =>
        Given(MaryamBorn).When(Notifying(Notice(on: new(1989, 1, 1)))).ThenRejected("parent.bornAfterChild");

    [Fact]
    public void GivenAFatherRecordedAsFemale_WhenNotifyingABirthNamingHer_ThenRejectedAsSexMismatch() =>
        Given(MaryamBorn, ZahraBorn).When(Notifying(Notice(father: Zahra))).ThenRejected("parent.sexMismatch");

    [Fact]
    public void GivenAnUnregisteredFather_WhenNotifyingABirthNamingHim_ThenRejectedAsParentNotFound() =>
        Given(MaryamBorn).When(Notifying(Notice(father: Ali))).ThenRejected("parent.notFound", ViolationKind.NotFound);

    [Fact]
    public void GivenANotifiedChild_WhenTheSameChildIsNotifiedAgain_ThenRejectedAsDuplicate() =>
        Given(MaryamBorn, Notified(Notice()))
            .When(Notifying(Notice(certificate: "MC-1404-0421"), OtherNotificationId)).ThenRejected("birthNotification.duplicate");

    [Fact]
    public void GivenANotifiedFirstTwin_WhenTheFirstTwinIsNotifiedAgain_ThenRejectedAsDuplicate() =>
        Given(MaryamBorn, Notified(Notice(plurality: 2, order: 1)))
            .When(Notifying(Notice(plurality: 2, order: 1, certificate: "MC-1404-0421"), OtherNotificationId)).ThenRejected("birthNotification.duplicate");

    [Fact]
    public void GivenARegisteredMother_WhenBothTwinsAreNotified_ThenBothAreAcceptedAndPending()
    {
        var first = Notice(plurality: 2, order: 1);
        var second = Notice(plurality: 2, order: 2, certificate: "MC-1404-0421");
        var after = Given(MaryamBorn)
            .When(Notifying(first)).Then(Notified(first))
            .When(Notifying(second, OtherNotificationId)).Then(Notified(second, OtherNotificationId));

        after[Maryam]!.NotifiedBirths.Should().Equal(Notification(first), Notification(second, OtherNotificationId));
    }

    [Fact]
    public void GivenANotifiedChild_WhenAChildOfTheMotherBornTheNextDayIsNotified_ThenAccepted() =>
        Given(MaryamBorn, Notified(Notice()))
            .When(Notifying(Notice(on: BirthDay.AddDays(1)), OtherNotificationId)).Then(Notified(Notice(on: BirthDay.AddDays(1)), OtherNotificationId));

    [Fact]
    public void GivenAChildRegisteredWithThatBirthDate_WhenTheChildIsNotified_ThenRejectedAsChildRegistered() =>
        Given(MaryamBorn, ChildOf(Maryam, "mother", Child, Sara, Vocabulary.Female, BirthDay))
            .When(Notifying(Notice())).ThenRejected("birthNotification.childRegistered");

    [Fact]
    public void GivenTheFirstTwinRegistered_WhenTheSecondTwinIsNotified_ThenAccepted()
    {
        var second = Notice(plurality: 2, order: 2);
        Given(MaryamBorn, ChildOf(Maryam, "mother", Child, Sara, Vocabulary.Female, BirthDay, multipleBirthOrder: 1))
            .When(Notifying(second)).Then(Notified(second));
    }

    [Fact]
    public void GivenTheFirstTwinRegistered_WhenTheFirstTwinIsNotified_ThenRejectedAsChildRegistered() =>
        Given(MaryamBorn, ChildOf(Maryam, "mother", Child, Sara, Vocabulary.Female, BirthDay, multipleBirthOrder: 1))
            .When(Notifying(Notice(plurality: 2, order: 1))).ThenRejected("birthNotification.childRegistered");

    // Evolve: a notification waits on the mother's stream until it is completed.

    [Fact]
    public void GivenAMother_WhenABirthIsNotified_ThenItIsPendingOnHerState()
    {
        var maryam = Given(MaryamBorn, Notified(Notice()))[Maryam]!;

        maryam.NotifiedBirths.Should().Equal(Notification(Notice()));
        BirthNotificationDecision.Pending(maryam, NotificationId).Should().Be(Notification(Notice()));
        maryam.Children.Should().BeEmpty();
    }

    [Fact]
    public void GivenTwoPendingNotifications_WhenOneIsCompleted_ThenOnlyTheOtherIsStillPending()
    {
        var first = Notice(plurality: 2, order: 1);
        var second = Notice(plurality: 2, order: 2, certificate: "MC-1404-0421");
        var mother = Person.From([MaryamBorn.Event, Notification(first), Notification(second, OtherNotificationId)])!;

        var completed = Person.Evolve(mother, new BirthNotificationCompleted(NotificationId, Child, null, Registrar, BirthNotificationChannels.Office))!;

        completed.NotifiedBirths.Should().Equal(Notification(second, OtherNotificationId));
        BirthNotificationDecision.Pending(completed, NotificationId).Should().BeNull();
        mother.NotifiedBirths.Should().HaveCount(2, "folding returns a new state");
    }

    // Father: the one the facility names; else the mother's husband in a marriage in force on the day of the birth; else none.

    [Fact]
    public void GivenAMarriedMother_WhenTheFacilityNamedAnotherMan_ThenHeIsTheFather() =>
        FatherOfPending(PendingForTheCouple(father: Reza)).Should().Be(Reza);

    [Fact]
    public void GivenAMarriedMother_WhenTheFacilityNamedNoFather_ThenHerHusbandIsTheFather() =>
        FatherOfPending(PendingForTheCouple()).Should().Be(Ali);

    [Fact]
    public void GivenAnUnmarriedMother_WhenTheFacilityNamedNoFather_ThenThereIsNoFather() =>
        FatherOfPending(Given(MaryamBorn, Notified(Notice()))).Should().BeNull();

    [Fact]
    public void GivenAMarriageRegisteredAfterTheBirth_WhenTheFacilityNamedNoFather_ThenThereIsNoFather() =>
        FatherOfPending(Given([MaryamBorn, AliRahimiBorn, .. Married(Marriage(WeddingId, Ali, Maryam, BirthDay.AddDays(1))), Notified(Notice())]))
            .Should().BeNull();

    [Fact]
    public void GivenAMotherDivorcedBeforeTheBirth_WhenTheFacilityNamedNoFather_ThenThereIsNoFather() =>
        FatherOfPending(Given([MaryamBorn, AliRahimiBorn, .. Married(Wedding), .. Divorced(Wedding, new(2024, 1, 10)), Notified(Notice())]))
            .Should().BeNull();

    [Fact]
    public void GivenATemporaryMarriageWhoseTermEndedBeforeTheBirth_WhenTheFacilityNamedNoFather_ThenThereIsNoFather() =>
        FatherOfPending(Given([MaryamBorn, AliRahimiBorn, .. Married(Marriage(WeddingId, Ali, Maryam, new(2024, 1, 1), Vocabulary.Temporary)),
            Notified(Notice())])).Should().BeNull();

    [Fact]
    public void GivenATemporaryMarriageInForceAtTheBirthWhoseTermHasEndedSince_WhenTheFacilityNamedNoFather_ThenTheHusbandIsTheFather() =>
        FatherOfPending(Given([MaryamBorn, AliRahimiBorn, .. Married(Marriage(WeddingId, Ali, Maryam, new(2024, 5, 25), Vocabulary.Temporary)),
            Notified(Notice())])).Should().Be(Ali);

    // The marriage was in force on the day of the birth; that it ended since does not change whose child it is.

    [Fact]
    public void GivenAHusbandWhoDiedAfterTheBirth_WhenTheFacilityNamedNoFather_ThenHeIsStillTheFather() =>
        FatherOfPending(PendingForTheCouple().And(DiedMarried(Ali, BirthDay.AddDays(3), Wedding))).Should().Be(Ali);

    [Fact]
    public void GivenAMotherDivorcedAfterTheBirth_WhenTheFacilityNamedNoFather_ThenHerHusbandAtTheBirthIsStillTheFather() =>
        FatherOfPending(PendingForTheCouple().And(Divorced(Wedding, BirthDay.AddDays(5)))).Should().Be(Ali);

    [Fact]
    public void GivenAMotherWhoDiedInChildbirth_WhenTheFacilityNamedNoFather_ThenHerHusbandIsStillTheFather() =>
        FatherOfPending(PendingForTheCouple().And(DiedMarried(Maryam, BirthDay, Wedding))).Should().Be(Ali);

    // MayComplete: the mother, or the man the registry shows married to her now (only the named father, if one was named).

    [Fact]
    public void GivenAPendingNotification_WhenTheMotherCompletesIt_ThenSheMay() =>
        MayComplete(PendingForTheCouple(), Maryam).Should().BeNull();

    [Fact]
    public void GivenAPendingNotification_WhenHerCurrentHusbandCompletesIt_ThenHeMay() =>
        MayComplete(PendingForTheCouple(), Ali).Should().BeNull();

    [Fact]
    public void GivenTheFacilityNamedHerHusband_WhenHeCompletesIt_ThenHeMay() =>
        MayComplete(PendingForTheCouple(father: Ali), Ali).Should().BeNull();

    [Fact]
    public void GivenTheFacilityNamedAnotherMan_WhenHerHusbandCompletesIt_ThenForbidden() =>
        MayComplete(PendingForTheCouple(father: Reza), Ali).Should().BeEquivalentTo(new { Code = "birthNotification.notYourChild", Kind = ViolationKind.Forbidden });

    [Fact]
    public void GivenTheFacilityNamedAManNotMarriedToHer_WhenHeCompletesIt_ThenForbidden() =>
        MayComplete(PendingForTheCouple(father: Reza), Reza).Should().BeEquivalentTo(new { Code = "birthNotification.notYourChild", Kind = ViolationKind.Forbidden });

    [Fact]
    public void GivenAMotherDivorcedAfterTheBirth_WhenHerFormerHusbandCompletesIt_ThenForbidden() =>
        MayComplete(PendingForTheCouple().And(Divorced(Wedding, BirthDay.AddDays(5))), Ali)
            .Should().BeEquivalentTo(new { Code = "birthNotification.notYourChild", Kind = ViolationKind.Forbidden });

    [Fact]
    public void GivenAPendingNotification_WhenAStrangerCompletesIt_ThenForbidden() =>
        MayComplete(PendingForTheCouple().And(HassanBorn), Hassan)
            .Should().BeEquivalentTo(new { Code = "birthNotification.notYourChild", Kind = ViolationKind.Forbidden });

    // Review: the first look at a completion.

    [Fact]
    public void GivenAPendingNotification_WhenTheMotherCompletesItWithAnAcceptableName_ThenAcceptedWithNoEvents() =>
        PendingForTheCouple().When(Reviewing(Online(Maryam))).Then();

    [Fact]
    public void GivenAPendingNotification_WhenHerHusbandCompletesIt_ThenAcceptedWithNoEvents() =>
        PendingForTheCouple().When(Reviewing(Online(Ali))).Then();

    [Fact]
    public void GivenTheFacilityNamedAnotherMan_WhenHerHusbandCompletesItOnline_ThenForbidden() =>
        PendingForTheCouple(father: Reza).When(Reviewing(Online(Ali))).ThenRejected("birthNotification.notYourChild", ViolationKind.Forbidden);

    [Fact]
    public void GivenAPendingNotification_WhenAStrangerCompletesItOnline_ThenForbidden() =>
        PendingForTheCouple().And(HassanBorn).When(Reviewing(Online(Hassan))).ThenRejected("birthNotification.notYourChild", ViolationKind.Forbidden);

    [Fact]
    public void GivenTheFacilityNamedAnotherMan_WhenARegistrarCompletesItAtTheOffice_ThenAcceptedWithNoEvents() =>
        PendingForTheCouple(father: Reza).When(Reviewing(AtOffice())).Then();

    [Fact]
    public void GivenNoSuchNotification_WhenCompletingIt_ThenRejectedAsNotPending() =>
        PendingForTheCouple().When(Reviewing(Online(Maryam, id: OtherNotificationId))).ThenRejected("birthNotification.notPending");

    [Fact]
    public void GivenACompletedNotification_WhenCompletingItAgain_ThenRejectedAsNotPending() =>
        PendingForTheCouple().And(Completed(Child, null, Registrar, BirthNotificationChannels.Office))
            .When(Reviewing(Online(Maryam))).ThenRejected("birthNotification.notPending");

    [Theory]
    [InlineData(DoctorPersian)]
    [InlineData(DoctorArabicKaf)]
    [InlineData(Engineer)]
    [InlineData(HajiPersianYeh)]
    [InlineData(HajiArabicYeh)]
    public void GivenAPendingNotification_WhenCompletingItWithARefusedNameOrItsVariant_ThenRejectedAsRefused(string givenName) =>
        PendingForTheCouple().When(Reviewing(Online(Maryam, givenName))).ThenRejected("givenName.refused", ViolationKind.Invalid);

    [Fact]
    public void GivenAPendingNotification_WhenARegistrarCompletesItWithARefusedName_ThenRejectedAsRefused() =>
        PendingForTheCouple().When(Reviewing(AtOffice(DoctorArabicKaf))).ThenRejected("givenName.refused", ViolationKind.Invalid);

    [Fact]
    public void GivenTheSameChildSinceRegisteredAtTheOffice_WhenTheMotherCompletesTheNotification_ThenItIsHeldAndTheNotificationClosedWithoutACode()
    {
        var given = PendingForTheCouple().And(ChildOf(Maryam, "mother", Child, Sara, Vocabulary.Female, BirthDay),
            ChildOf(Ali, "father", Child, Sara, Vocabulary.Female, BirthDay));

        var after = given.When(Reviewing(Online(Maryam))).Then(
            new StreamEvent(Maryam, new BirthHeldForReview(HoldId, ChildRegistered(nationalCode: string.Empty), Child, CitizenUser)),
            Completed(null, HoldId, CitizenUser, BirthNotificationChannels.Online));

        after[Maryam]!.NotifiedBirths.Should().BeEmpty();
        after[Maryam]!.HeldBirths.Select(h => h.HoldId).Should().Equal(HoldId);
    }

    [Fact]
    public void GivenANotificationCompletedIntoAHold_WhenTheFacilityNotifiesTheSameChildAgain_ThenRejectedAsDuplicate() =>
        PendingForTheCouple().And(
                new StreamEvent(Maryam, new BirthHeldForReview(HoldId, ChildRegistered(nationalCode: string.Empty), SecondChild, Registrar)),
                Completed(null, HoldId, Registrar, BirthNotificationChannels.Office))
            .When(Notifying(Notice(), OtherNotificationId)).ThenRejected("birthNotification.duplicate");

    [Fact]
    public void GivenAChildWithASimilarNameBorn3DaysEarlier_WhenARegistrarCompletesTheNotification_ThenItIsHeld() =>
        PendingForTheCouple().And(ChildOf(Maryam, "mother", SecondChild, "\u0633\u0627\u0631\u0647", Vocabulary.Female, BirthDay.AddDays(-3))) // ساره
            .When(Reviewing(AtOffice())).Then(
                new StreamEvent(Maryam, new BirthHeldForReview(HoldId, ChildRegistered(nationalCode: string.Empty), SecondChild, Registrar)),
                Completed(null, HoldId, Registrar, BirthNotificationChannels.Office));

    [Fact]
    public void GivenAChildWithTheSameNameBorn4DaysEarlier_WhenCompletingTheNotification_ThenAcceptedWithNoEvents() =>
        PendingForTheCouple().And(ChildOf(Maryam, "mother", SecondChild, Sara, Vocabulary.Female, BirthDay.AddDays(-4)))
            .When(Reviewing(Online(Maryam))).Then();

    // GivenNamePolicy on its own.

    [Fact]
    public void GivenTheConfiguredList_WhenCheckingARefusedName_ThenTheViolationIsOnTheGivenName() =>
        Policy.Check(DoctorArabicKaf).Should().BeEquivalentTo(new { Code = "givenName.refused", Kind = ViolationKind.Invalid, Field = "givenName" });

    [Theory]
    [InlineData(Sara)]
    [InlineData("\u062F\u06A9\u062A\u0631 \u0639\u0644\u06CC")] // دکتر علی: the list holds whole names
    [InlineData("")]
    [InlineData(" ")]
    public void GivenTheConfiguredList_WhenCheckingANameNotOnIt_ThenNoViolation(string givenName) =>
        Policy.Check(givenName).Should().BeNull();

    // Register: the child is registered under the issued code, recorded on the parents' streams, and the notification closed.

    [Fact]
    public void GivenAMarriedMother_WhenSheCompletesTheNotificationOnline_ThenTheChildIsRegisteredUnderTheFacilitysOfficeWithTheFathersFamilyName() =>
        PendingForTheCouple().When(Registering(Online(Maryam))).Then(
            new StreamEvent(Child, ChildRegistered()),
            ChildRecorded(Maryam, "mother"),
            ChildRecorded(Ali, "father"),
            Completed(Child, null, CitizenUser, BirthNotificationChannels.Online));

    [Fact]
    public void GivenAMarriedMother_WhenARegistrarCompletesTheNotificationAtTheOffice_ThenTheChannelIsOffice() =>
        PendingForTheCouple().When(Registering(AtOffice())).Then(
            new StreamEvent(Child, ChildRegistered()),
            ChildRecorded(Maryam, "mother"),
            ChildRecorded(Ali, "father"),
            Completed(Child, null, Registrar, BirthNotificationChannels.Office));

    [Fact]
    public void GivenAnUnmarriedMother_WhenSheCompletesTheNotification_ThenTheChildHasNoFatherAndTheMothersFamilyName() =>
        Given(MaryamBorn, Notified(Notice())).When(Registering(Online(Maryam))).Then(
            new StreamEvent(Child, ChildRegistered(familyName: "Ahmadi", father: null, fatherName: null)),
            ChildRecorded(Maryam, "mother", "Ahmadi"),
            Completed(Child, null, CitizenUser, BirthNotificationChannels.Online));

    [Fact]
    public void GivenTheFacilityNamedAnotherMan_WhenARegistrarCompletesTheNotification_ThenHeIsTheFatherAndTheChildHasHisFamilyName() =>
        PendingForTheCouple(father: Reza).When(Registering(AtOffice())).Then(
            new StreamEvent(Child, ChildRegistered(familyName: "Karimi", father: Reza, fatherName: "Reza")),
            ChildRecorded(Maryam, "mother", "Karimi"),
            ChildRecorded(Reza, "father", "Karimi"),
            Completed(Child, null, Registrar, BirthNotificationChannels.Office));

    [Fact]
    public void GivenAMotherWhoDiedInChildbirth_WhenARegistrarCompletesTheNotification_ThenHerHusbandIsTheFather() =>
        PendingForTheCouple().And(DiedMarried(Maryam, BirthDay, Wedding)).When(Registering(AtOffice())).Then(
            new StreamEvent(Child, ChildRegistered()),
            ChildRecorded(Maryam, "mother"),
            ChildRecorded(Ali, "father"),
            Completed(Child, null, Registrar, BirthNotificationChannels.Office));

    [Fact]
    public void GivenNoSuchNotification_WhenRegisteringIt_ThenRejectedAsNotPending() =>
        PendingForTheCouple().When(Registering(AtOffice(id: OtherNotificationId))).ThenRejected("birthNotification.notPending");

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void GivenANotifiedBirth_WhenCompletedAtMost15DaysAfterTheBirth_ThenItIsNotALateRegistration(int daysAfter) =>
        PendingForTheCouple().When(Registering(Online(Maryam), BirthDay.AddDays(daysAfter))).Then(
            new StreamEvent(Child, ChildRegistered(late: false)),
            ChildRecorded(Maryam, "mother"),
            ChildRecorded(Ali, "father"),
            Completed(Child, null, CitizenUser, BirthNotificationChannels.Online));

    [Theory]
    [InlineData(16)]
    [InlineData(400)]
    public void GivenANotifiedBirth_WhenCompletedMoreThan15DaysAfterTheBirth_ThenItIsALateRegistration(int daysAfter) =>
        PendingForTheCouple().When(Registering(Online(Maryam), BirthDay.AddDays(daysAfter))).Then(
            new StreamEvent(Child, ChildRegistered(late: true)),
            ChildRecorded(Maryam, "mother"),
            ChildRecorded(Ali, "father"),
            Completed(Child, null, CitizenUser, BirthNotificationChannels.Online));

    [Fact]
    public void GivenARegisteredNotifiedChild_WhenTheFacilityNotifiesItAgain_ThenRejectedAsChildRegistered()
    {
        var after = PendingForTheCouple().When(Registering(Online(Maryam))).Then(
            new StreamEvent(Child, ChildRegistered()), ChildRecorded(Maryam, "mother"), ChildRecorded(Ali, "father"),
            Completed(Child, null, CitizenUser, BirthNotificationChannels.Online));

        after[Maryam]!.NotifiedBirths.Should().BeEmpty();
        after[Maryam]!.Children.Should().Equal(new ChildRecord(Child, Sara, BirthDay, null));
        after[Child]!.Should().BeEquivalentTo(new { MotherNationalCode = Maryam, FatherNationalCode = Ali, FamilyName = "Rahimi", RegisteredAtOffice = "136" });
        after.When(Notifying(Notice(), OtherNotificationId)).ThenRejected("birthNotification.childRegistered");
    }
}
