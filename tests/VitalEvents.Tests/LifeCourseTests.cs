using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>One life, start to end, through HTTP: the snapshot and the history are asserted after every step.</summary>
public sealed class LifeCourseTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar", user: "reg-1");
    private readonly HttpClient _supervisor = registry.As("supervisor", user: "sup-1");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonNode> Step(string nationalCode, string expectedEvent, int expectedVersion)
    {
        var snapshot = await _registrar.Person(nationalCode);
        snapshot["version"]!.GetValue<long>().Should().Be(expectedVersion);
        var history = await (await _registrar.GetAsync($"/api/persons/{nationalCode}/history")).Json();
        var entries = history["entries"]!.AsArray();
        entries.Should().HaveCount(expectedVersion);
        entries[^1]!.Str("eventType").Should().Be(expectedEvent);
        return snapshot;
    }

    private async Task Approve(string nationalCode, object correction)
    {
        var id = (await _registrar.PostOk($"/api/persons/{nationalCode}/corrections", correction)).Str("correctionId");
        await _supervisor.PostOk($"/api/corrections/{id}/approve", new { });
    }

    [Fact]
    public async Task A_whole_life_is_recorded_step_by_step()
    {
        var reza = await _registrar.Born(Birth("رضا", "کریمی", "male", "1360/05/05"));
        (await Step(reza, "birth_registered.v1", 1)).Str("maritalStatus").Should().Be("single");
        var maryam = await _registrar.Born(Birth("مریم", "صالحی", "female", "1364/02/02"));

        var first = (await _registrar.PostOk("/api/marriages", Marriage(reza, maryam, "1385/06/01"))).Str("marriageId");
        (await Step(reza, "marriage_registered.v1", 2)).Str("maritalStatus").Should().Be("married");

        var child1 = await _registrar.Born(Birth("سینا", "کریمی", "male", "1387/03/03", maryam, reza));
        var child2 = await _registrar.Born(Birth("سارا", "کریمی", "female", "1390/09/09", maryam, reza));
        var withChildren = await Step(reza, "child_birth_recorded.v1", 4);
        withChildren["children"]!.AsArray().Select(c => c!.Str("nationalCode")).Should().Equal(child1, child2);
        (await _registrar.Person(child1))["father"]!.Str("givenName").Should().Be("رضا");

        await _registrar.PostOk("/api/divorces", new { marriageId = first, date = "1395/01/10", kind = "revocable", waitingPeriodEnds = "1395/04/10", officeCode = "001" });
        (await Step(maryam, "divorce_registered.v1", 5)).Str("maritalStatus").Should().Be("divorced");

        await _registrar.PostOk($"/api/marriages/{first}/return", new { date = "1395/02/01", officeCode = "001" });
        var returned = await Step(maryam, "marriage_resumed.v1", 6);
        returned.Str("maritalStatus").Should().Be("married");
        returned["spouses"]![0]!["current"]!.GetValue<bool>().Should().BeTrue();

        await _registrar.PostOk("/api/divorces", new { marriageId = first, date = "1398/01/01", kind = "irrevocable", waitingPeriodEnds = "1398/04/01", officeCode = "001" });
        (await Step(reza, "divorce_registered.v1", 7)).Str("maritalStatus").Should().Be("divorced");

        var leila = await _registrar.Born(Birth("لیلا", "امینی", "female", "1368/08/08"));
        await _registrar.PostOk("/api/marriages", Marriage(reza, leila, "1399/07/07"));
        var remarried = await Step(reza, "marriage_registered.v1", 8);
        remarried["spouses"]!.AsArray().Should().HaveCount(2);
        remarried["spouses"]![1]!.Str("givenName").Should().Be("لیلا");

        await Approve(reza, Correction("givenName", "رضا علی", authority: "court"));
        (await Step(reza, "correction_approved.v1", 10)).Str("givenName").Should().Be("رضا علی");
        (await _registrar.Person(child1))["father"]!.Str("givenName").Should().Be("رضا علی", "a child's view shows the corrected name");
        (await _registrar.Person(leila))["spouses"]![0]!.Str("givenName").Should().Be("رضا علی");

        await Approve(reza, new { field = "birthDate", newValue = "1358/05/05", authority = "court", decisionReference = "CRT-1402-55", reason = "Birth certificate found." });
        var aged = await Step(reza, "correction_approved.v1", 12);
        aged.Str("birthDateSolarHijri").Should().Be("1358/05/05");

        await _registrar.PostOk("/api/deaths", Death(reza, "1403/01/15"));
        var dead = await Step(reza, "death_registered.v2", 13);
        dead["alive"]!.GetValue<bool>().Should().BeFalse();
        dead.Str("maritalStatus").Should().Be("marriedAtDeath");
        (await Step(leila, "marriage_ended_by_death.v1", 3)).Str("maritalStatus").Should().Be("widowed");

        await Approve(reza, Correction("familyName", "کریمی‌نژاد"));
        var posthumous = await Step(reza, "correction_approved.v1", 15);
        posthumous.Str("familyName").Should().Be("کریمی‌نژاد");
        posthumous["alive"]!.GetValue<bool>().Should().BeFalse();
        (await _registrar.Person(child2))["father"]!.Str("familyName").Should().Be("کریمی‌نژاد");

        var history = await (await _registrar.GetAsync($"/api/persons/{reza}/history")).Json();
        history["entries"]!.AsArray().Select(e => e!.Str("eventType")).Should().Equal(
            "birth_registered.v1", "marriage_registered.v1", "child_birth_recorded.v1", "child_birth_recorded.v1",
            "divorce_registered.v1", "marriage_resumed.v1", "divorce_registered.v1", "marriage_registered.v1",
            "correction_requested.v1", "correction_approved.v1", "correction_requested.v1", "correction_approved.v1",
            "death_registered.v2", "correction_requested.v1", "correction_approved.v1");
        (await _registrar.Person(reza, "?version=9")).Str("givenName").Should().Be("رضا", "the record as it was before the name change");
    }

    [Fact]
    public async Task A_foetal_death_and_a_guardianship_are_on_the_right_records()
    {
        var mother = await _registrar.Born(Birth("زینب", "رحیمی", "female", "1370/01/01"));
        var response = await _registrar.PostAsJsonAsync("/api/foetal-deaths", new
        {
            motherNationalCode = mother, date = "1403/10/10", gestationWeeks = 30, sex = "female",
            place = new { province = "تهران", county = "تهران", city = "تهران" }, causeIcd10 = "P95", certifier = "Dr. Rahimi", officeCode = "001",
        });
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        (await Step(mother, "foetal_death_registered.v1", 2))["foetalDeaths"]!.AsArray().Should().ContainSingle();

        var orphan = await _registrar.Born(Birth("امید", "بی‌نام", "male", "1398/01/01"));
        var guardian = await _registrar.Born(Birth("کریم", "نیکو", "male", "1350/01/01"));
        await _registrar.PostOk($"/api/persons/{orphan}/guardian",
            new { guardianNationalCode = guardian, date = "1403/01/01", authority = "court", decisionReference = "CRT-1403-9", officeCode = "001" });
        var child = await Step(orphan, "guardian_appointed.v1", 2);
        child["guardian"]!.Str("nationalCode").Should().Be(guardian);
        child["guardian"]!.Str("name").Should().Be("کریم نیکو");
    }
}
