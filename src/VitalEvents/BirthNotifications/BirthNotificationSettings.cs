namespace VitalEvents.BirthNotifications;

/// <summary>
/// Settings of notified births (VitalEvents:BirthNotifications): when an unconfirmed notification is followed up by the office,
/// and the given names the registry refuses (Civil Registration Law Art. 20 gives the principle; the list is policy).
/// </summary>
public sealed class BirthNotificationSettings
{
    public const string Section = "VitalEvents:BirthNotifications";

    /// <summary>A notification not completed this long after it arrived is in the registrars' follow-up queue.</summary>
    public TimeSpan FollowUpAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Given names that may not be given: titles and honorifics by default. A configured list replaces this one.
    /// </summary>
    public string[] RefusedGivenNames { get; set; } =
        ["دکتر", "مهندس", "حاج", "حاجی", "آیت‌الله", "حجت‌الاسلام", "شیخ", "تیمسار", "سرهنگ", "سرتیپ", "ارباب", "خان", "شاه"];

    public bool IsValid => FollowUpAfter > TimeSpan.Zero && RefusedGivenNames.All(n => !string.IsNullOrWhiteSpace(n));
}
