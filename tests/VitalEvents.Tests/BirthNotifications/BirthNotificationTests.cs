using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.BirthNotifications;

/// <summary>
/// Newborns registered without an office visit: a facility notifies the birth (JSON here), the mother or her husband confirms
/// online with the given name, or a registrar completes it at the office; one notification never makes two people.
/// </summary>
public sealed class BirthNotificationTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private const string FacilityId = "imam-hospital";
    private readonly HttpClient _registrar = registry.As("registrar", "001", "reg-a");
    private readonly HttpClient _admin = registry.As("admin", office: null, user: "admin-1");

    public async Task InitializeAsync()
    {
        await registry.ResetAsync();
        await _admin.PostOk("/api/facilities", Facility(FacilityId));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static object Facility(string id, string office = "001") =>
        new { id, name = "بیمارستان امام خمینی", nameEnglish = "Imam Khomeini Hospital", officeCode = office, city = "تهران" };

    public static object Notification(string mother, string certificate = "MC-1001", string? father = null, string birthDate = "", string sex = "female",
        int plurality = 1, int? order = null) => new
    {
        certificateNumber = certificate,
        certifier = new { name = "مریم احمدی", identifier = "12345" },
        sex,
        birthDate = birthDate.Length > 0 ? birthDate : Today(-2),
        birthTime = "08:45",
        plurality,
        multipleBirthOrder = order,
        birthWeightGrams = 3250,
        gestationWeeks = 39,
        motherNationalCode = mother,
        fatherNationalCode = father,
    };

    private static string Today(int days) => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(3.5)).AddDays(days).ToString("yyyy-MM-dd");

    private async Task<(string Husband, string Wife)> CoupleAsync()
    {
        var husband = await _registrar.Born(Birth("بهرام", "شاهرخی", "male", "1370/05/01"));
        var wife = await _registrar.Born(Birth("نسرین", "کاظمی", "female", "1372/02/01"));
        await _registrar.PostOk("/api/marriages", Marriage(husband, wife, "1400/06/01"));
        return (husband, wife);
    }

    private async Task<Guid> NotifyAsync(object notification, string facility = FacilityId)
    {
        var receipt = await registry.AsHospital(facility).PostOk("/api/birth-notifications", notification);
        return Guid.Parse(receipt.Str("notificationId"));
    }

    [Fact]
    public async Task A_notification_is_recorded_on_the_mothers_stream_once_however_often_it_is_sent()
    {
        var (_, wife) = await CoupleAsync();
        var hospital = registry.AsHospital(FacilityId);

        var first = await hospital.PostAsJsonAsync("/api/birth-notifications", Notification(wife));
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        var again = await hospital.PostAsJsonAsync("/api/birth-notifications", Notification(wife));
        again.StatusCode.Should().Be(HttpStatusCode.Created);
        var (a, b) = (await first.Json(), await again.Json());
        b.ToJsonString().Should().Be(a.ToJsonString());
        again.Headers.Location.Should().Be(first.Headers.Location);

        var notified = (await registry.EventsOf(wife)).OfType<BirthNotified>().Should().ContainSingle().Subject;
        notified.NotificationId.Should().Be(Guid.Parse(a.Str("notificationId")));
        notified.Should().BeEquivalentTo(new
        {
            FacilityId, OfficeCode = "001", CertificateNumber = "MC-1001", Sex = "female", BirthTime = "08:45", Plurality = 1, BirthWeightGrams = 3250,
            GestationWeeks = 39, MotherNationalCode = wife, Format = "json", Certifier = new CertifierRecord("مریم احمدی", "https://irimc.org/fhir/sid/medical-council-number", "12345"),
        });
        notified.BirthPlace.City.Should().Be("تهران");

        var reused = await hospital.PostAsJsonAsync("/api/birth-notifications", Notification(wife, sex: "male"));
        reused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await reused.Json()).Str("code").Should().Be("birthNotification.certificateReused");
        (await registry.EventsOf(wife)).OfType<BirthNotified>().Should().ContainSingle();
    }

    [Fact]
    public async Task Bad_notifications_are_refused_with_a_problem_and_store_nothing()
    {
        var (husband, wife) = await CoupleAsync();
        var hospital = registry.AsHospital(FacilityId);
        var before = await registry.RecordedEvents();

        async Task<JsonNode> Refused(object body, HttpStatusCode status, HttpClient? client = null)
        {
            var response = await (client ?? hospital).PostAsJsonAsync("/api/birth-notifications", body);
            response.StatusCode.Should().Be(status, await response.Content.ReadAsStringAsync());
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            return await response.Json();
        }

        (await Refused(new { sex = "female" }, HttpStatusCode.BadRequest))["errors"]!.AsArray().Select(e => e!.Str("field"))
            .Should().Contain(["certificateNumber", "certifier.name", "birthDate", "motherNationalCode"]);
        (await Refused(Notification(wife, plurality: 2), HttpStatusCode.BadRequest))["errors"]!.AsArray().Select(e => e!.Str("code"))
            .Should().Contain("birthNotification.orderRequired");
        (await Refused(Notification(wife, birthDate: Today(3)), HttpStatusCode.BadRequest)).Str("code").Should().Be("date.inFuture");
        (await Refused(Notification(husband), HttpStatusCode.Conflict)).Str("code").Should().Be("parent.sexMismatch");
        (await Refused(Notification(NationalCode.Issue("999", 4321)!), HttpStatusCode.NotFound)).Str("code").Should().Be("parent.notFound");
        (await Refused(Notification(wife), HttpStatusCode.Forbidden, registry.AsHospital("unknown-hospital"))).Str("code")
            .Should().Be("birthNotification.facilityUnknown");
        (await Refused(Notification(wife), HttpStatusCode.Forbidden, _registrar)).Str("code").Should().Be("auth.forbidden");

        (await _admin.PutAsJsonAsync($"/api/facilities/{FacilityId}", new
        {
            name = "بیمارستان امام خمینی", nameEnglish = "Imam Khomeini Hospital", officeCode = "001", city = "تهران", status = "suspended",
        })).EnsureSuccessStatusCode();
        (await Refused(Notification(wife), HttpStatusCode.Forbidden)).Str("code").Should().Be("birthNotification.facilitySuspended");

        (await registry.RecordedEvents()).Should().HaveCount(before.Count);
    }

    [Fact]
    public async Task The_mother_confirms_online_and_the_child_is_registered_with_a_code_of_the_facilitys_county()
    {
        var (husband, wife) = await CoupleAsync();
        var id = await NotifyAsync(Notification(wife));
        var mother = registry.AsCitizen(wife);

        var waiting = (await Ok(await mother.GetAsync("/api/me/birth-notifications"))).AsArray().Should().ContainSingle().Subject!;
        waiting["notification"]!.Str("id").Should().Be(id.ToString());
        waiting.Str("familyName").Should().Be("شاهرخی");
        waiting["father"]!.Str("nationalCode").Should().Be(husband);
        waiting["lateIfCompletedToday"]!.GetValue<bool>().Should().BeFalse();

        var confirmed = await mother.PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = "ترانه" });
        confirmed.StatusCode.Should().Be(HttpStatusCode.Created, await confirmed.Content.ReadAsStringAsync());
        var result = await confirmed.Json();
        var child = result.Str("nationalCode");
        child.Should().StartWith("001");
        NationalCode.Validate(child, out _).Should().BeNull();
        result["lateRegistration"]!.GetValue<bool>().Should().BeFalse();
        confirmed.Headers.Location!.ToString().Should().Be($"/api/me/family/{child}");

        var birth = (await registry.EventsOf(child)).Should().ContainSingle().Subject.Should().BeOfType<BirthRegistered>().Subject;
        birth.Should().BeEquivalentTo(new
        {
            GivenName = "ترانه", FamilyName = "شاهرخی", Sex = "female", MotherNationalCode = wife, FatherNationalCode = husband, OfficeCode = "001",
            BirthTime = "08:45", NotificationId = (Guid?)id, LateRegistration = false,
        });
        birth.Evidence.Should().Be(new EvidenceRecord(Vocabulary.MedicalCertificate, "MC-1001"));
        (await registry.EventsOf(wife)).Should().ContainSingle(e => e is ChildBirthRecorded)
            .And.ContainSingle(e => e is BirthNotificationCompleted && ((BirthNotificationCompleted)e).ChildNationalCode == child);
        (await registry.EventsOf(husband)).OfType<ChildBirthRecorded>().Should().ContainSingle(c => c.ChildNationalCode == child);

        (await Ok(await mother.GetAsync($"/api/me/family/{child}"))).Str("givenName").Should().Be("ترانه");
        (await Ok(await mother.GetAsync("/api/me/birth-notifications"))).AsArray().Should().BeEmpty();
        var view = await Ok(await _registrar.GetAsync($"/api/birth-notifications/{id}"));
        var read = (await Ok(await mother.GetAsync("/api/me/access-log")))["items"]!.AsArray().Select(e => e!).First(e => e.Str("resource") == "birthNotification");
        (read.Str("officeCode"), read.Str("detail")).Should().Be(("001", id.ToString()));
        view["notification"]!.Str("status").Should().Be("registered");
        view["notification"]!.Str("childNationalCode").Should().Be(child);
        view["notification"]!.Str("channel").Should().Be("online");

        var twice = await mother.PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = "ترانه" });
        twice.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await twice.Json()).Str("code").Should().Be("birthNotification.notPending");
    }

    [Fact]
    public async Task The_health_feed_carries_the_notification_its_completion_and_the_registration_it_became()
    {
        var (_, wife) = await CoupleAsync();
        var id = await NotifyAsync(Notification(wife));
        var confirmed = await registry.AsCitizen(wife).PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = "ترانه" });
        var child = (await confirmed.Json()).Str("nationalCode");

        var health = registry.CreateClient();
        health.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            registry.Token("subscriber", null, "moh", "health"));
        var page = await Ok(await health.GetAsync("/api/feed?types=birth_notified.v1,birth_notification_completed.v1,birth_registered.v1"));
        var events = page["events"]!.AsArray().Select(e => e!).ToList();
        var notified = events.Single(e => e.Str("type") == "birth_notified.v1");
        (notified.Str("subject"), notified["data"]!.Str("notificationId"), notified["data"]!.Str("certificateNumber")).Should().Be((wife, id.ToString(), "MC-1001"));
        notified["data"]!.AsObject().Should().NotContainKey("notifiedBy");
        events.Single(e => e.Str("type") == "birth_notification_completed.v1")["data"]!.Str("childNationalCode").Should().Be(child);
        events.Single(e => e.Str("type") == "birth_registered.v1" && e.Str("subject") == child)["data"]!.Str("notificationId").Should().Be(id.ToString());
    }

    [Fact]
    public async Task The_husband_may_confirm_and_anyone_else_is_refused()
    {
        var (husband, wife) = await CoupleAsync();
        var stranger = await _registrar.Born(Birth("مهتاب", "سلیمی", "female", "1370/01/01"));
        var other = await _registrar.Born(Birth("کاوه", "سلیمی", "male", "1368/01/01"));
        var id = await NotifyAsync(Notification(wife, sex: "male"));

        foreach (var outsider in new[] { stranger, other })
        {
            var client = registry.AsCitizen(outsider);
            (await Ok(await client.GetAsync("/api/me/birth-notifications"))).AsArray().Should().BeEmpty();
            var refused = await client.PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = "آرش" });
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            (await refused.Json()).Str("code").Should().Be("birthNotification.notYourChild");
        }

        var father = registry.AsCitizen(husband);
        (await Ok(await father.GetAsync("/api/me/birth-notifications"))).AsArray().Should().ContainSingle();
        var confirmed = await father.PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = "آرش" });
        confirmed.StatusCode.Should().Be(HttpStatusCode.Created, await confirmed.Content.ReadAsStringAsync());
        var child = (await confirmed.Json()).Str("nationalCode");
        (await registry.EventsOf(child)).OfType<BirthRegistered>().Single().FatherNationalCode.Should().Be(husband);
    }

    [Fact]
    public async Task A_father_named_by_the_facility_but_not_married_to_the_mother_cannot_confirm_online_but_she_can()
    {
        var mother = await _registrar.Born(Birth("سارا", "نیکو", "female", "1375/01/01"));
        var father = await _registrar.Born(Birth("رضا", "پاکزاد", "male", "1373/01/01"));
        var id = await NotifyAsync(Notification(mother, father: father));

        var refused = await registry.AsCitizen(father).PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = "نگار" });
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var confirmed = await registry.AsCitizen(mother).PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = "نگار" });
        confirmed.StatusCode.Should().Be(HttpStatusCode.Created);
        var birth = (await registry.EventsOf((await confirmed.Json()).Str("nationalCode"))).OfType<BirthRegistered>().Single();
        (birth.FatherNationalCode, birth.FamilyName).Should().Be((father, "پاکزاد"));
    }

    [Fact]
    public async Task Without_a_known_father_the_child_takes_the_mothers_family_name()
    {
        var mother = await _registrar.Born(Birth("سارا", "نیکو", "female", "1375/01/01"));
        var id = await NotifyAsync(Notification(mother));
        var confirmed = await registry.AsCitizen(mother).PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = "نگار" });
        var birth = (await registry.EventsOf((await confirmed.Json()).Str("nationalCode"))).OfType<BirthRegistered>().Single();
        (birth.FatherNationalCode, birth.FamilyName).Should().Be(((string?)null, "نیکو"));
    }

    [Fact]
    public async Task Names_not_in_Persian_script_or_on_the_refused_list_are_refused_and_nothing_is_registered()
    {
        var (_, wife) = await CoupleAsync();
        var id = await NotifyAsync(Notification(wife));
        var mother = registry.AsCitizen(wife);
        var before = await registry.RecordedEvents();

        foreach (var (name, code) in new[] { ("Sara", "givenName.notPersian"), ("دكتر", "givenName.refused"), ("", "field.required") })
        {
            var refused = await mother.PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = name });
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest, name);
            var problem = await refused.Json();
            (problem["errors"]?.AsArray().Select(e => e!.Str("code")) ?? [problem.Str("code")]).Should().Contain(code);
        }
        (await registry.RecordedEvents()).Should().HaveCount(before.Count);
    }

    [Fact]
    public async Task Twins_are_two_notifications_and_two_children_without_a_duplicate_hold()
    {
        var (_, wife) = await CoupleAsync();
        var first = await NotifyAsync(Notification(wife, "MC-2001", plurality: 2, order: 1));
        var second = await NotifyAsync(Notification(wife, "MC-2002", plurality: 2, order: 2));
        var again = await registry.AsHospital(FacilityId).PostAsJsonAsync("/api/birth-notifications", Notification(wife, "MC-2003", plurality: 2, order: 2));
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.Json()).Str("code").Should().Be("birthNotification.duplicate");

        var mother = registry.AsCitizen(wife);
        var codes = new List<string>();
        foreach (var (id, name) in new[] { (first, "رها"), (second, "رعنا") })
        {
            var confirmed = await mother.PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = name });
            confirmed.StatusCode.Should().Be(HttpStatusCode.Created, await confirmed.Content.ReadAsStringAsync());
            codes.Add((await confirmed.Json()).Str("nationalCode"));
        }
        codes.Distinct().Should().HaveCount(2);
        (await registry.EventsOf(wife)).OfType<ChildBirthRecorded>().Select(c => c.MultipleBirthOrder).Should().Equal(1, 2);
        (await registry.EventsOf(wife)).OfType<BirthHeldForReview>().Should().BeEmpty();
    }

    [Fact]
    public async Task A_registrar_of_the_facilitys_office_completes_a_notified_birth_from_the_notification()
    {
        var (husband, wife) = await CoupleAsync();
        var id = await NotifyAsync(Notification(wife));

        var elsewhere = await registry.As("registrar", "002", "reg-b").PostAsJsonAsync($"/api/birth-notifications/{id}/register", new { givenName = "ترانه" });
        elsewhere.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var completed = await _registrar.PostAsJsonAsync($"/api/birth-notifications/{id}/register", new { givenName = "ترانه" });
        completed.StatusCode.Should().Be(HttpStatusCode.Created, await completed.Content.ReadAsStringAsync());
        var child = (await completed.Json()).Str("nationalCode");
        completed.Headers.Location!.ToString().Should().Be($"/api/persons/{child}");
        var person = await _registrar.Person(child);
        (person.Str("givenName"), person.Str("familyName")).Should().Be(("ترانه", "شاهرخی"));
        (await registry.EventsOf(wife)).OfType<BirthNotificationCompleted>().Single().Should()
            .BeEquivalentTo(new { NotificationId = id, ChildNationalCode = child, CompletedBy = "reg-a", Channel = "office" });
    }

    [Fact]
    public async Task The_mother_online_and_a_registrar_at_the_office_at_once_make_exactly_one_person()
    {
        var (_, wife) = await CoupleAsync();
        string[] names = ["ترانه", "آوا", "نیلوفر", "ستاره"];
        for (var round = 0; round < names.Length; round++)
        {
            // Births far enough apart, with other names, that none looks like a duplicate of the one before.
            var id = await NotifyAsync(Notification(wife, $"MC-30{round}", birthDate: Today(-1 - 5 * round)));
            var online = registry.AsCitizen(wife).PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = names[round] });
            var office = _registrar.PostAsJsonAsync($"/api/birth-notifications/{id}/register", new { givenName = names[round] });
            var answers = await Task.WhenAll(online, office);

            answers.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Created, HttpStatusCode.Conflict]);
            (await answers.Single(a => a.StatusCode == HttpStatusCode.Conflict).Json()).Str("code").Should().Be("birthNotification.notPending");
            var completions = (await registry.EventsOf(wife)).OfType<BirthNotificationCompleted>().Where(c => c.NotificationId == id).ToList();
            completions.Should().ContainSingle();
            (await registry.RecordedEvents()).OfType<BirthRegistered>().Where(b => b.NotificationId == id).Should().ContainSingle()
                .Which.NationalCode.Should().Be(completions[0].ChildNationalCode);
        }
    }

    [Fact]
    public async Task A_birth_confirmed_after_fifteen_days_is_a_late_registration()
    {
        var (_, wife) = await CoupleAsync();
        var id = await NotifyAsync(Notification(wife, birthDate: Today(-20)));
        var mother = registry.AsCitizen(wife);
        (await Ok(await mother.GetAsync("/api/me/birth-notifications"))).AsArray().Single()!["lateIfCompletedToday"]!.GetValue<bool>().Should().BeTrue();

        var confirmed = await mother.PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = "ترانه" });
        var result = await confirmed.Json();
        result["lateRegistration"]!.GetValue<bool>().Should().BeTrue();
        (await registry.EventsOf(result.Str("nationalCode"))).OfType<BirthRegistered>().Single().LateRegistration.Should().BeTrue();
    }

    [Fact]
    public async Task A_child_registered_at_the_office_meanwhile_holds_the_confirmation_for_a_supervisor()
    {
        var (husband, wife) = await CoupleAsync();
        var id = await NotifyAsync(Notification(wife));
        await _registrar.Born(Birth("ترانه", "شاهرخی", "female", Today(-2), mother: wife, father: husband));

        var held = await registry.AsCitizen(wife).PostAsJsonAsync($"/api/me/birth-notifications/{id}/confirm", new { givenName = "ترانه" });
        held.StatusCode.Should().Be(HttpStatusCode.Accepted, await held.Content.ReadAsStringAsync());
        var hold = (await held.Json()).Str("holdId");
        (await Ok(await _registrar.GetAsync($"/api/birth-notifications/{id}")))["notification"]!.Str("status").Should().Be("heldForReview");
        (await Ok(await _registrar.GetAsync($"/api/births/held/{hold}"))).Str("status").Should().Be("pending");
    }

    [Fact]
    public async Task Unconfirmed_notifications_come_to_the_registrars_follow_up_queue_and_do_not_expire()
    {
        await using var quick = new RegistryFactory(new Dictionary<string, string?> { ["VitalEvents:BirthNotifications:FollowUpAfter"] = "00:00:02" });
        await quick.ResetAsync();
        var registrar = quick.As("registrar", "001", "reg-a");
        await quick.As("admin", null, "admin-1").PostOk("/api/facilities", Facility(FacilityId));
        var mother = await registrar.Born(Birth("سارا", "نیکو", "female", "1375/01/01"));
        var receipt = await quick.AsHospital(FacilityId).PostOk("/api/birth-notifications", Notification(mother));
        var id = receipt.Str("notificationId");

        (await Ok(await registrar.GetAsync("/api/birth-notifications?followUp=true&office=001")))["items"]!.AsArray().Should().BeEmpty();
        (await Ok(await registrar.GetAsync("/api/birth-notifications?office=001")))["items"]!.AsArray().Select(n => n!.Str("id")).Should().Equal(id);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var due = await Ok(await registrar.GetAsync("/api/birth-notifications?followUp=true&office=001"));
        due["items"]!.AsArray().Select(n => n!.Str("id")).Should().Equal(id);
        (await Ok(await registrar.GetAsync($"/api/birth-notifications/{id}")))["followUp"]!.GetValue<bool>().Should().BeTrue();
        (await Ok(await quick.AsHospital(FacilityId).GetAsync("/api/birth-notifications")))["items"]!.AsArray().Should().ContainSingle();
        (await Ok(await quick.AsHospital("other-hospital").GetAsync("/api/birth-notifications")))["items"]!.AsArray().Should().BeEmpty();
    }

    private static async Task<JsonNode> Ok(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Json();
    }
}
