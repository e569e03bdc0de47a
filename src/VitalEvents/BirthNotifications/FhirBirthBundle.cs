using System.Globalization;
using Hl7.Fhir.Model;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.BirthNotifications;

/// <summary>
/// A live birth as an HL7 FHIR R4 Bundle gives it (docs/fhir.md), read into the <see cref="NotifyBirthRequest"/> the JSON path
/// validates, so that every rule is the same; with, for each of the request's fields, the FHIRPath of the element it came from,
/// so that a refusal names what the sender wrote. What the bundle's structure gets wrong (its type, the resources it lacks or
/// holds twice, a reference to the wrong kind of resource, a unit the registry does not convert) is refused here.
/// </summary>
public sealed class FhirBirthBundle
{
    public const string BirthTimeExtension = "http://hl7.org/fhir/StructureDefinition/patient-birthTime";
    public const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string RoleCode = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
    public const string BirthWeight = "8339-4";
    public const string GestationalAge = "11884-4";
    public const string Plurality = "57722-1";

    /// <summary>The father's relationship to the child: natural father (BFDR's RelatedPerson-father-natural) or father.</summary>
    public static readonly string[] FatherRoles = ["NFTH", "FTH"];

    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);
    private readonly List<FieldError> _errors = [];
    private readonly Bundle _bundle;

    private FhirBirthBundle(Bundle bundle) => _bundle = bundle;

    /// <summary>The notification, as the JSON path receives it.</summary>
    public NotifyBirthRequest Request { get; private set; } = new(null, null, null, null, null);

    /// <summary>The facilities the bundle's Locations name (their <see cref="FhirSystems.Facility"/> identifiers), and where.</summary>
    public IReadOnlyList<(string Id, string Expression)> Facilities => _facilities;

    private readonly List<(string Id, string Expression)> _facilities = [];

    /// <summary>The FHIRPath of the element a request field came from; the field itself when the bundle had nothing for it.</summary>
    public string ExpressionOf(string field) => _sources.TryGetValue(field, out var expression) ? expression : field;

    /// <summary>A field error of the shared validation, located in the bundle.</summary>
    public FieldError Located(FieldError error) => error with { Field = ExpressionOf(error.Field) };

    /// <summary>
    /// Reads the bundle; a <see cref="ValidationException"/> (fields are FHIRPath expressions) when its structure is not the
    /// profile's. The values themselves are left to <see cref="NotifyBirthRequest.Parse"/>.
    /// </summary>
    public static FhirBirthBundle Read(Bundle bundle)
    {
        var read = new FhirBirthBundle(bundle);
        read.ReadAll();
        if (read._errors.Count > 0) throw new ValidationException(read._errors);
        return read;
    }

    private void Fail(string expression, string code, string message) => _errors.Add(new FieldError(expression, code, message));

    private Resource R(int entry) => _bundle.Entry[entry].Resource!;

    private static string At(int entry) => $"Bundle.entry[{entry}].resource";

    private void ReadAll()
    {
        var entries = _bundle.Entry;
        if (entries.Count == 0 || entries.Any(e => e.Resource is null))
        {
            Fail("Bundle.entry", "fhir.entryMissing", "Every entry of the bundle holds a resource, the first a Composition (document) or a MessageHeader (message).");
            return;
        }
        var child = Child();
        if (child is not { } c) return;
        var patient = (Patient)R(c);
        var childAt = At(c);

        var certificate = _bundle.Identifier?.Value;
        Source("certificateNumber", "Bundle.identifier.value");
        var sex = patient.GenderElement is { } gender ? gender.JsonValue as string ?? gender.Value?.ToString().ToLowerInvariant() : null;
        Source("sex", $"{childAt}.gender");
        Source("birthDate", $"{childAt}.birthDate");
        var birthTime = BirthTime(patient, childAt);
        var order = Order(patient, childAt);

        var mother = Mother(c);
        var father = Father(c);
        var certifier = Certifier();
        var (weight, gestation, plurality) = Observations(c);
        Location();

        Request = new NotifyBirthRequest(certificate, certifier, sex, patient.BirthDate, mother, father, birthTime, plurality, order, weight, gestation);
    }

    private void Source(string field, string expression) => _sources[field] = expression;

    /// <summary>The child: the Composition's subject (document) or the MessageHeader's focus (message), a Patient in the bundle.</summary>
    private int? Child()
    {
        var first = R(0);
        var expected = _bundle.Type switch
        {
            Bundle.BundleType.Document => nameof(Composition),
            Bundle.BundleType.Message => nameof(MessageHeader),
            _ => null,
        };
        if (expected is null)
        {
            Fail("Bundle.type", "fhir.bundleType", $"Bundle.type is document or message, not {_bundle.TypeElement?.JsonValue ?? "missing"}.");
            return null;
        }
        var (reference, at) = first switch
        {
            Composition composition when expected == nameof(Composition) => (composition.Subject, $"{At(0)}.subject"),
            MessageHeader header when expected == nameof(MessageHeader) => (header.Focus.FirstOrDefault(), $"{At(0)}.focus[0]"),
            _ => (null, null),
        };
        if (at is null)
        {
            Fail(At(0), "fhir.firstEntry", $"The first entry of a {_bundle.TypeElement.JsonValue} bundle is a {expected}, not a {first.TypeName}.");
            return null;
        }
        if (reference?.Reference is not { Length: > 0 } target)
        {
            Fail(at, "fhir.childMissing", $"{at} references the child, a Patient in the bundle.");
            return null;
        }
        if (Resolve(target) is not { } index)
        {
            Fail(at, "fhir.referenceUnresolved", $"{at} references '{Shown(target)}', which is no entry of the bundle.");
            return null;
        }
        if (R(index) is not Patient)
        {
            Fail(at, "fhir.childNotPatient", $"{at} references a {R(index).TypeName}; the child is a Patient.");
            return null;
        }
        return index;
    }

    /// <summary>The entry a reference names: by its fullUrl (<c>urn:uuid:…</c> or absolute), or by <c>Type/id</c>.</summary>
    private int? Resolve(string reference)
    {
        for (var i = 0; i < _bundle.Entry.Count; i++)
        {
            var entry = _bundle.Entry[i];
            if (entry.FullUrl == reference) return i;
            if (R(i).Id is { Length: > 0 } id && reference == $"{R(i).TypeName}/{id}") return i;
            if (entry.FullUrl is { } full && !reference.Contains(':') && full.EndsWith("/" + reference, StringComparison.Ordinal)) return i;
        }
        return null;
    }

    private bool References(ResourceReference? reference, int entry) =>
        reference?.Reference is { Length: > 0 } target && Resolve(target) == entry;

    /// <summary>The time of birth (the patient-birthTime extension on birthDate), as HH:mm in Tehran.</summary>
    private string? BirthTime(Patient patient, string childAt)
    {
        var at = $"{childAt}.birthDate.extension('{BirthTimeExtension}').value";
        Source("birthTime", at);
        var extensions = patient.BirthDateElement?.Extension.Where(e => e.Url == BirthTimeExtension).ToList() ?? [];
        if (extensions.Count == 0) return null;
        if (extensions.Count > 1)
        {
            Fail(at, "fhir.repeated", "The birth time is given once.");
            return null;
        }
        if (extensions[0].Value is not FhirDateTime value)
        {
            Fail(at, "fhir.wrongType", "The birth time is a valueDateTime.");
            return null;
        }
        if (value.Value is not { } text || !text.Contains('T') || !value.TryToDateTimeOffset(out var instant))
        {
            Fail(at, "time.invalid", $"The birth time '{Shown(value.Value)}' is a dateTime with a time of day and its offset (e.g. 2025-03-21T14:05:00+03:30).");
            return null;
        }
        var local = instant.ToOffset(Tehran.Offset);
        if (patient.BirthDate is { } date && DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && DateOnly.FromDateTime(local.DateTime) != day)
            Fail(at, "fhir.birthTimeOtherDay", $"The birth time {text} is on {local:yyyy-MM-dd} in Tehran, not on the birthDate {date}.");
        return local.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>The birth order: multipleBirthInteger; none for multipleBirthBoolean (true asks the shared rule for the order).</summary>
    private int? Order(Patient patient, string childAt)
    {
        Source("multipleBirthOrder", $"{childAt}.multipleBirth");
        return patient.MultipleBirth is Integer { Value: { } order } ? order : null;
    }

    /// <summary>The national code a person's identifiers give (the registry's system); null with its place noted when there is none.</summary>
    private string? NationalCode(DomainResource person, List<Identifier> identifiers, int entry, string field)
    {
        var codes = identifiers.Where(i => i.System == FhirSystems.NationalCode).ToList();
        var index = codes.Count > 0 ? identifiers.IndexOf(codes[0]) : -1;
        Source(field, index < 0
            ? $"{At(entry)}.identifier.where(system='{FhirSystems.NationalCode}')"
            : $"{At(entry)}.identifier[{index}].value");
        if (codes.Count > 1) Fail($"{At(entry)}.identifier", "fhir.repeated", $"The {person.TypeName} has one {FhirSystems.NationalCode} identifier.");
        return index < 0 ? null : codes[0].Value;
    }

    /// <summary>The mother: the female Patient other than the child. Her national code is required (by the shared rule).</summary>
    private string? Mother(int child)
    {
        var mothers = Patients(child, AdministrativeGender.Female).ToList();
        foreach (var other in Patients(child, null).Where(i => ((Patient)R(i)).Gender is not (AdministrativeGender.Female or AdministrativeGender.Male)))
            Fail($"{At(other)}.gender", "fhir.parentSex", "A Patient other than the child is the mother (female) or the father (male).");
        switch (mothers.Count)
        {
            case 0:
                Source("motherNationalCode", "Bundle.entry.resource.ofType(Patient)");
                Fail("Bundle.entry.resource.ofType(Patient)", "fhir.motherMissing", "The bundle holds the mother: a female Patient other than the child, with her national code.");
                return null;
            case > 1:
                Fail($"{At(mothers[1])}", "fhir.repeated", "The bundle holds one mother (one female Patient other than the child).");
                return null;
            default:
                var mother = (Patient)R(mothers[0]);
                return NationalCode(mother, mother.Identifier, mothers[0], "motherNationalCode");
        }
    }

    private IEnumerable<int> Patients(int child, AdministrativeGender? gender) =>
        Enumerable.Range(0, _bundle.Entry.Count)
            .Where(i => i != child && R(i) is Patient p && (gender is null || p.Gender == gender));

    /// <summary>
    /// The father, if the bundle names him with a national code: a RelatedPerson whose relationship is NFTH or FTH, or a male
    /// Patient other than the child. A father without a national code is not one the registry can record, and is passed over.
    /// </summary>
    private string? Father(int child)
    {
        var fathers = new List<(int Entry, DomainResource Person, List<Identifier> Identifiers)>();
        for (var i = 0; i < _bundle.Entry.Count; i++)
            if (R(i) is RelatedPerson related
                && related.Relationship.SelectMany(r => r.Coding).Any(c => c.System == RoleCode && FatherRoles.Contains(c.Code)))
                fathers.Add((i, related, related.Identifier));
        foreach (var i in Patients(child, AdministrativeGender.Male))
            fathers.Add((i, (Patient)R(i), ((Patient)R(i)).Identifier));
        var named = fathers.Where(f => f.Identifiers.Any(id => id.System == FhirSystems.NationalCode)).ToList();
        if (named.Count > 1)
        {
            Fail($"{At(named[1].Entry)}", "fhir.repeated", "The bundle names one father.");
            return null;
        }
        return named.Count == 0 ? null : NationalCode(named[0].Person, named[0].Identifiers, named[0].Entry, "fatherNationalCode");
    }

    /// <summary>
    /// The certifier: the bundle's one Practitioner, or, of several, the one the Composition's attester (or the MessageHeader's
    /// author) names. Name from HumanName.text or given and family; identifier the Medical Council number (or the first).
    /// </summary>
    private CertifierInput? Certifier()
    {
        var practitioners = Enumerable.Range(0, _bundle.Entry.Count).Where(i => R(i) is Practitioner).ToList();
        if (practitioners.Count > 1)
        {
            var named = R(0) switch
            {
                Composition c => practitioners.Where(p => c.Attester.Any(a => References(a.Party, p))).ToList(),
                MessageHeader h => practitioners.Where(p => References(h.Author, p)).ToList(),
                _ => [],
            };
            if (named.Count != 1)
            {
                Fail($"{At(practitioners[1])}", "fhir.certifierAmbiguous",
                    "Of several Practitioners, the certifier is the one the Composition's attester (or the MessageHeader's author) references.");
                return null;
            }
            practitioners = named;
        }
        if (practitioners.Count == 0)
        {
            Fail("Bundle.entry.resource.ofType(Practitioner)", "fhir.certifierMissing",
                "The bundle holds the certifier: a Practitioner with a name and an identifier (the Medical Council number).");
            return null;
        }
        var at = At(practitioners[0]);
        var practitioner = (Practitioner)R(practitioners[0]);
        var nameIndex = practitioner.Name.FindIndex(n => n.Text is { Length: > 0 } || n.Family is { Length: > 0 } || n.Given.Any());
        var name = nameIndex < 0 ? null : practitioner.Name[nameIndex];
        Source("certifier.name", nameIndex < 0 ? $"{at}.name" : name!.Text is { Length: > 0 } ? $"{at}.name[{nameIndex}].text" : $"{at}.name[{nameIndex}]");
        var text = name is null ? null
            : name.Text is { Length: > 0 } t ? t
            : string.Join(' ', name.Given.Append(name.Family).Where(p => !string.IsNullOrWhiteSpace(p)));
        var identifiers = practitioner.Identifier;
        var idIndex = identifiers.FindIndex(i => i.System == FhirSystems.MedicalCouncil && i.Value is { Length: > 0 });
        if (idIndex < 0) idIndex = identifiers.FindIndex(i => i.Value is { Length: > 0 });
        Source("certifier.identifier", idIndex < 0 ? $"{at}.identifier" : $"{at}.identifier[{idIndex}].value");
        Source("certifier.identifierSystem", idIndex < 0 ? $"{at}.identifier" : $"{at}.identifier[{idIndex}].system");
        var identifier = idIndex < 0 ? null : identifiers[idIndex];
        return new CertifierInput(text, identifier?.Value, identifier?.System);
    }

    /// <summary>Birth weight (g, or kg), gestational age (wk, or d in whole weeks) and plurality: the child's observations, by LOINC code.</summary>
    private (int? Weight, int? Gestation, int? Plurality) Observations(int childEntry)
    {
        var seen = new Dictionary<string, int>();
        int? weight = null, gestation = null, plurality = null;
        for (var i = 0; i < _bundle.Entry.Count; i++)
        {
            if (R(i) is not Observation observation || !References(observation.Subject, childEntry)) continue;
            var code = observation.Code?.Coding.FirstOrDefault(c => c.System == Loinc && c.Code is BirthWeight or GestationalAge or Plurality)?.Code;
            if (code is null) continue;
            if (seen.TryGetValue(code, out var earlier))
            {
                Fail($"{At(i)}", "fhir.repeated", $"The child has one observation of LOINC {code} (the first is entry {earlier}).");
                continue;
            }
            seen[code] = i;
            var at = $"{At(i)}.value";
            switch (code)
            {
                case BirthWeight:
                    Source("birthWeightGrams", at);
                    weight = Measured(observation, at, new() { ["g"] = 1m, ["kg"] = 1000m }, "the birth weight is a valueQuantity in g or kg");
                    break;
                case GestationalAge:
                    Source("gestationWeeks", at);
                    gestation = Measured(observation, at, new() { ["wk"] = 1m, ["d"] = 1m / 7 }, "the gestational age is a valueQuantity in wk or d", whole: true);
                    break;
                default:
                    Source("plurality", at);
                    if (observation.Value is Integer { Value: { } count }) plurality = count;
                    else Fail(at, "fhir.wrongType", "The plurality is a valueInteger.");
                    break;
            }
        }
        return (weight, gestation, plurality);
    }

    /// <summary>A quantity in one of the units (UCUM codes) converted to the registry's: rounded, or (<paramref name="whole"/>) completed units.</summary>
    private int? Measured(Observation observation, string at, Dictionary<string, decimal> units, string rule, bool whole = false)
    {
        if (observation.Value is not Quantity { Value: { } value } quantity
            || (quantity.Code ?? quantity.Unit) is not { } unit || !units.TryGetValue(unit, out var factor)
            || (quantity.System is { } system && system != Ucum))
        {
            Fail(at, "fhir.unit", $"{char.ToUpperInvariant(rule[0])}{rule[1..]} (UCUM).");
            return null;
        }
        var converted = value * factor;
        converted = whole ? Math.Floor(converted) : Math.Round(converted, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(converted, int.MinValue, int.MaxValue);
    }

    /// <summary>The facility a Location names with the registry's facility identifier (the caller's own, else refused by the endpoint).</summary>
    private void Location()
    {
        for (var i = 0; i < _bundle.Entry.Count; i++)
        {
            if (R(i) is not Hl7.Fhir.Model.Location location) continue;
            for (var j = 0; j < location.Identifier.Count; j++)
                if (location.Identifier[j].System == FhirSystems.Facility) _facilities.Add((location.Identifier[j].Value ?? "", $"{At(i)}.identifier[{j}].value"));
        }
    }

    private static string Shown(string? value) =>
        value is null ? "" : TextRules.IsAcceptable(value) ? value.Length > 60 ? value[..60] + "…" : value : "(unreadable text)";
}
