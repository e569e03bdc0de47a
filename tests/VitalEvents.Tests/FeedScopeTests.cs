using System.Collections;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using VitalEvents.Domain;
using VitalEvents.Feeds;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// Feed scopes are allow-lists: a sample of every event type, every field filled, mapped through every scope carries
/// exactly the fields its scope declares for the type; statistics carries no identifier or identifying text; a type
/// outside a scope is never sent. Pure: no database.
/// </summary>
public sealed class FeedScopeTests
{
    // National codes, names, free text, references and users: none may reach statistics.
    private const string Child = "4271839560", Mother = "1582047391", Father = "2940371856", Husband = "3017284659", Wife = "5128370946",
        WitnessOne = "6239481057", WitnessTwo = "7340592168", Deceased = "8451603279", Guardian = "9562714380", FirstChild = "1673825491";
    private const string GivenName = "پرستو", FamilyName = "شاهرخی", MotherName = "نسرین شاهرخی", FatherName = "بهرام شاهرخی",
        WitnessOneName = "کیوان داوری", WitnessTwoName = "مهتاب سلیمی", GuardianName = "فریدون اکبری", Certifier = "دکتر منصوره یزدانی",
        OldValue = "پرستوو", NewValue = "پرستا";
    private const string Reason = "اشتباه در رونویسی دفتر", RejectReason = "مدرک کافی ارائه نشد", HoldRejectReason = "همان کودک دو بار ثبت شده",
        Grounds = "عیب پنهان پیش از عقد", EvidenceReference = "WS-1404-0417", CourtAuthorisation = "CT-1404-3312",
        CourtPermission = "CP-1404-7781", DecisionReference = "DR-1404-2291", CorrectionReference = "HE-001-1404-17";
    private const string Registrar = "reg-7702", Supervisor = "sup-4410", OtherSupervisor = "sup-5521";
    private static readonly Guid MarriageId = new("3f6c2a9e-8b1d-4e7a-9c5f-0a2b4d6e8f10"), CorrectionId = new("7a1e5c3b-2d4f-4b6a-8e9c-1f3a5b7d9e2c"),
        HoldId = new("c4e8a2f6-1b3d-4f5a-9c7e-2d4f6a8b0c1e"), CitizenRequestId = new("0b9d7f5e-3c1a-4e8b-a6d4-2f0e8c6a4b2d");
    private const string CitizenEvidence = "EV-1404-5120", DeclineReason = "سند پیوست خوانا نیست";
    private static readonly Guid NotificationId = new("5d2b8f4a-6e0c-4a1b-9d3f-7c5e1a9b3d60");
    private const string NotifiedCertificate = "MBC-1404-00917", Practitioner = "نظام-۱۲۳۴۵", HospitalUser = "his-imam-07";
    private static readonly Guid DocumentId = new("019ad0c2-5b7e-7a31-9e44-3c2f1d0b8a67"), NewerDocumentId = new("019ad0c2-9f10-7c42-8b55-6e4a2c1d0f98");
    private const string SerialNumber = "SHN-1405-0000042", DocumentSha = "9b1f0c6a2e4d8b7f5a3c1e9d7b5f3a1c8e6d4b2f0a9c7e5d3b1f9a7c5e3d1b0f",
        DocumentSeal = "VE1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE", RevokeReason = "صادرشده برای متقاضی دیگر";

    private static readonly string[] Identifying =
    [
        Child, Mother, Father, Husband, Wife, WitnessOne, WitnessTwo, Deceased, Guardian, FirstChild,
        GivenName, FamilyName, MotherName, FatherName, WitnessOneName, WitnessTwoName, GuardianName, Certifier, OldValue, NewValue,
        Reason, RejectReason, HoldRejectReason, Grounds, EvidenceReference, CourtAuthorisation, CourtPermission, DecisionReference,
        CorrectionReference, "MC-1404-88231", Registrar, Supervisor, OtherSupervisor,
        MarriageId.ToString(), CorrectionId.ToString(), HoldId.ToString(), CitizenRequestId.ToString(), CitizenEvidence, DeclineReason,
        NotificationId.ToString(), NotifiedCertificate, Practitioner, HospitalUser,
        DocumentId.ToString(), NewerDocumentId.ToString(), SerialNumber, DocumentSha, DocumentSeal, RevokeReason,
    ];

    private static readonly PlaceRecord Place = new("تهران", "ری", "کهریزک");

    private static readonly BirthRegistered Birth = new(Child, GivenName, FamilyName, Vocabulary.Female, new DateOnly(2025, 3, 21), Place,
        Mother, Father, "001", new EvidenceRecord(Vocabulary.Witnesses, EvidenceReference, [new(WitnessOne, WitnessOneName), new(WitnessTwo, WitnessTwoName)]),
        "08:45", 2, MotherName, FatherName, true, NotificationId);

    /// <summary>One event of every stored type, every field filled, and the stream (the subject) it is recorded on.</summary>
    private static readonly IReadOnlyDictionary<Type, (object Event, string Stream)> Samples = new Dictionary<Type, (object, string)>
    {
        [typeof(BirthRegistered)] = (Birth, Child),
        [typeof(ChildBirthRecorded)] = (new ChildBirthRecorded(Child, GivenName, FamilyName, Vocabulary.Female, new DateOnly(2025, 3, 21), "mother", 2), Mother),
        [typeof(MarriageRegistered)] = (new MarriageRegistered(MarriageId, Husband, Wife, new DateOnly(2024, 9, 1), Vocabulary.Temporary,
            new DateOnly(2025, 9, 1), CourtAuthorisation, "001", CourtPermission), Husband),
        [typeof(DivorceRegistered)] = (new DivorceRegistered(MarriageId, Husband, Wife, new DateOnly(2025, 1, 5), Vocabulary.Revocable,
            new DateOnly(2025, 4, 5), "001"), Wife),
        [typeof(DeathRegistered)] = (new DeathRegistered(Deceased, new DateOnly(2025, 2, 2), Place, ["I21.9", "E11.9"], Certifier, "001", true), Deceased),
        [typeof(MarriageEndedByDeath)] = (new MarriageEndedByDeath(MarriageId, Deceased, new DateOnly(2025, 2, 2)), Wife),
        [typeof(CorrectionRequested)] = (new CorrectionRequested(CorrectionId, Vocabulary.GivenName, OldValue, NewValue, Vocabulary.Board,
            CorrectionReference, Reason, Registrar, "001", CitizenRequestId), Child),
        [typeof(CorrectionApproved)] = (new CorrectionApproved(CorrectionId, Vocabulary.GivenName, OldValue, NewValue, Vocabulary.Board,
            CorrectionReference, Reason, Registrar, Supervisor, CitizenRequestId), Child),
        [typeof(CorrectionRejected)] = (new CorrectionRejected(CorrectionId, Vocabulary.GivenName, Registrar, Supervisor, RejectReason, CitizenRequestId), Child),
        [typeof(CitizenRequestFiled)] = (new CitizenRequestFiled(CitizenRequestId, Vocabulary.GivenName, OldValue, NewValue, Reason, [CitizenEvidence], "001"), Child),
        [typeof(CitizenRequestDeclined)] = (new CitizenRequestDeclined(CitizenRequestId, Vocabulary.GivenName, Registrar, DeclineReason), Child),
        [typeof(BirthHeldForReview)] = (new BirthHeldForReview(HoldId, Birth with { Evidence = new EvidenceRecord(Vocabulary.MedicalCertificate, "MC-1404-88231",
            [new(WitnessOne, WitnessOneName)]) }, FirstChild, Registrar), Mother),
        [typeof(BirthNotified)] = (new BirthNotified(NotificationId, "imam-hospital", "001", Place, NotifiedCertificate,
            new CertifierRecord(Certifier, "https://irimc.org/fhir/sid/medical-council-number", Practitioner), Vocabulary.Female, new DateOnly(2025, 3, 21), "08:45",
            2, 2, 3250, 39, Mother, Father, "fhir", HospitalUser), Mother),
        [typeof(BirthNotificationCompleted)] = (new BirthNotificationCompleted(NotificationId, Child, HoldId, Mother, "online"), Mother),
        [typeof(HeldBirthConfirmed)] = (new HeldBirthConfirmed(HoldId, Child, Supervisor), Mother),
        [typeof(HeldBirthRejected)] = (new HeldBirthRejected(HoldId, FirstChild, OtherSupervisor, HoldRejectReason), Mother),
        [typeof(FoetalDeathRegistered)] = (new FoetalDeathRegistered(Mother, new DateOnly(2025, 5, 9), 28, Vocabulary.Male, Place, "P95",
            Certifier, Father, "001"), Mother),
        [typeof(MarriageTermWaived)] = (new MarriageTermWaived(MarriageId, Husband, Wife, new DateOnly(2025, 3, 1), new DateOnly(2025, 4, 15), "001"), Husband),
        [typeof(MarriageResumed)] = (new MarriageResumed(MarriageId, Husband, Wife, new DateOnly(2025, 2, 1), "001"), Wife),
        [typeof(MarriageAnnulled)] = (new MarriageAnnulled(MarriageId, Husband, Wife, new DateOnly(2025, 6, 1), Grounds, DecisionReference,
            new DateOnly(2025, 7, 15), "001"), Husband),
        [typeof(DocumentIssued)] = (new DocumentIssued(DocumentId, "shenasnameh", MarriageId, "both", SerialNumber, 1405, 42, 7,
            [new DocumentField("nationalCode", Child), new DocumentField("givenName", GivenName), new DocumentField("marriage.1.spouseName", MotherName)],
            DocumentSha, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), Registrar, "office", "3fa9c1d27e6b4a05", DocumentSeal), Child),
        [typeof(DocumentSuperseded)] = (new DocumentSuperseded(DocumentId, "shenasnameh", "correction", NewerDocumentId, CorrectionId), Child),
        [typeof(DocumentRevoked)] = (new DocumentRevoked(DocumentId, "shenasnameh", "fraud", RevokeReason, Supervisor), Child),
        [typeof(GuardianAppointed)] = (new GuardianAppointed(Child, Guardian, GuardianName, new DateOnly(2025, 8, 8), Vocabulary.Court,
            DecisionReference, "001"), Child),
    };

    private static readonly JsonSerializerOptions CamelCase = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static readonly Dictionary<string, Type> TypeOf = EventNames.All.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>The sample as the feed reader serves it: stored (.NET names) and read back with camelCase names.</summary>
    private static FeedEvent Fed(string type)
    {
        var (@event, stream) = Samples[TypeOf[type]];
        return new FeedEvent(42, new Guid("0193a5b1-7c2e-7d4f-8a6b-9c0d1e2f3a4b"), type, stream, new DateTimeOffset(2025, 3, 22, 9, 30, 0, TimeSpan.Zero),
            "001", "tehran", JsonSerializer.SerializeToNode(@event, CamelCase)!.AsObject());
    }

    private static JsonNode Map(string type, string scope) => JsonNode.Parse(CloudEvents.ToJson(Fed(type), FeedScopes.Find(scope)!).GetRawText())!;

    /// <summary>Every leaf's path: nested names dotted, an array's elements as name[].</summary>
    private static SortedSet<string> Leaves(JsonNode? node, string prefix = "", SortedSet<string>? into = null)
    {
        into ??= new SortedSet<string>(StringComparer.Ordinal);
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o) Leaves(value, prefix.Length == 0 ? name : $"{prefix}.{name}", into);
                break;
            case JsonArray a:
                foreach (var item in a) Leaves(item, prefix + "[]", into);
                break;
            default:
                into.Add(prefix);
                break;
        }
        return into;
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };

    /// <summary>Every scope's every declared type; and the full scope with every stored type.</summary>
    public static IEnumerable<object[]> Declared() =>
        FeedScopes.All.SelectMany(scope => (scope.AllowsAllTypes ? EventNames.All.Values : scope.Types).Order(StringComparer.Ordinal)
            .Select(type => new object[] { scope.Name, type }));

    public static IEnumerable<object[]> Types() => EventNames.All.Values.Order(StringComparer.Ordinal).Select(t => new object[] { t });

    [Fact]
    public void There_is_a_sample_of_every_stored_event_type_with_every_field_filled()
    {
        Samples.Keys.Should().BeEquivalentTo(EventNames.All.Keys, "a new event type needs a sample here, and its fields a decision per scope");
        foreach (var (type, (sample, _)) in Samples)
        {
            sample.Should().BeOfType(type);
            Unfilled(sample, type.Name).Should().BeEmpty($"every field of the {type.Name} sample is filled");
        }
    }

    /// <summary>Properties of a sample that are null, empty strings or empty lists, at any depth.</summary>
    private static IEnumerable<string> Unfilled(object value, string path)
    {
        foreach (var property in value.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
        {
            var at = $"{path}.{property.Name}";
            switch (property.GetValue(value))
            {
                case null:
                case string { Length: 0 }:
                    yield return at;
                    break;
                case string:
                    break;
                case IEnumerable list:
                    var items = list.Cast<object?>().ToList();
                    if (items.Count == 0) yield return at;
                    foreach (var item in items)
                        foreach (var missing in item is null ? [at + "[]"] : Unfilled(item, at + "[]")) yield return missing;
                    break;
                case { } nested when nested.GetType().Namespace == typeof(BirthRegistered).Namespace:
                    foreach (var missing in Unfilled(nested, at)) yield return missing;
                    break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Declared))]
    public void A_scope_carries_exactly_the_declared_fields_of_each_type_and_the_subject_only_where_declared(string scopeName, string type)
    {
        var scope = FeedScopes.Find(scopeName)!;
        var fields = scope.Fields(type)!;
        var fed = Fed(type);
        var mapped = Map(type, scopeName);

        var expected = fields.IsEverything ? Leaves(fed.Data) : new SortedSet<string>(fields.Paths!, StringComparer.Ordinal);
        Leaves(mapped["data"]).Should().BeEquivalentTo(expected, $"{scopeName} carries exactly what it declares of {type}");
        if (fields.Subject) mapped.Str("subject").Should().Be(fed.NationalCode);
        else mapped.AsObject().Should().NotContainKey("subject");
        mapped.Str("type").Should().Be(type);
        mapped.Str("id").Should().Be(fed.Id.ToString());
        mapped.Str("sequence").Should().Be("00000000000000000042");
        mapped.Str("province").Should().Be("tehran");
        expected.Except(Leaves(fed.Data)).Should().BeEmpty("a declared field exists in the event");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Statistics_carries_no_national_code_name_identifier_or_free_text(string type)
    {
        var statistics = FeedScopes.Find("statistics")!;
        statistics.Allows(type).Should().BeTrue("statistics follows every type");
        var cloudEvent = CloudEvents.ToJson(Fed(type), statistics);
        var mapped = JsonNode.Parse(cloudEvent.GetRawText())!;

        mapped.AsObject().Should().NotContainKey("subject");
        var strings = Strings(mapped).ToList();
        var input = Strings(Fed(type).Data).ToHashSet();
        input.Should().Contain(s => Identifying.Contains(s), "the sample has identifying values to withhold");
        foreach (var value in strings)
            Identifying.Should().NotContain(forbidden => value.Contains(forbidden, StringComparison.Ordinal), $"'{value}' in the {type} sent to statistics");
        foreach (var code in Identifying.Where(s => s.All(char.IsAsciiDigit)))
            cloudEvent.GetRawText().Should().NotContain(code);
    }

    [Fact]
    public void Statistics_follows_every_stored_type()
    {
        FeedScopes.Find("statistics")!.Types.Should().BeEquivalentTo(EventNames.All.Values, "a new event type is withheld from statistics until declared");
        FeedScopes.Find("statistics")!.AllowsAllTypes.Should().BeFalse();
    }

    [Theory]
    [InlineData("full")]
    [InlineData("health", "birth_registered.v1", "birth_notified.v1", "birth_notification_completed.v1", "death_registered.v2", "foetal_death_registered.v1")]
    [InlineData("pension", "death_registered.v2")]
    [InlineData("elections", "birth_registered.v1", "death_registered.v2", "correction_approved.v1")]
    public void Types_outside_a_scope_are_never_sent(string scopeName, params string[] allowed)
    {
        var scope = FeedScopes.Find(scopeName)!;
        if (allowed.Length == 0)
        {
            scope.AllowsAllTypes.Should().BeTrue();
            EventNames.All.Values.Should().OnlyContain(t => scope.Allows(t) && scope.Fields(t)!.IsEverything);
            return;
        }
        scope.Types.Should().BeEquivalentTo(allowed);
        foreach (var type in EventNames.All.Values.Except(allowed))
        {
            scope.Allows(type).Should().BeFalse($"{scopeName} is not sent {type}");
            scope.Fields(type).Should().BeNull();
            var mapped = Map(type, scopeName);
            mapped["data"]!.AsObject().Should().BeEmpty("should one be mapped all the same, it carries nothing");
            mapped.AsObject().Should().NotContainKey("subject");
        }
    }

    [Fact]
    public void The_scopes_callers_name_are_known()
    {
        FeedScopes.Names.Should().Equal("full", "health", "pension", "elections", "statistics");
        FeedScopes.Find("everything").Should().BeNull();
        FeedScopes.Find(null).Should().BeNull();
    }

    [Fact]
    public void A_field_added_to_an_event_later_or_of_another_shape_is_withheld_until_listed()
    {
        var fed = Fed("birth_registered.v1");
        fed.Data["newField"] = "something new";
        fed.Data["birthPlace"]!["district"] = "منطقه ۲۰";
        fed.Data["evidence"]!["hospital"] = "بیمارستان";
        fed.Data["sex"] = new JsonObject { ["code"] = "female" };
        var health = JsonNode.Parse(CloudEvents.ToJson(fed, FeedScopes.Find("health")!).GetRawText())!["data"]!;

        Leaves(health).Should().NotContain(["newField", "birthPlace.district", "evidence.hospital", "sex", "sex.code"]);
        health.Str("givenName").Should().Be(GivenName);
        var full = JsonNode.Parse(CloudEvents.ToJson(fed, FeedScopes.Find("full")!).GetRawText())!["data"]!;
        Leaves(full).Should().Contain(["newField", "birthPlace.district", "evidence.hospital", "sex.code"], "full carries everything");
    }

    [Fact]
    public void A_declaration_that_is_not_a_list_of_leaf_paths_is_refused()
    {
        FluentActions.Invoking(() => FeedFields.Only(false, "birthPlace", "birthPlace.province")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FeedFields.Only(false, "birthPlace.province", "birthPlace")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FeedFields.Only(false, "causesIcd10[]", "causesIcd10[].code")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FeedFields.Only(false, "date", "date")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FeedFields.Only(false, "BirthDate")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => FeedFields.Only(false, "birth..sex")).Should().Throw<ArgumentException>();
        FeedFields.Only(false, "evidence.witnesses[].name", "evidence.witnesses[].nationalCode", "evidence.kind").Paths.Should().HaveCount(3);
    }
}

/// <summary>The statistics scope through HTTP: a held birth and a marriage reach it without a national code or a name.</summary>
public sealed class StatisticsFeedTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_statistics_reader_sees_a_held_birth_and_a_marriage_without_any_national_code_or_name()
    {
        var mother = await _registrar.Born(Birth("فاطمه", "موسوی", "female", "1370/01/01"));
        var first = await _registrar.Born(Birth("حسین", "موسوی", "male", "1403/05/10", mother));
        var held = await _registrar.PostAsJsonAsync("/api/births", Birth("حسين", "موسوی", "male", "1403/05/12", mother));
        held.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var husband = await _registrar.Born(Birth("کامران", "نیک‌پور", "male", "1365/01/01"));
        var wife = await _registrar.Born(Birth("شیرین", "افشار", "female", "1368/01/01"));
        await _registrar.PostOk("/api/marriages", Marriage(husband, wife, court: "CT-1403-5521"));
        var client = registry.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", registry.Token("subscriber", null, "stats", "statistics"));

        var response = await client.GetAsync("/api/feed?limit=1000");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        var events = JsonNode.Parse(body)!["events"]!.AsArray().Select(e => e!).ToList();
        events.Select(e => e.Str("type")).Should().Contain(["birth_held_for_review.v1", "marriage_registered.v1"]);
        var hold = events.Single(e => e.Str("type") == "birth_held_for_review.v1");
        hold["data"]!["birth"]!.Str("sex").Should().Be("male");
        hold["data"]!["birth"]!["birthPlace"]!.Str("county").Should().Be("تهران");
        events.Where(e => e.Str("type") == "marriage_registered.v1").Should().HaveCount(2, "a marriage is on both spouses' streams")
            .And.OnlyContain(e => e["data"]!.Str("kind") == "permanent" && e["data"]!.Str("date") == "2024-08-22");

        string[] codes = [mother, first, husband, wife];
        string[] names = ["فاطمه", "موسوی", "حسین", "حسين", "کامران", "نیک‌پور", "شیرین", "افشار", "MC-1404-0001", "CT-1403-5521", "registrar-001"];
        foreach (var code in codes) body.Should().NotContain(code);
        var strings = events.SelectMany(e => Text(e)).ToList();
        foreach (var value in strings)
            codes.Concat(names).Should().NotContain(forbidden => value.Contains(forbidden, StringComparison.Ordinal), $"'{value}' sent to statistics");
        events.Should().OnlyContain(e => !e.AsObject().ContainsKey("subject"));
    }

    private static IEnumerable<string> Text(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Text(p.Value)),
        JsonArray a => a.SelectMany(Text),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };
}
