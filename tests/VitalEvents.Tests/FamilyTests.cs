using System.Net;
using System.Net.Http.Json;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>Each command lands the right events on the right streams, and the snapshots and history follow at once.</summary>
public sealed class FamilyTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Husband, string Wife)> Couple()
    {
        var husband = await _registrar.Born(Birth("حسین", "رضایی", "male", "1370/01/01"));
        var wife = await _registrar.Born(Birth("فاطمه", "محمدی", "female", "1372/01/01"));
        return (husband, wife);
    }

    [Fact]
    public async Task Birth_with_parents_starts_the_child_stream_and_records_the_child_on_each_parent()
    {
        var (father, mother) = await Couple();

        var child = await _registrar.Born(Birth("علي", "رضايي", "male", "1404/01/01", mother, father));

        NationalCode.IsValid(child).Should().BeTrue();
        child.Should().StartWith("001");
        var childEvents = await registry.EventsOf(child);
        childEvents.Should().ContainSingle().Which.Should().BeOfType<BirthRegistered>()
            .Which.GivenName.Should().Be("علی", "Arabic Yeh is stored as Persian Yeh");
        (await registry.EventsOf(mother)).Last().Should().BeEquivalentTo(new { ChildNationalCode = child, ParentRole = "mother" });
        (await registry.EventsOf(father)).Last().Should().BeEquivalentTo(new { ChildNationalCode = child, ParentRole = "father" });

        var snapshot = await _registrar.Person(child);
        snapshot.Str("familyName").Should().Be("رضایی");
        snapshot.Str("birthDate").Should().Be("2025-03-21");
        snapshot.Str("birthDateSolarHijri").Should().Be("1404/01/01");
        snapshot.Str("motherNationalCode").Should().Be(mother);
        (await _registrar.Person(mother))["children"]!.AsArray().Should().ContainSingle(c => c!["nationalCode"]!.GetValue<string>() == child);

        var history = await _registrar.GetFromJsonAsync<History.PersonHistory>($"/api/persons/{child}/history", WebJson);
        var entry = history!.Entries.Should().ContainSingle().Subject;
        entry.EventType.Should().Be("birth_registered.v1");
        entry.RecordedBy.Should().Be("registrar-001");
        entry.OfficeCode.Should().Be("001");
        entry.CorrelationId.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Marriage_lands_on_both_streams_with_one_marriage_id()
    {
        var (husband, wife) = await Couple();

        var marriageId = (await _registrar.PostOk("/api/marriages", Marriage(husband, wife))).Str("marriageId");

        (await registry.EventsOf(husband)).Last().Should().BeOfType<MarriageRegistered>().Which.MarriageId.ToString().Should().Be(marriageId);
        (await registry.EventsOf(wife)).Last().Should().BeOfType<MarriageRegistered>().Which.MarriageId.ToString().Should().Be(marriageId);
        (await _registrar.Person(husband)).Str("maritalStatus").Should().Be("married");
        (await _registrar.Person(wife))["spouses"]![0]!.Str("nationalCode").Should().Be(husband);
    }

    [Fact]
    public async Task A_rule_failure_on_one_spouse_leaves_neither_stream_changed()
    {
        var (husband, wife) = await Couple();
        var otherMan = await _registrar.Born(Birth("رضا", "کریمی", "male", "1365/01/01"));
        await _registrar.PostOk("/api/marriages", Marriage(husband, wife));
        var before = (await registry.EventsOf(otherMan)).Count;
        var wifeBefore = (await registry.EventsOf(wife)).Count;

        var response = await _registrar.PostAsJsonAsync("/api/marriages", Marriage(otherMan, wife));

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Json()).Str("code").Should().Be("marriage.wifeAlreadyMarried");
        (await registry.EventsOf(otherMan)).Should().HaveCount(before);
        (await registry.EventsOf(wife)).Should().HaveCount(wifeBefore);
    }

    [Fact]
    public async Task Divorce_ends_the_marriage_on_both_records()
    {
        var (husband, wife) = await Couple();
        var marriageId = (await _registrar.PostOk("/api/marriages", Marriage(husband, wife, "1400/01/01"))).Str("marriageId");

        await _registrar.PostOk("/api/divorces", new { marriageId, date = "1403/01/01", kind = "irrevocable", officeCode = "001" });

        (await registry.EventsOf(husband)).Last().Should().BeOfType<DivorceRegistered>();
        (await registry.EventsOf(wife)).Last().Should().BeOfType<DivorceRegistered>();
        var wifeSnapshot = await _registrar.Person(wife);
        wifeSnapshot.Str("maritalStatus").Should().Be("divorced");
        wifeSnapshot["spouses"]![0]!.Str("endedOn").Should().Be("2024-03-20");
    }

    [Fact]
    public async Task Death_closes_the_record_and_widows_the_surviving_spouse()
    {
        var (husband, wife) = await Couple();
        await _registrar.PostOk("/api/marriages", Marriage(husband, wife));

        await _registrar.PostOk("/api/deaths", Death(husband));

        (await registry.EventsOf(husband)).Last().Should().BeOfType<DeathRegistered>();
        (await registry.EventsOf(wife)).Last().Should().BeOfType<MarriageEndedByDeath>().Which.DeceasedNationalCode.Should().Be(husband);
        var deceased = await _registrar.Person(husband);
        deceased["alive"]!.GetValue<bool>().Should().BeFalse();
        deceased.Str("dateOfDeathSolarHijri").Should().Be("1404/02/01");
        (await _registrar.Person(wife)).Str("maritalStatus").Should().Be("widowed");

        var remarry = await _registrar.PostAsJsonAsync("/api/marriages", Marriage(husband, wife, "1404/03/01"));
        remarry.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await remarry.Json()).Str("code").Should().Be("person.deceased");
    }

    [Fact]
    public async Task A_correction_takes_effect_only_when_a_different_supervisor_approves_it()
    {
        var person = await _registrar.Born(Birth("یاسمین", "احمدی", "female", "1380/03/09"));
        var beforeCorrection = DateTimeOffset.UtcNow;
        await Task.Delay(50);

        var requested = await registry.As("supervisor", user: "sup-a")
            .PostOk($"/api/persons/{person}/corrections", Correction("givenName", "یاسمن"));
        var correctionId = requested.Str("correctionId");
        (await _registrar.Person(person)).Str("givenName").Should().Be("یاسمین", "a request alone changes nothing");

        var self = await registry.As("supervisor", user: "sup-a").PostAsync($"/api/corrections/{correctionId}/approve", null);
        self.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await self.Json()).Str("code").Should().Be("correction.sameUser");
        var registrarApproves = await _registrar.PostAsync($"/api/corrections/{correctionId}/approve", null);
        registrarApproves.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var approved = await registry.As("supervisor", user: "sup-b").PostAsync($"/api/corrections/{correctionId}/approve", null);
        approved.StatusCode.Should().Be(HttpStatusCode.OK);

        (await _registrar.Person(person)).Str("givenName").Should().Be("یاسمن");
        var approval = (await registry.EventsOf(person)).Last().Should().BeOfType<CorrectionApproved>().Subject;
        approval.Should().BeEquivalentTo(new { Field = "givenName", OldValue = "یاسمین", NewValue = "یاسمن", RequestedBy = "sup-a", ApprovedBy = "sup-b", Authority = "board" });
        var history = await _registrar.GetFromJsonAsync<History.PersonHistory>($"/api/persons/{person}/history", WebJson);
        history!.Entries.Last().Changes.Should().ContainSingle().Which.Should().Be(new History.FieldChange("givenName", "یاسمین", "یاسمن"));
        history.Entries.Last().Reason.Should().Be("Transcription error.");

        var asOf = await _registrar.Person(person, $"?asOf={Uri.EscapeDataString(beforeCorrection.ToString("O"))}");
        asOf.Str("givenName").Should().Be("یاسمین");
        (await _registrar.Person(person, "?version=2")).Str("givenName").Should().Be("یاسمین");
        var tehranTime = beforeCorrection.ToOffset(TimeSpan.FromHours(3.5)).ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz");
        (await _registrar.Person(person, $"?asOf={Uri.EscapeDataString(tehranTime)}")).Str("givenName").Should().Be("یاسمین", "an instant with Tehran's offset");
        var tomorrow = Domain.SolarHijri.Format(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1)));
        (await _registrar.Person(person, $"?asOf={tomorrow}")).Str("givenName").Should().Be("یاسمن", "a Solar Hijri date means the end of that day");
        (await _registrar.Person(person, "?version=3")).Str("givenName").Should().Be("یاسمن");
    }

    [Fact]
    public async Task A_persons_answer_shows_each_relatives_current_name_read_in_one_query_now_and_as_of_before()
    {
        var (father, mother) = await Couple();
        var single = await _registrar.Born(Birth("نادر", "تنها", "male", "1360/01/01"));
        var child = await _registrar.Born(Birth("سینا", "رضایی", "male", "1400/01/01", mother, father));
        await _registrar.PostOk("/api/marriages", Marriage(father, mother));
        var beforeCorrections = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        async Task Correct(string person, string field, string value)
        {
            var id = (await _registrar.PostOk($"/api/persons/{person}/corrections", Correction(field, value))).Str("correctionId");
            await registry.As("supervisor", user: "sup-b").PostOk($"/api/corrections/{id}/approve", new { });
        }
        await Correct(child, "givenName", "سینان");
        await Correct(mother, "givenName", "فاطیما");
        await Correct(father, "familyName", "رضائیان");

        var fathers = await _registrar.Person(father);
        fathers["children"]![0]!.Str("givenName").Should().Be("سینان", "a child's corrected name shows on the parent");
        fathers["spouses"]![0]!.Str("givenName").Should().Be("فاطیما");
        var childs = await _registrar.Person(child);
        childs["mother"]!.Str("givenName").Should().Be("فاطیما");
        childs["father"]!.Str("familyName").Should().Be("رضائیان");
        (await _registrar.Person(child, $"?asOf={Uri.EscapeDataString(beforeCorrections.ToString("O"))}"))["father"]!.Str("familyName")
            .Should().Be("رضائیان", "names are current even as of an earlier point");
        (await _registrar.Person(single)).Str("givenName").Should().Be("نادر", "a person without relatives is read as well");
    }

    [Fact]
    public async Task A_rejected_correction_changes_nothing_but_is_on_the_record()
    {
        var person = await _registrar.Born(Birth("مینا", "کاظمی", "female", "1390/01/01"));
        var correctionId = (await _registrar.PostOk($"/api/persons/{person}/corrections", Correction("familyName", "کاظمیان"))).Str("correctionId");

        var rejected = await registry.As("supervisor").PostAsJsonAsync($"/api/corrections/{correctionId}/reject", new { reason = "No court order." });

        rejected.StatusCode.Should().Be(HttpStatusCode.OK);
        (await _registrar.Person(person)).Str("familyName").Should().Be("کاظمی");
        (await registry.EventsOf(person)).Last().Should().BeOfType<CorrectionRejected>().Which.Reason.Should().Be("No court order.");
    }
}
