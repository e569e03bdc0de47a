using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>Every rule's rejection through the HTTP API: its status, its problem code, and nothing appended.</summary>
public sealed class HttpRuleTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string Unregistered => NationalCode.Issue("274", 4242)!;

    private static string Iso(DateTime date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A date relative to today (UTC, never later than Tehran's today): negative days are in the past.</summary>
    private static string Days(int days) => Iso(DateTime.UtcNow.Date.AddDays(days));

    private static string Months(int months) => Iso(DateTime.UtcNow.Date.AddMonths(months));

    private static object Place => new { province = "تهران", county = "تهران", city = "تهران" };

    /// <summary>A request with some properties replaced or added.</summary>
    private static JsonObject With(object body, params (string Property, object? Value)[] changes)
    {
        var json = JsonSerializer.SerializeToNode(body, WebJson)!.AsObject();
        foreach (var (property, value) in changes) json[property] = JsonSerializer.SerializeToNode(value, WebJson);
        return json;
    }

    private Task<string> Man(string birthDate = "1370/01/01", string name = "حسین", string? mother = null, string? father = null) =>
        _registrar.Born(Birth(name, "رضایی", "male", birthDate, mother, father));

    private Task<string> Woman(string birthDate = "1372/01/01", string name = "فاطمه", string? mother = null, string? father = null) =>
        _registrar.Born(Birth(name, "محمدی", "female", birthDate, mother, father));

    private async Task<(string Husband, string Wife)> Couple() => (await Man(), await Woman());

    private async Task<string> Married(string husband, string wife, string date = "1400/01/01", string kind = "permanent", string? termEnds = null) =>
        (await _registrar.PostOk("/api/marriages", Marriage(husband, wife, date, kind, termEnds))).Str("marriageId");

    private async Task<(string Husband, string Wife, string MarriageId)> MarriedCouple(string date = "1400/01/01")
    {
        var (husband, wife) = await Couple();
        return (husband, wife, await Married(husband, wife, date));
    }

    private Task<JsonNode> Divorce(string marriageId, string date, string kind, string? waitingPeriodEnds = null) =>
        _registrar.PostOk("/api/divorces", new { marriageId, date, kind, waitingPeriodEnds, officeCode = "001" });

    /// <summary>Sends a request that a rule refuses: checks the status, the problem's code, and that the log did not grow.</summary>
    private async Task<JsonNode> Refused(string url, object body, HttpStatusCode status, string code, HttpClient? client = null)
    {
        var response = await registry.AppendsNothing(() => (client ?? _registrar).PostAsJsonAsync(url, body));
        return await response.ShouldBeProblem(status, code);
    }

    /// <summary>Sends a request with a bad field: 400 validation.failed naming the field and its code, nothing appended.</summary>
    private async Task Invalid(string url, object body, string field, string code)
    {
        var problem = await Refused(url, body, HttpStatusCode.BadRequest, "validation.failed");
        problem["errors"]!.AsArray().Select(e => $"{e!.Str("field")} {e!.Str("code")}").Should().Contain($"{field} {code}");
    }

    private async Task<HttpResponseMessage> Accepted(string url, object body, HttpStatusCode status)
    {
        var response = await _registrar.PostAsJsonAsync(url, body);
        await response.ShouldHaveStatus(status);
        return response;
    }

    // Births

    [Fact]
    public async Task A_birth_in_the_future_is_400_date_inFuture() =>
        await Refused("/api/births", Birth(birthDate: Days(30)), HttpStatusCode.BadRequest, "date.inFuture");

    [Fact]
    public async Task A_birth_to_an_unregistered_mother_is_404_parent_notFound()
    {
        await Woman();

        await Refused("/api/births", Birth(mother: Unregistered), HttpStatusCode.NotFound, "parent.notFound");
    }

    [Theory]
    [InlineData("parent.sexMismatch")]
    [InlineData("parent.bornAfterChild")]
    [InlineData("parent.deceased")]
    public async Task A_birth_to_a_mother_who_cannot_be_its_mother_is_409(string code)
    {
        var birth = code switch
        {
            "parent.sexMismatch" => Birth(mother: await Man()),
            "parent.bornAfterChild" => Birth(birthDate: "1399/01/01", mother: await Woman("1400/01/01")),
            "parent.deceased" => await ChildOfADeadMother(),
            _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
        };

        await Refused("/api/births", birth, HttpStatusCode.Conflict, code);
    }

    private async Task<object> ChildOfADeadMother()
    {
        var mother = await Woman();
        await _registrar.PostOk("/api/deaths", Death(mother, "1400/01/01"));
        return Birth(birthDate: "1401/01/01", mother: mother);
    }

    [Theory]
    [InlineData("evidence", "evidence.witnesses", "evidence.twoWitnessesRequired")]
    [InlineData("birthTime", "birthTime", "time.invalid")]
    [InlineData("multipleBirthOrder", "multipleBirthOrder", "field.outOfRange")]
    public async Task A_birth_with_a_bad_particular_is_400_naming_it(string property, string field, string code)
    {
        object? value = property switch
        {
            "evidence" => new { kind = "witnesses", reference = "WS-1404-0001", witnesses = new[] { new { nationalCode = "0012345679", name = "حسن کریمی" } } },
            "birthTime" => "25:99",
            "multipleBirthOrder" => 0,
            _ => throw new ArgumentOutOfRangeException(nameof(property), property, null),
        };

        await Invalid("/api/births", With(Birth(), (property, value)), field, code);
    }

    [Fact]
    public async Task A_birth_attested_by_two_witnesses_is_201_and_keeps_both()
    {
        var witnesses = new[] { new { nationalCode = "0012345679", name = "حسن کریمی" }, new { nationalCode = "1361234563", name = "مریم کاظمی" } };

        var response = await Accepted("/api/births",
            With(Birth(), ("evidence", new { kind = "witnesses", reference = "WS-1404-0001", witnesses })), HttpStatusCode.Created);

        var snapshot = await _registrar.Person((await response.Json()).Str("nationalCode"));
        snapshot["birthEvidence"]!.Str("kind").Should().Be("witnesses");
        snapshot["birthEvidence"]!["witnesses"]!.AsArray().Select(w => w!.Str("nationalCode")).Should().Equal("0012345679", "1361234563");
    }

    [Theory]
    [InlineData(-365, true)]
    [InlineData(-3, false)]
    public async Task A_birth_registered_after_15_days_is_a_late_registration(int days, bool late)
    {
        var birthDate = Iso(DateTime.UtcNow.Date.AddDays(days));

        var child = await _registrar.Born(Birth(birthDate: birthDate));

        (await _registrar.Person(child))["lateRegistration"]!.GetValue<bool>().Should().Be(late);
    }

    // Marriages

    [Fact]
    public async Task A_marriage_to_an_unregistered_husband_is_404_person_notFound()
    {
        var wife = await Woman();

        await Refused("/api/marriages", Marriage(Unregistered, wife), HttpStatusCode.NotFound, "person.notFound");
    }

    [Theory]
    [InlineData("two men", "marriage.sexMismatch")]
    [InlineData("a dead wife", "person.deceased")]
    [InlineData("a wife not yet born", "marriage.beforeBirth")]
    [InlineData("father and daughter", "marriage.prohibitedKinship")]
    [InlineData("brother and sister", "marriage.prohibitedKinship")]
    [InlineData("a married wife", "marriage.wifeAlreadyMarried")]
    [InlineData("a widow a month after the death", "marriage.waitingPeriod")]
    [InlineData("a divorcee before her waiting period ends", "marriage.waitingPeriod")]
    [InlineData("a married husband without court authorisation", "marriage.courtAuthorisationRequired")]
    public async Task A_marriage_the_law_forbids_is_409(string situation, string code) =>
        await Refused("/api/marriages", await ArrangeMarriage(situation), HttpStatusCode.Conflict, code);

    private async Task<object> ArrangeMarriage(string situation)
    {
        switch (situation)
        {
            case "two men":
                return Marriage(await Man(), await Man("1372/01/01", "رضا"));
            case "a dead wife":
            {
                var (husband, wife) = await Couple();
                await _registrar.PostOk("/api/deaths", Death(wife, "1402/01/01"));
                return Marriage(husband, wife, "1403/06/01");
            }
            case "a wife not yet born":
                return Marriage(await Man(), await Woman("1390/01/01"), "1388/01/01");
            case "father and daughter":
            {
                var father = await Man("1350/01/01");
                return Marriage(father, await Woman("1380/01/01", father: father));
            }
            case "brother and sister":
            {
                var mother = await Woman("1350/01/01", "زهرا");
                return Marriage(await Man(mother: mother), await Woman(mother: mother));
            }
            case "a married wife":
            {
                var (_, wife, _) = await MarriedCouple();
                return Marriage(await Man("1365/01/01", "رضا"), wife);
            }
            case "a widow a month after the death":
            {
                var (husband, wife, _) = await MarriedCouple();
                await _registrar.PostOk("/api/deaths", Death(husband, Months(-2)));
                return Marriage(await Man("1365/01/01", "رضا"), wife, Months(-1));
            }
            case "a divorcee before her waiting period ends":
            {
                var (_, wife, marriageId) = await MarriedCouple();
                await Divorce(marriageId, Days(-30), "irrevocable", Days(60));
                return Marriage(await Man("1365/01/01", "رضا"), wife, Days(-1));
            }
            case "a married husband without court authorisation":
            {
                var (husband, _, _) = await MarriedCouple();
                return Marriage(husband, await Woman("1375/01/01", "زهرا"));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(situation), situation, null);
        }
    }

    [Fact]
    public async Task A_girl_under_13_marries_only_with_a_court_permission()
    {
        var husband = await Man();
        var girl = await Woman("1390/01/01");
        var marriage = Marriage(husband, girl, "1402/01/01");

        await Refused("/api/marriages", marriage, HttpStatusCode.Conflict, "marriage.underMinimumAge");

        await Accepted("/api/marriages", With(marriage, ("courtPermissionReference", "COURT-1401-0099")), HttpStatusCode.Created);
        (await registry.EventsOf(girl)).Last().Should().BeOfType<MarriageRegistered>()
            .Which.CourtPermissionReference.Should().Be("COURT-1401-0099");
    }

    [Theory]
    [InlineData("temporary without termEnds", "termEnds", "marriage.termRequired")]
    [InlineData("to oneself", "wifeNationalCode", "marriage.samePerson")]
    public async Task A_marriage_with_inconsistent_fields_is_400(string situation, string field, string code)
    {
        var (husband, wife) = await Couple();
        var marriage = situation == "to oneself" ? Marriage(husband, husband) : Marriage(husband, wife, kind: "temporary");

        await Invalid("/api/marriages", marriage, field, code);
    }

    // Term waiver, return, annulment

    [Fact]
    public async Task Waiving_the_term_is_409_for_a_permanent_marriage_and_ends_a_temporary_one()
    {
        var (_, _, permanent) = await MarriedCouple();
        var waiver = new { date = Days(-1), officeCode = "001" };

        await Refused($"/api/marriages/{permanent}/term-waiver", waiver, HttpStatusCode.Conflict, "marriage.notTemporary");

        var husband = await Man("1368/01/01", "رضا");
        var wife = await Woman("1375/01/01", "زهرا");
        var temporary = await Married(husband, wife, "1403/06/01", "temporary", Days(365));
        await Accepted($"/api/marriages/{temporary}/term-waiver", waiver, HttpStatusCode.OK);
        (await _registrar.Person(wife)).Str("maritalStatus").Should().Be("temporaryMarriageEnded");
    }

    [Fact]
    public async Task A_return_after_an_irrevocable_divorce_is_409_marriage_notRevocablyDivorced()
    {
        var (_, _, marriageId) = await MarriedCouple();
        await Divorce(marriageId, "1403/01/01", "irrevocable");

        await Refused($"/api/marriages/{marriageId}/return", new { date = "1403/01/15", officeCode = "001" },
            HttpStatusCode.Conflict, "marriage.notRevocablyDivorced");
    }

    [Fact]
    public async Task A_return_after_the_waiting_period_is_409_and_within_it_restores_the_marriage_on_both_records()
    {
        var (husband, wife, marriageId) = await MarriedCouple();
        await Divorce(marriageId, "1403/01/01", "revocable", "1403/04/01");

        await Refused($"/api/marriages/{marriageId}/return", new { date = "1403/06/01", officeCode = "001" },
            HttpStatusCode.Conflict, "marriage.returnOutsideWaitingPeriod");

        await Accepted($"/api/marriages/{marriageId}/return", new { date = "1403/02/01", officeCode = "001" }, HttpStatusCode.OK);
        foreach (var spouse in new[] { husband, wife })
        {
            var snapshot = await _registrar.Person(spouse);
            snapshot.Str("maritalStatus").Should().Be("married");
            snapshot["spouses"]!.AsArray().Should().ContainSingle()
                .Which!["current"]!.GetValue<bool>().Should().BeTrue();
        }
    }

    private static object Annulment => new { date = "1403/01/01", grounds = "عیب موجب فسخ", decisionReference = "COURT-1402-0311", officeCode = "001" };

    [Fact]
    public async Task An_annulled_marriage_cannot_be_annulled_again()
    {
        var (_, wife, marriageId) = await MarriedCouple();

        await Accepted($"/api/marriages/{marriageId}/annulment", Annulment, HttpStatusCode.OK);
        (await _registrar.Person(wife)).Str("maritalStatus").Should().Be("annulled");

        await Refused($"/api/marriages/{marriageId}/annulment", Annulment, HttpStatusCode.Conflict, "marriage.notActive");
    }

    [Fact]
    public async Task Annulling_an_unknown_marriage_is_404_marriage_notFound()
    {
        await MarriedCouple();

        await Refused($"/api/marriages/{Guid.NewGuid()}/annulment", Annulment, HttpStatusCode.NotFound, "marriage.notFound");
    }

    // Divorces

    [Fact]
    public async Task A_revocable_divorce_without_the_end_of_the_waiting_period_is_400()
    {
        var (_, _, marriageId) = await MarriedCouple();

        await Invalid("/api/divorces", new { marriageId, date = "1403/01/01", kind = "revocable", officeCode = "001" },
            "waitingPeriodEnds", "divorce.waitingPeriodRequired");
    }

    [Fact]
    public async Task Divorcing_twice_is_409_marriage_notActive()
    {
        var (_, _, marriageId) = await MarriedCouple();
        await Divorce(marriageId, "1403/01/01", "irrevocable");

        await Refused("/api/divorces", new { marriageId, date = "1403/02/01", kind = "irrevocable", officeCode = "001" },
            HttpStatusCode.Conflict, "marriage.notActive");
    }

    [Fact]
    public async Task A_divorce_before_the_marriage_is_409_divorce_beforeMarriage()
    {
        var (_, _, marriageId) = await MarriedCouple("1400/01/01");

        await Refused("/api/divorces", new { marriageId, date = "1399/01/01", kind = "irrevocable", officeCode = "001" },
            HttpStatusCode.Conflict, "divorce.beforeMarriage");
    }

    // Deaths

    [Fact]
    public async Task A_second_death_is_409_person_deceased()
    {
        var person = await Man();
        await _registrar.PostOk("/api/deaths", Death(person));

        await Refused("/api/deaths", Death(person, "1404/03/01"), HttpStatusCode.Conflict, "person.deceased");
    }

    [Fact]
    public async Task A_death_before_birth_is_409_death_beforeBirth()
    {
        var person = await Man("1400/01/01");

        await Refused("/api/deaths", Death(person, "1399/01/01"), HttpStatusCode.Conflict, "death.beforeBirth");
    }

    [Fact]
    public async Task A_cause_of_death_must_be_an_ICD10_code()
    {
        var person = await Man();

        await Invalid("/api/deaths", With(Death(person), ("causeIcd10", "XYZ")), "causeIcd10", "icd10.invalid");

        await Accepted("/api/deaths", With(Death(person), ("causeIcd10", "I21.9")), HttpStatusCode.Created);
        (await registry.EventsOf(person)).Last().Should().BeOfType<DeathRegistered>().Which.CausesIcd10.Should().Equal("I21.9");
    }

    [Theory]
    [InlineData(-365, true)]
    [InlineData(-3, false)]
    public async Task A_death_registered_after_10_days_is_late(int days, bool late)
    {
        var person = await Man();

        await Accepted("/api/deaths", Death(person, Iso(DateTime.UtcNow.Date.AddDays(days))), HttpStatusCode.Created);

        (await _registrar.Person(person))["deathRegisteredLate"]!.GetValue<bool>().Should().Be(late);
    }

    // Foetal deaths

    private static object FoetalDeath(string mother, int gestationWeeks) => new
    {
        motherNationalCode = mother, date = "1404/02/01", gestationWeeks, sex = "female", place = Place, causeIcd10 = "P95",
        certifier = "Dr. Ahmadi", fatherNationalCode = (string?)null, officeCode = "001",
    };

    [Theory]
    [InlineData("20 weeks", HttpStatusCode.BadRequest, "foetalDeath.tooEarly")]
    [InlineData("a man", HttpStatusCode.Conflict, "parent.sexMismatch")]
    [InlineData("an unregistered mother", HttpStatusCode.NotFound, "person.notFound")]
    public async Task A_foetal_death_the_rules_refuse(string situation, HttpStatusCode status, string code)
    {
        var body = situation switch
        {
            "20 weeks" => FoetalDeath(await Woman(), 20),
            "a man" => FoetalDeath(await Man(), 30),
            "an unregistered mother" => FoetalDeath(Unregistered, 30),
            _ => throw new ArgumentOutOfRangeException(nameof(situation), situation, null),
        };

        await Refused("/api/foetal-deaths", body, status, code);
    }

    [Fact]
    public async Task A_foetal_death_at_30_weeks_is_201_on_the_mothers_record()
    {
        var mother = await Woman();

        await Accepted("/api/foetal-deaths", FoetalDeath(mother, 30), HttpStatusCode.Created);

        var entry = (await _registrar.Person(mother))["foetalDeaths"]!.AsArray().Should().ContainSingle().Subject!;
        entry["gestationWeeks"]!.GetValue<int>().Should().Be(30);
        entry.Str("date").Should().Be("2025-04-21");
    }

    // Guardianship

    private static object Guardian(string guardian, string authority = "court") => new
    {
        guardianNationalCode = guardian, date = Days(-1), authority, decisionReference = "COURT-1404-0007", officeCode = "001",
    };

    [Theory]
    [InlineData("guardianship.parentLiving")]
    [InlineData("guardianship.notAMinor")]
    [InlineData("guardianship.guardianNotOfAge")]
    public async Task A_guardianship_the_rules_refuse_is_409(string code)
    {
        var (child, guardian) = code switch
        {
            "guardianship.parentLiving" => (await Man("1400/01/01", "علی", mother: await Woman("1372/01/01", "زهرا")), await Man("1360/01/01", "رضا")),
            "guardianship.notAMinor" => (await Man("1370/01/01", "علی"), await Man("1360/01/01", "رضا")),
            "guardianship.guardianNotOfAge" => (await Man("1400/01/01", "علی"), await Man("1395/01/01", "رضا")),
            _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
        };

        await Refused($"/api/persons/{child}/guardian", Guardian(guardian), HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task A_guardian_for_a_child_without_registered_parents_is_201_on_the_childs_record()
    {
        var child = await Man("1400/01/01", "علی");
        var guardian = await Man("1360/01/01", "رضا");

        await Accepted($"/api/persons/{child}/guardian", Guardian(guardian), HttpStatusCode.Created);

        (await _registrar.Person(child))["guardian"]!.Str("nationalCode").Should().Be(guardian);
    }

    [Fact]
    public async Task A_guardian_is_appointed_only_by_a_court()
    {
        var child = await Man("1400/01/01", "علی");
        var guardian = await Man("1360/01/01", "رضا");

        await Invalid($"/api/persons/{child}/guardian", Guardian(guardian, "board"), "authority", "field.notAllowed");
    }

    // Corrections

    [Theory]
    [InlineData("sex", "male", "nocr", HttpStatusCode.BadRequest, "correction.authorityNotAllowed")]
    [InlineData("birthDate", "1374/01/01", "court", HttpStatusCode.BadRequest, "correction.commissionRequired")]
    [InlineData("birthDate", "1378/01/01", "commission", HttpStatusCode.BadRequest, "correction.courtRequired")]
    [InlineData("givenName", "فاطمه", "board", HttpStatusCode.Conflict, "correction.noChange")]
    public async Task A_correction_the_rules_refuse(string field, string newValue, string authority, HttpStatusCode status, string code)
    {
        var person = await Woman("1380/01/01");

        await Refused($"/api/persons/{person}/corrections", Correction(field, newValue, authority), status, code);
    }

    [Fact]
    public async Task A_second_correction_of_a_field_while_one_is_pending_is_409()
    {
        var person = await Woman("1380/01/01");
        await _registrar.PostOk($"/api/persons/{person}/corrections", Correction("givenName", "فاطیما"));

        await Refused($"/api/persons/{person}/corrections", Correction("givenName", "زهرا"), HttpStatusCode.Conflict, "correction.alreadyPending");
    }

    [Fact]
    public async Task The_commission_changes_an_age_once_in_a_lifetime()
    {
        var person = await Woman("1380/01/01");
        var requester = registry.As("supervisor", user: "sup-a");
        var first = (await requester.PostOk($"/api/persons/{person}/corrections", Correction("birthDate", "1374/01/01", "commission"))).Str("correctionId");
        await registry.As("supervisor", user: "sup-b").PostOk($"/api/corrections/{first}/approve", new { });
        (await _registrar.Person(person)).Str("birthDateSolarHijri").Should().Be("1374/01/01");

        await Refused($"/api/persons/{person}/corrections", Correction("birthDate", "1367/01/01", "commission"),
            HttpStatusCode.Conflict, "correction.ageChangeAlreadyUsed", requester);
    }

    // Jurisdiction

    [Theory]
    [InlineData("marriages")]
    [InlineData("deaths")]
    public async Task A_registrar_recording_for_another_office_is_403(string endpoint)
    {
        var (husband, wife) = await Couple();
        var body = endpoint == "marriages" ? Marriage(husband, wife, office: "136") : Death(husband, office: "136");

        await Refused($"/api/{endpoint}", body, HttpStatusCode.Forbidden, "office.outsideJurisdiction");
    }
}
