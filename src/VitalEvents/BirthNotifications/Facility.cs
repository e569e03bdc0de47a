using Marten.Schema;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Http;

namespace VitalEvents.BirthNotifications;

/// <summary>The states of a facility: notifying, or held by an admin.</summary>
public static class FacilityStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public static readonly string[] All = [Active, Suspended];
}

/// <summary>
/// A health facility (a hospital, a maternity unit) registered to notify births: named in its users' tokens (the facility claim),
/// and registering its births under one registry office, the county whose national codes its newborns get.
/// </summary>
public sealed class Facility
{
    public string Id { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string NameEnglish { get; set; } = string.Empty;

    /// <summary>The office (county code) its births are registered under.</summary>
    public string OfficeCode { get; set; } = string.Empty;

    /// <summary>The city or village it is in: the place of birth of the children born there.</summary>
    public string City { get; set; } = string.Empty;
    public string Status { get; set; } = FacilityStatus.Active;

    /// <summary>1 when registered, one more with each change: the entity tag's version, which If-Match compares.</summary>
    public long Revision { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public string ChangedBy { get; set; } = string.Empty;
    public DateTimeOffset ChangedAt { get; set; }

    [Version]
    public Guid Version { get; set; }

    public bool IsActive => Status == FacilityStatus.Active;

    /// <summary>The facility as a notification records it: its office, and where its births take place.</summary>
    public NotifyingFacility Notifying()
    {
        var office = Offices.Find(OfficeCode)!;
        return new NotifyingFacility(Id, OfficeCode, new PlaceRecord(office.Province, office.County, City));
    }
}

/// <summary>A facility as admins (and its own users) see it.</summary>
public sealed record FacilityView(string Id, string Name, string NameEnglish, string OfficeCode, string City,
    [property: OneOf(typeof(FacilityStatus), nameof(FacilityStatus.All))] string Status, long Version, string CreatedBy, DateTimeOffset CreatedAt,
    string ChangedBy, DateTimeOffset ChangedAt) : IVersioned
{
    public static FacilityView Of(Facility f) =>
        new(f.Id, f.Name, f.NameEnglish, f.OfficeCode, f.City, f.Status, f.Revision, f.CreatedBy, f.CreatedAt, f.ChangedBy, f.ChangedAt);
}
