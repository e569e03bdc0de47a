using Hl7.Fhir.Model;
using VitalEvents.BirthNotifications;

namespace VitalEvents.Tests.BirthNotifications;

/// <summary>
/// Birth bundles as a hospital's system would build them with Firely's POCOs, shaped like BFDR's provider live-birth report.
/// Entries: 0 Composition or MessageHeader, 1 the child, 2 the mother, 3 the father (a RelatedPerson), 4 the Location, 5 the
/// certifier, 6 birth weight, 7 gestational age, 8 the Encounter, then the plurality when given.
/// </summary>
public static class BirthBundles
{
    public static Bundle Document(string mother, string? father = null, string certificate = "BC-1404-0001", (decimal, string)? weight = null,
        (decimal, string)? gestation = null, int? order = null, int? plurality = null, string facility = "imam-khomeini") =>
        Build(Bundle.BundleType.Document, mother, father, certificate, weight ?? (3.25m, "kg"), gestation ?? (274m, "d"), order, plurality, facility);

    public static Bundle Message(string mother, string? father = null, string certificate = "BC-1404-0001", (decimal, string)? weight = null,
        (decimal, string)? gestation = null) =>
        Build(Bundle.BundleType.Message, mother, father, certificate, weight ?? (3250m, "g"), gestation ?? (39m, "wk"), null, null, "imam-khomeini");

    public static Patient Child(Bundle bundle) => (Patient)bundle.Entry[1].Resource!;

    public static Patient Mother(Bundle bundle) => (Patient)bundle.Entry[2].Resource!;

    private static Bundle Build(Bundle.BundleType type, string mother, string? father, string certificate, (decimal Value, string Unit) weight,
        (decimal Value, string Unit) gestation, int? order, int? plurality, string facility)
    {
        var ids = Enumerable.Range(0, 10).Select(_ => $"urn:uuid:{Guid.NewGuid()}").ToArray();
        var child = new Patient
        {
            Gender = AdministrativeGender.Female,
            BirthDateElement = new Date("2025-03-21")
            {
                Extension = [new Extension(FhirBirthBundle.BirthTimeExtension, new FhirDateTime("2025-03-21T10:35:00Z"))],
            },
            MultipleBirth = order is { } o ? new Integer(o) : new FhirBoolean(plurality is > 1),
        };
        var motherPatient = new Patient
        {
            Gender = AdministrativeGender.Female,
            Identifier = [new Identifier(FhirSystems.NationalCode, mother)],
            Name = [new HumanName { Family = "احمدی", Given = ["مریم"] }],
        };
        var fatherPerson = new RelatedPerson
        {
            Patient = new ResourceReference(ids[1]),
            Relationship = [new CodeableConcept(FhirBirthBundle.RoleCode, "NFTH", "natural father")],
            Identifier = father is null ? [] : [new Identifier(FhirSystems.NationalCode, father)],
            Name = [new HumanName { Family = "کریمی", Given = ["رضا"] }],
        };
        var location = new Location { Name = "Imam Khomeini Hospital", Identifier = [new Identifier(FhirSystems.Facility, facility)] };
        var certifier = new Practitioner
        {
            Name = [new HumanName { Given = ["سارا"], Family = "نیکو" }],
            Identifier = [new Identifier(FhirSystems.MedicalCouncil, "M-12345")],
        };
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
            Subject = new ResourceReference(ids[2]),
            Location = [new Encounter.LocationComponent { Location = new ResourceReference(ids[4]) }],
        };
        var resources = new List<Resource>
        {
            type == Bundle.BundleType.Document
                ? new Composition
                {
                    Status = CompositionStatus.Final,
                    Type = new CodeableConcept(FhirBirthBundle.Loinc, "68998-6", "Birth certificate report"),
                    Subject = new ResourceReference(ids[1]),
                    DateElement = new FhirDateTime("2025-03-21T12:00:00+03:30"),
                    Author = [new ResourceReference(ids[5])],
                    Title = "Provider live birth report",
                    Attester = [new Composition.AttesterComponent { Mode = Composition.CompositionAttestationMode.Professional, Party = new ResourceReference(ids[5]) }],
                }
                : new MessageHeader
                {
                    Event = new Coding("http://hl7.org/fhir/us/bfdr/CodeSystem/CodesystemBirthAndFetalDeathReportingMessageType", "birth_report"),
                    Source = new MessageHeader.MessageSourceComponent { Endpoint = "https://his.imam-khomeini.example/fhir" },
                    Focus = [new ResourceReference(ids[1])],
                    Author = new ResourceReference(ids[5]),
                },
            child, motherPatient, fatherPerson, location, certifier,
            Observation(ids[1], FhirBirthBundle.BirthWeight, "Birth weight", weight.Value, weight.Unit),
            Observation(ids[1], FhirBirthBundle.GestationalAge, "Gestational age", gestation.Value, gestation.Unit),
            encounter,
        };
        if (plurality is { } count)
            resources.Add(new Observation
            {
                Status = ObservationStatus.Final,
                Code = new CodeableConcept(FhirBirthBundle.Loinc, FhirBirthBundle.Plurality, "Plurality"),
                Subject = new ResourceReference(ids[1]),
                Value = new Integer(count),
            });
        return new Bundle
        {
            Type = type,
            Identifier = new Identifier(FhirSystems.BirthCertificate, certificate),
            Timestamp = new DateTimeOffset(2025, 3, 21, 12, 0, 0, TimeSpan.FromHours(3.5)),
            Entry = resources.Select((r, i) => new Bundle.EntryComponent { FullUrl = ids[i], Resource = r }).ToList(),
        };
    }

    private static Observation Observation(string child, string code, string display, decimal value, string unit) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(FhirBirthBundle.Loinc, code, display),
        Subject = new ResourceReference(child),
        Value = new Quantity(value, unit, FhirBirthBundle.Ucum),
    };
}
