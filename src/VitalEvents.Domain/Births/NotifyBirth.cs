namespace VitalEvents.Domain.Births;

/// <summary>A live birth as a facility notifies it: the medical certificate's particulars, the mother by national code, the father if known.</summary>
public sealed record NotifyBirth(
    string CertificateNumber, CertifierRecord Certifier, string Sex, DateOnly BirthDate, string? BirthTime, int Plurality, int? MultipleBirthOrder,
    int? BirthWeightGrams, int? GestationWeeks, string MotherNationalCode, string? FatherNationalCode);

/// <summary>The facility a notification comes from: the office (county) its births are registered under, and where it is.</summary>
public sealed record NotifyingFacility(string Id, string OfficeCode, PlaceRecord Place);

/// <summary>
/// A notified birth completed with the child's given name: online by a parent (<c>Parent</c> is their national code), or at the
/// office by a registrar (<c>Parent</c> null).
/// </summary>
public sealed record CompleteNotifiedBirth(Guid NotificationId, string GivenName, string CompletedBy, string? Parent)
{
    public string Channel => Parent is null ? BirthNotificationChannels.Office : BirthNotificationChannels.Online;
}

public static class BirthNotificationChannels
{
    public const string Online = "online";
    public const string Office = "office";
    public static readonly string[] All = [Online, Office];
}

/// <summary>
/// The given names the registry refuses (Civil Registration Law Art. 20 gives the principle: names contrary to religion, custom or
/// dignity, and titles; the list is the registry's policy, so configuration). Compared on folded search keys, so spelling variants
/// of a refused name are refused too.
/// </summary>
public sealed class GivenNamePolicy(IEnumerable<string> refused)
{
    private readonly HashSet<string> _refused = refused.Select(PersianText.SearchKey).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);

    public RuleViolation? Check(string givenName) =>
        _refused.Contains(PersianText.SearchKey(givenName))
            ? new RuleViolation("givenName.refused", $"The given name '{givenName}' is on the registry's list of names that may not be given (Civil Registration Law Art. 20).",
                ViolationKind.Invalid, "givenName")
            : null;
}

public static class BirthNotificationDecision
{
    /// <summary>
    /// A facility notifies a birth: recorded on the mother's stream. The mother (and the father, if named) must be registered and
    /// fit to be the parent as for any registration; the same child (mother, birth date, birth order) is never notified twice,
    /// nor notified once registered.
    /// </summary>
    public static Decision Notify(NotifyBirth c, NotifyingFacility facility, Person? mother, Person? father, Guid notificationId, string notifiedBy,
        string format, DateOnly today)
    {
        if (Rules.NotInFuture("birthDate", c.BirthDate, today) is { } future) return future;
        if (BirthDecision.CheckParent(c.MotherNationalCode, mother, Vocabulary.Female, "mother", c.BirthDate) is { } m) return m;
        if (BirthDecision.CheckParent(c.FatherNationalCode, father, Vocabulary.Male, "father", c.BirthDate) is { } f) return f;
        if (mother!.DateOfDeath is { } died && died < c.BirthDate)
            return new RuleViolation("parent.deceased", $"The mother {mother.NationalCode} died on {died:yyyy-MM-dd}, before the birth.", Field: "motherNationalCode");
        if (Notified(mother).FirstOrDefault(n => SameChild(n.BirthDate, n.Order, c)) is { Id: var id } notified && id != Guid.Empty)
            return new RuleViolation("birthNotification.duplicate",
                $"This child (mother {mother.NationalCode}, born {c.BirthDate:yyyy-MM-dd}, birth order {c.MultipleBirthOrder?.ToString() ?? "single"}) is notified already: notification {id}, certificate {notified.Certificate}.");
        if (mother.Children.FirstOrDefault(child => SameChild(child.BirthDate, child.MultipleBirthOrder, c)) is { } registered)
            return new RuleViolation("birthNotification.childRegistered",
                $"A child of the mother born on {c.BirthDate:yyyy-MM-dd} with the same birth order is registered already: {registered.NationalCode}.");
        return Decision.Accept(new StreamEvent(mother.NationalCode, new BirthNotified(notificationId, facility.Id, facility.OfficeCode, facility.Place,
            c.CertificateNumber, c.Certifier, c.Sex, c.BirthDate, c.BirthTime, c.Plurality, c.MultipleBirthOrder, c.BirthWeightGrams, c.GestationWeeks,
            mother.NationalCode, c.FatherNationalCode, format, notifiedBy)));
    }

    /// <summary>The notification, while it waits on the mother's stream.</summary>
    public static BirthNotified? Pending(Person mother, Guid notificationId) => mother.NotifiedBirths.FirstOrDefault(n => n.NotificationId == notificationId);

    /// <summary>
    /// The child's father: the one the facility named, else the mother's husband in a marriage in force on the day of the birth
    /// (the child of a marriage is its husband's), even when it has ended since (a divorce, his death, hers in childbirth); null
    /// when neither is known.
    /// </summary>
    public static string? Father(BirthNotified notification, Person mother)
    {
        var born = notification.BirthDate;
        return notification.FatherNationalCode
            ?? mother.Marriages.Concat(mother.PastMarriages.Where(p => p.EndedOn >= born).Select(p => p.Bond))
                .FirstOrDefault(m => m.Date <= born && (m.TermEnds is not { } ends || ends >= born))?.SpouseNationalCode;
    }

    /// <summary>
    /// Whether a citizen may complete the notification online: the mother, or the man the registry shows married to her now (and,
    /// when the facility named a father, that man).
    /// </summary>
    public static RuleViolation? MayComplete(BirthNotified notification, Person mother, string citizen, DateOnly today)
    {
        if (citizen == notification.MotherNationalCode) return null;
        var husband = mother.ActiveMarriages(today).Any(m => m.SpouseNationalCode == citizen);
        if (husband && (notification.FatherNationalCode is null || notification.FatherNationalCode == citizen)) return null;
        return new RuleViolation("birthNotification.notYourChild",
            "Only the mother, or the father the registry shows married to her, may complete this birth online.", ViolationKind.Forbidden);
    }

    /// <summary>
    /// The first look at a completion: refused (not pending, not the caller's to complete, a refused name, any rule of a
    /// registration), held as a suspected duplicate (the hold and the completion, no code issued), or accepted with no events
    /// (issue the code, then <see cref="Register"/>).
    /// </summary>
    public static Decision Review(CompleteNotifiedBirth c, Person mother, Person? father, DateOnly today, Guid holdId, GivenNamePolicy names,
        RegistryLaw? law = null)
    {
        if (Pending(mother, c.NotificationId) is not { } notification) return NotPending(c.NotificationId);
        if (c.Parent is { } parent && MayComplete(notification, mother, parent, today) is { } forbidden) return forbidden;
        if (names.Check(c.GivenName) is { } refused) return refused;
        var review = BirthDecision.Review(Registration(notification, c.GivenName, mother, father), mother, father, today, holdId, c.CompletedBy, law);
        if (!review.Accepted || review.Events.Count == 0) return review;
        return Decision.Accept([.. review.Events,
            new StreamEvent(mother.NationalCode, new BirthNotificationCompleted(c.NotificationId, null, holdId, c.CompletedBy, c.Channel))]);
    }

    /// <summary>Registers the notified child under the code issued for it, records it on the parents' streams, and closes the notification.</summary>
    public static Decision Register(CompleteNotifiedBirth c, string childNationalCode, Person mother, Person? father, DateOnly today, RegistryLaw? law = null)
    {
        if (Pending(mother, c.NotificationId) is not { } notification) return NotPending(c.NotificationId);
        var decided = BirthDecision.Decide(Registration(notification, c.GivenName, mother, father), childNationalCode, mother, father, today, law);
        if (!decided.Accepted) return decided;
        return Decision.Accept([.. decided.Events,
            new StreamEvent(mother.NationalCode, new BirthNotificationCompleted(c.NotificationId, childNationalCode, null, c.CompletedBy, c.Channel))]);
    }

    /// <summary>
    /// The registration a notification and a given name make: the facility's office and place, the certificate as evidence, and
    /// the family name the law gives (the father's; without a known father, the mother's).
    /// </summary>
    public static RegisterBirth Registration(BirthNotified n, string givenName, Person mother, Person? father) =>
        new(givenName, father?.FamilyName ?? mother.FamilyName, n.Sex, n.BirthDate, n.BirthPlace, n.MotherNationalCode, Father(n, mother), n.OfficeCode,
            new EvidenceRecord(Vocabulary.MedicalCertificate, n.CertificateNumber), n.BirthTime, n.MultipleBirthOrder, NotificationId: n.NotificationId);

    private static RuleViolation NotPending(Guid id) =>
        new("birthNotification.notPending", $"Birth notification {id} is not waiting to be completed: it has been registered or held already.");

    /// <summary>The mother's children notified and not registered: pending notifications, and those completed into a hold that waits.</summary>
    private static IEnumerable<(Guid Id, string Certificate, DateOnly BirthDate, int? Order)> Notified(Person mother) =>
        mother.NotifiedBirths.Select(n => (n.NotificationId, n.CertificateNumber, n.BirthDate, n.MultipleBirthOrder))
            .Concat(mother.HeldBirths.Where(h => h.Birth.NotificationId is not null)
                .Select(h => (h.Birth.NotificationId!.Value, h.Birth.Evidence.Reference, h.Birth.BirthDate, h.Birth.MultipleBirthOrder)));

    private static bool SameChild(DateOnly birthDate, int? order, NotifyBirth c) => birthDate == c.BirthDate && order == c.MultipleBirthOrder;
}
