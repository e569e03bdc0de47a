using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VitalEvents.Domain;

namespace VitalEvents.Feeds;

/// <summary>
/// What a scope carries of one event type: the data fields (JSON paths in the feed's camelCase, nested ones dotted, an
/// array's elements as <c>name[]</c>: <c>birthPlace.province</c>, <c>causesIcd10[]</c>, <c>evidence.witnesses[].name</c>),
/// and whether the CloudEvent <c>subject</c> (the national code of the stream the event is on) is carried. Every data
/// field not listed is removed, at any depth: a field added to an event later is withheld until it is listed here.
/// </summary>
public sealed class FeedFields
{
    /// <summary>Everything, the subject included (the <c>full</c> scope).</summary>
    public static readonly FeedFields Everything = new(true, null);

    private readonly ObjectNode? _tree;

    private FeedFields(bool subject, IReadOnlySet<string>? paths)
    {
        Subject = subject;
        Paths = paths;
        if (paths is not null) _tree = Compile(paths);
    }

    /// <summary>Exactly these data fields (leaf paths), with the subject or without it.</summary>
    public static FeedFields Only(bool subject, params string[] paths)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
            if (!set.Add(path)) throw new ArgumentException($"The field {path} is listed twice.", nameof(paths));
        return new FeedFields(subject, set);
    }

    /// <summary>Whether the CloudEvent carries its <c>subject</c> (a national code).</summary>
    public bool Subject { get; }

    /// <summary>The leaf paths carried; null when everything is (<see cref="IsEverything"/>).</summary>
    public IReadOnlySet<string>? Paths { get; }

    public bool IsEverything => Paths is null;

    /// <summary>Writes the event data as this declaration allows it: in one pass, the source is neither copied nor changed.</summary>
    internal void Write(Utf8JsonWriter writer, JsonObject data)
    {
        if (_tree is null) data.WriteTo(writer);
        else WriteObject(writer, data, _tree);
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonObject source, ObjectNode allowed)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in source)
        {
            if (!allowed.Properties.TryGetValue(name, out var node) || !Fits(value, node)) continue;
            writer.WritePropertyName(name);
            WriteValue(writer, value, node);
        }
        writer.WriteEndObject();
    }

    /// <summary>A value of another shape than declared (an object where a leaf is listed, …) is not carried.</summary>
    private static bool Fits(JsonNode? value, FieldNode node) => value switch
    {
        null => true,
        JsonObject => node is ObjectNode,
        JsonArray => node is ArrayNode,
        _ => node is LeafNode,
    };

    private static void WriteValue(Utf8JsonWriter writer, JsonNode? value, FieldNode node)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject o:
                WriteObject(writer, o, (ObjectNode)node);
                break;
            case JsonArray a:
                var items = ((ArrayNode)node).Items;
                writer.WriteStartArray();
                foreach (var item in a)
                {
                    if (Fits(item, items)) WriteValue(writer, item, items);
                    else writer.WriteNullValue(); // keeps the positions (the order of causes means something)
                }
                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    private abstract class FieldNode;

    private sealed class LeafNode : FieldNode
    {
        public static readonly LeafNode Instance = new();
    }

    private sealed class ObjectNode : FieldNode
    {
        public Dictionary<string, FieldNode> Properties { get; } = new(StringComparer.Ordinal);
    }

    private sealed class ArrayNode(FieldNode items) : FieldNode
    {
        public FieldNode Items { get; } = items;
    }

    private static readonly Regex Segment = new(@"^[a-z][A-Za-z0-9]*(\[\])?$", RegexOptions.CultureInvariant);

    /// <summary>The paths as a tree; a path that is not well formed, or both a leaf and a parent of another, is refused.</summary>
    private static ObjectNode Compile(IEnumerable<string> paths)
    {
        var root = new ObjectNode();
        foreach (var path in paths)
        {
            var segments = path.Split('.');
            var parent = root;
            for (var i = 0; i < segments.Length; i++)
            {
                if (!Segment.IsMatch(segments[i])) throw new ArgumentException($"'{path}' is not a field path (camelCase names, dotted, arrays as name[]).");
                var array = segments[i].EndsWith("[]", StringComparison.Ordinal);
                var name = array ? segments[i][..^2] : segments[i];
                var last = i == segments.Length - 1;
                FieldNode inner = last ? LeafNode.Instance : new ObjectNode();
                FieldNode wanted = array ? new ArrayNode(inner) : inner;
                if (parent.Properties.TryGetValue(name, out var existing))
                {
                    if (last || existing.GetType() != wanted.GetType() || (existing is ArrayNode a && a.Items is not ObjectNode))
                        throw new ArgumentException($"'{path}' conflicts with another listed path.");
                    wanted = existing;
                }
                else parent.Properties[name] = wanted;
                if (!last) parent = wanted is ArrayNode { Items: ObjectNode items } ? items : (ObjectNode)wanted;
            }
        }
        return root;
    }
}

/// <summary>What one kind of downstream system may see: which event types, and of each exactly which fields (<see cref="FeedFields"/>).</summary>
public sealed class FeedScope
{
    private readonly IReadOnlyDictionary<string, FeedFields> _declared;

    private FeedScope(string name, IReadOnlyDictionary<string, FeedFields> declared)
    {
        Name = name;
        _declared = declared;
        Types = new HashSet<string>(declared.Keys, StringComparer.Ordinal);
    }

    /// <summary>Every type, every field, the subject: the scope of auditors, admins and the NATS relay.</summary>
    public static FeedScope Everything(string name) => new(name, new Dictionary<string, FeedFields>());

    /// <summary>Only the types declared, each with exactly its declared fields.</summary>
    public static FeedScope Only(string name, params (string Type, FeedFields Fields)[] types)
    {
        if (types.Length == 0) throw new ArgumentException("A scope that is not everything declares at least one type.", nameof(types));
        var declared = new Dictionary<string, FeedFields>(StringComparer.Ordinal);
        foreach (var (type, fields) in types)
        {
            if (!EventNames.All.Values.Contains(type)) throw new ArgumentException($"{type} is not a stored event type.", nameof(types));
            if (!declared.TryAdd(type, fields)) throw new ArgumentException($"{type} is declared twice in the scope {name}.", nameof(types));
        }
        return new FeedScope(name, declared);
    }

    public string Name { get; }

    /// <summary>The types the scope allows; empty when it allows every type (<see cref="AllowsAllTypes"/>).</summary>
    public IReadOnlySet<string> Types { get; }

    public bool AllowsAllTypes => Types.Count == 0;

    public bool Allows(string type) => AllowsAllTypes || Types.Contains(type);

    /// <summary>
    /// What the scope carries of an event type; null when it does not allow the type (such an event is never sent: callers
    /// filter with <see cref="Allows"/>; should one be mapped all the same, it carries no data field and no subject).
    /// </summary>
    public FeedFields? Fields(string type) => AllowsAllTypes ? FeedFields.Everything : _declared.GetValueOrDefault(type);

    public override string ToString() => Name;
}

/// <summary>
/// The scopes a subscriber's token (claim <c>scope</c>) or subscription can name. Each is an allow-list: per event type,
/// exactly the data fields carried (paths in the feed's camelCase) and whether the <c>subject</c> (a national code) is.
/// Everything else is withheld, nested fields included; a type a scope does not list is never sent to it. docs/feeds.md
/// has the same decisions as a table.
/// <list type="bullet">
/// <item><c>full</c>: everything (auditors, admins, the NATS relay).</item>
/// <item><c>health</c> (Ministry of Health): births, deaths and foetal deaths, with the identities that link them to
/// medical records (subject, national codes, names, parents, the certificate reference, causes, certifier); not the
/// witnesses of a birth without a medical certificate (third parties' identities, of no use to the ministry). Births notified
/// by facilities and their completion (which child the notification became), without the facility's or registrar's user.</item>
/// <item><c>pension</c>: deaths — who died and when (subject, national code, date); no causes, certifier, place, office.</item>
/// <item><c>elections</c>: births (identity: national code, names, sex, birth date), deaths (national code, date) and
/// approved corrections (which identity field, old and new value — the correctable fields are names, sex and birth date);
/// no causes, places, parents, evidence, offices, nor who decided a correction, on what grounds or with which reference.</item>
/// <item><c>statistics</c>: every type, with no identifier or identifying text at all — no subject, no national code,
/// no name, no marriage, correction or hold id, no evidence, no certifier, no court or decision reference, no user, no
/// free text (reasons, grounds, a correction's old and new values), no city or village and no time of birth (places
/// only to county, which with the date and sex is as fine as the figures need). What it keeps: dates, sex, kinds
/// (marriage, divorce, parent role, corrected field, deciding authority, how a notified birth was completed), province and county,
/// gestation weeks, birth weight and plurality of notified births, documents' kinds, languages, years, channels, and why one was
/// superseded or revoked (never the document id, serial number, fields or seal), causes
/// of death (ICD-10), multiple-birth order, late-registration flags and the office code. Some events then carry no data
/// field at all (a held birth confirmed or rejected): their type and time are the statistic. A marriage event (and a
/// divorce, waiver, resumption or annulment) is on both spouses' streams, so it comes twice.</item>
/// </list>
/// </summary>
public static class FeedScopes
{
    private const bool Subject = true, NoSubject = false;

    private static (string, FeedFields) On<T>(bool subject, params string[] paths) => (EventNames.All[typeof(T)], FeedFields.Only(subject, paths));

    private static readonly Dictionary<string, FeedScope> Known = new[]
    {
        FeedScope.Everything("full"),
        FeedScope.Only("health",
            On<BirthRegistered>(Subject, "nationalCode", "givenName", "familyName", "sex", "birthDate", "birthTime", "multipleBirthOrder",
                "birthPlace.province", "birthPlace.county", "birthPlace.city", "motherNationalCode", "motherName", "fatherNationalCode",
                "fatherName", "officeCode", "evidence.kind", "evidence.reference", "lateRegistration", "notificationId"),
            On<BirthNotified>(Subject, "notificationId", "facilityId", "officeCode", "birthPlace.province", "birthPlace.county", "birthPlace.city",
                "certificateNumber", "certifier.name", "certifier.identifierSystem", "certifier.identifier", "sex", "birthDate", "birthTime", "plurality",
                "multipleBirthOrder", "birthWeightGrams", "gestationWeeks", "motherNationalCode", "fatherNationalCode", "format"),
            On<BirthNotificationCompleted>(Subject, "notificationId", "childNationalCode", "holdId", "channel"),
            On<DeathRegistered>(Subject, "nationalCode", "date", "place.province", "place.county", "place.city", "causesIcd10[]",
                "certifier", "officeCode", "lateRegistration"),
            On<FoetalDeathRegistered>(Subject, "motherNationalCode", "fatherNationalCode", "date", "gestationWeeks", "sex",
                "place.province", "place.county", "place.city", "causeIcd10", "certifier", "officeCode")),
        FeedScope.Only("pension",
            On<DeathRegistered>(Subject, "nationalCode", "date")),
        FeedScope.Only("elections",
            On<BirthRegistered>(Subject, "nationalCode", "givenName", "familyName", "sex", "birthDate"),
            On<DeathRegistered>(Subject, "nationalCode", "date"),
            On<CorrectionApproved>(Subject, "field", "oldValue", "newValue")),
        FeedScope.Only("statistics",
            On<BirthRegistered>(NoSubject, "sex", "birthDate", "multipleBirthOrder", "birthPlace.province", "birthPlace.county",
                "officeCode", "lateRegistration"),
            On<ChildBirthRecorded>(NoSubject, "sex", "birthDate", "parentRole", "multipleBirthOrder"),
            On<BirthHeldForReview>(NoSubject, "birth.sex", "birth.birthDate", "birth.multipleBirthOrder", "birth.birthPlace.province",
                "birth.birthPlace.county", "birth.officeCode", "birth.lateRegistration"),
            On<BirthNotified>(NoSubject, "officeCode", "birthPlace.province", "birthPlace.county", "sex", "birthDate", "plurality", "multipleBirthOrder",
                "birthWeightGrams", "gestationWeeks", "format"),
            On<BirthNotificationCompleted>(NoSubject, "channel"),
            On<HeldBirthConfirmed>(NoSubject),
            On<HeldBirthRejected>(NoSubject),
            On<FoetalDeathRegistered>(NoSubject, "date", "gestationWeeks", "sex", "place.province", "place.county", "causeIcd10", "officeCode"),
            On<DeathRegistered>(NoSubject, "date", "place.province", "place.county", "causesIcd10[]", "officeCode", "lateRegistration"),
            On<MarriageRegistered>(NoSubject, "date", "kind", "termEnds", "officeCode"),
            On<MarriageTermWaived>(NoSubject, "date", "waitingPeriodEnds", "officeCode"),
            On<MarriageResumed>(NoSubject, "date", "officeCode"),
            On<MarriageAnnulled>(NoSubject, "date", "waitingPeriodEnds", "officeCode"),
            On<DivorceRegistered>(NoSubject, "date", "kind", "waitingPeriodEnds", "officeCode"),
            On<MarriageEndedByDeath>(NoSubject, "date"),
            On<GuardianAppointed>(NoSubject, "date", "authority", "officeCode"),
            On<CorrectionRequested>(NoSubject, "field", "authority", "officeCode"),
            On<CorrectionApproved>(NoSubject, "field", "authority"),
            On<CorrectionRejected>(NoSubject, "field"),
            On<CitizenRequestFiled>(NoSubject, "field", "officeCode"),
            On<DocumentIssued>(NoSubject, "kind", "language", "serialYear", "channel"),
            On<DocumentSuperseded>(NoSubject, "kind", "cause"),
            On<DocumentRevoked>(NoSubject, "kind", "category"),
            On<CitizenRequestDeclined>(NoSubject, "field")),
    }.ToDictionary(s => s.Name);

    public static IReadOnlyCollection<string> Names => Known.Keys;

    public static IEnumerable<FeedScope> All => Known.Values;

    public static FeedScope? Find(string? name) => name is null ? null : Known.GetValueOrDefault(name);
}
