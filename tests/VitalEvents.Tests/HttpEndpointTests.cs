using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>Every endpoint through HTTP: its success status, 401 and 403 for the wrong caller, 400 for bad fields, and rule refusals.</summary>
public sealed class HttpEndpointTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar");
    private readonly HttpClient _supervisor = registry.As("supervisor");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A write ready to send: where, what, the status it succeeds with, who may send it and a role that may not.</summary>
    private sealed record Write(string Url, object? Body, HttpStatusCode Success, string Role, string WrongRole, string ResultProperty);

    private async Task<(string Husband, string Wife)> Couple()
    {
        var husband = await _registrar.Born(Birth("حسین", "رضایی", "male", "1370/01/01"));
        var wife = await _registrar.Born(Birth("فاطمه", "محمدی", "female", "1372/01/01"));
        return (husband, wife);
    }

    private async Task<string> PendingCorrection()
    {
        var person = await _registrar.Born(Birth("یاسمین", "احمدی", "female", "1380/03/09"));
        return (await _registrar.PostOk($"/api/persons/{person}/corrections", Correction("givenName", "یاسمن"))).Str("correctionId");
    }

    private async Task<Write> Arrange(string endpoint)
    {
        switch (endpoint)
        {
            case "births":
                return new("/api/births", Birth(), HttpStatusCode.Created, "registrar", "auditor", "nationalCode");
            case "marriages":
            {
                var (husband, wife) = await Couple();
                return new("/api/marriages", Marriage(husband, wife), HttpStatusCode.Created, "registrar", "auditor", "marriageId");
            }
            case "divorces":
            {
                var (husband, wife) = await Couple();
                var marriageId = (await _registrar.PostOk("/api/marriages", Marriage(husband, wife, "1400/01/01"))).Str("marriageId");
                return new("/api/divorces", new { marriageId, date = "1403/01/01", kind = "irrevocable", officeCode = "001" },
                    HttpStatusCode.Created, "registrar", "auditor", "marriageId");
            }
            case "deaths":
                return new("/api/deaths", Death(await _registrar.Born()), HttpStatusCode.Created, "registrar", "auditor", "nationalCode");
            case "corrections":
                return new($"/api/persons/{await _registrar.Born()}/corrections", Correction("givenName", "حسن"),
                    HttpStatusCode.Accepted, "registrar", "auditor", "correctionId");
            case "approve":
                return new($"/api/corrections/{await PendingCorrection()}/approve", null, HttpStatusCode.OK, "supervisor", "registrar", "status");
            case "reject":
                return new($"/api/corrections/{await PendingCorrection()}/reject", new { reason = "No court order." },
                    HttpStatusCode.OK, "supervisor", "registrar", "status");
            default:
                throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, null);
        }
    }

    public static TheoryData<string> Writes => ["births", "marriages", "divorces", "deaths", "corrections", "approve", "reject"];

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_write_succeeds_for_its_role_and_appends(string endpoint)
    {
        var write = await Arrange(endpoint);
        var before = await registry.EventCount();

        var response = await registry.As(write.Role).Send(write.Url, write.Body);

        await response.ShouldHaveStatus(write.Success);
        (await response.Json())[write.ResultProperty]!.GetValue<string>().Should().NotBeNullOrEmpty();
        (await registry.EventCount()).Should().BeGreaterThan(before);
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_write_without_a_token_is_401_and_appends_nothing(string endpoint)
    {
        var write = await Arrange(endpoint);

        var response = await registry.AppendsNothing(() => registry.CreateClient().Send(write.Url, write.Body));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_write_by_a_role_without_the_right_is_403_and_appends_nothing(string endpoint)
    {
        var write = await Arrange(endpoint);

        var response = await registry.AppendsNothing(() => registry.As(write.WrongRole).Send(write.Url, write.Body));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private async Task<(HttpClient Client, string Url, object Body)> ArrangeInvalid(string endpoint) => endpoint switch
    {
        "births" => (_registrar, "/api/births", new
        {
            givenName = "", familyName = "رضایی", sex = "unknown", birthDate = "1404/12/30",
            birthPlace = new { province = "تهران", county = "تهران", city = "تهران" },
            motherNationalCode = "0012345678", officeCode = "001", evidence = new { kind = "medicalCertificate", reference = "MC-1" },
        }),
        "marriages" => (_registrar, "/api/marriages",
            new { husbandNationalCode = "0012345678", wifeNationalCode = await _registrar.Born(), date = "1403/13/01", kind = "forever", officeCode = "001" }),
        "divorces" => (_registrar, "/api/divorces", new { marriageId = "not-an-id", date = "1403/01/01", kind = "someday", officeCode = "999" }),
        "deaths" => (_registrar, "/api/deaths", new { nationalCode = "123", date = "", place = new { province = "تهران", county = "تهران" }, officeCode = "001" }),
        "corrections" => (_registrar, $"/api/persons/{await _registrar.Born()}/corrections",
            new { field = "eyeColour", newValue = "قهوه‌ای", authority = "mayor", decisionReference = "HE-1", reason = "" }),
        "reject" => (_supervisor, $"/api/corrections/{await PendingCorrection()}/reject", new { reason = "  " }),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, null),
    };

    [Theory]
    [InlineData("births", "givenName field.required", "sex field.notAllowed", "birthDate date.invalid", "motherNationalCode nationalCode.invalidChecksum")]
    [InlineData("marriages", "husbandNationalCode nationalCode.invalidChecksum", "date date.invalid", "kind field.notAllowed")]
    [InlineData("divorces", "marriageId field.invalidId", "kind field.notAllowed", "officeCode office.unknown")]
    [InlineData("deaths", "nationalCode nationalCode.invalidFormat", "date date.invalid", "place.city field.required")]
    [InlineData("corrections", "field field.notAllowed", "authority field.notAllowed", "reason field.required")]
    [InlineData("reject", "reason field.required")]
    public async Task A_write_with_bad_fields_is_400_naming_each_field_and_appends_nothing(string endpoint, params string[] expected)
    {
        var (client, url, body) = await ArrangeInvalid(endpoint);

        var response = await registry.AppendsNothing(() => client.PostAsJsonAsync(url, body));

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, "validation.failed");
        var errors = problem["errors"]!.AsArray();
        errors.Select(e => $"{e!.Str("field")} {e!.Str("code")}").Should().BeEquivalentTo(expected);
        errors.Should().OnlyContain(e => !string.IsNullOrWhiteSpace(e!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Approving_an_unknown_correction_is_404_and_appends_nothing()
    {
        await PendingCorrection();

        var response = await registry.AppendsNothing(() => _supervisor.PostAsync($"/api/corrections/{Guid.NewGuid()}/approve", null));

        await response.ShouldBeProblem(HttpStatusCode.NotFound, "correction.notFound");
    }

    private async Task<(string Url, string Expected)> ArrangeRead(string endpoint)
    {
        if (endpoint == "corrections") return ("/api/corrections", await PendingCorrection());
        var person = await _registrar.Born();
        return (endpoint == "person" ? $"/api/persons/{person}" : $"/api/persons/{person}/history", person);
    }

    [Theory]
    [InlineData("person", "registrar")]
    [InlineData("person", "auditor")]
    [InlineData("history", "supervisor")]
    [InlineData("history", "auditor")]
    [InlineData("corrections", "supervisor")]
    [InlineData("corrections", "auditor")]
    public async Task A_read_is_200_for_a_reading_role(string endpoint, string role)
    {
        var (url, expected) = await ArrangeRead(endpoint);

        var response = await registry.As(role).GetAsync(url);

        await response.ShouldHaveStatus(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain(expected);
    }

    [Theory]
    [InlineData("person")]
    [InlineData("history")]
    [InlineData("corrections")]
    public async Task A_read_without_a_token_is_401(string endpoint)
    {
        var (url, _) = await ArrangeRead(endpoint);

        (await registry.CreateClient().GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("person")]
    [InlineData("history")]
    [InlineData("corrections")]
    public async Task A_read_by_a_role_without_the_right_is_403(string endpoint)
    {
        var (url, _) = await ArrangeRead(endpoint);

        (await registry.As("citizen").GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("/api/persons/123")]
    [InlineData("/api/persons/123/history")]
    public async Task A_read_of_a_malformed_national_code_is_400(string url) =>
        await (await _registrar.GetAsync(url)).ShouldBeProblem(HttpStatusCode.BadRequest, "nationalCode.invalidFormat");

    [Theory]
    [InlineData("")]
    [InlineData("/history")]
    public async Task A_read_of_an_unregistered_valid_code_is_404(string suffix) =>
        await (await _registrar.GetAsync($"/api/persons/{Unregistered}{suffix}")).ShouldBeProblem(HttpStatusCode.NotFound, "person.notFound");

    private static string Unregistered => NationalCode.Issue("274", 4242)!;

    [Fact]
    public async Task A_birth_to_an_unknown_mother_is_404_parent_not_found()
    {
        var response = await registry.AppendsNothing(() => _registrar.PostAsJsonAsync("/api/births", Birth(mother: Unregistered)));

        await response.ShouldBeProblem(HttpStatusCode.NotFound, "parent.notFound");
    }

    [Fact]
    public async Task A_birth_in_the_future_is_400_date_in_future()
    {
        var nextYear = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var response = await registry.AppendsNothing(() => _registrar.PostAsJsonAsync("/api/births", Birth(birthDate: nextYear)));

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "date.inFuture");
    }

    [Fact]
    public async Task A_marriage_to_a_dead_person_is_409_person_deceased()
    {
        var (husband, wife) = await Couple();
        await _registrar.PostOk("/api/deaths", Death(husband));

        var response = await registry.AppendsNothing(() => _registrar.PostAsJsonAsync("/api/marriages", Marriage(husband, wife, "1404/03/01")));

        await response.ShouldBeProblem(HttpStatusCode.Conflict, "person.deceased");
    }

    [Fact]
    public async Task A_second_permanent_marriage_needs_a_court_authorisation()
    {
        var (husband, first) = await Couple();
        var second = await _registrar.Born(Birth("زهرا", "کریمی", "female", "1375/01/01"));
        await _registrar.PostOk("/api/marriages", Marriage(husband, first, "1400/01/01"));

        var refused = await registry.AppendsNothing(() => _registrar.PostAsJsonAsync("/api/marriages", Marriage(husband, second)));
        await refused.ShouldBeProblem(HttpStatusCode.Conflict, "marriage.courtAuthorisationRequired");

        var authorised = await _registrar.PostAsJsonAsync("/api/marriages", Marriage(husband, second, court: "COURT-1403-0042"));
        await authorised.ShouldHaveStatus(HttpStatusCode.Created);
        (await registry.EventsOf(second)).Last().Should().BeOfType<MarriageRegistered>()
            .Which.CourtAuthorisationReference.Should().Be("COURT-1403-0042");
    }

    [Fact]
    public async Task A_divorce_of_an_unknown_marriage_is_404_marriage_not_found()
    {
        await Couple();

        var response = await registry.AppendsNothing(() => _registrar.PostAsJsonAsync("/api/divorces",
            new { marriageId = Guid.NewGuid(), date = "1403/01/01", kind = "irrevocable", officeCode = "001" }));

        await response.ShouldBeProblem(HttpStatusCode.NotFound, "marriage.notFound");
    }

    [Fact]
    public async Task A_death_before_birth_is_409_death_before_birth()
    {
        var person = await _registrar.Born(Birth(birthDate: "1404/01/01"));

        var response = await registry.AppendsNothing(() => _registrar.PostAsJsonAsync("/api/deaths", Death(person, "1403/12/01")));

        await response.ShouldBeProblem(HttpStatusCode.Conflict, "death.beforeBirth");
    }

    [Fact]
    public async Task A_registrar_recording_for_another_office_is_403_outside_jurisdiction()
    {
        var response = await registry.AppendsNothing(() => _registrar.PostAsJsonAsync("/api/births", Birth(office: "136")));

        await response.ShouldBeProblem(HttpStatusCode.Forbidden, "office.outsideJurisdiction");
    }
}

/// <summary>Assertions the HTTP tests share.</summary>
internal static class HttpChecks
{
    public static Task<HttpResponseMessage> Send(this HttpClient client, string url, object? body) =>
        body is null ? client.PostAsync(url, null) : client.PostAsJsonAsync(url, body);

    /// <summary>Sends a request and checks that the event log did not grow.</summary>
    public static async Task<HttpResponseMessage> AppendsNothing(this RegistryFactory registry, Func<Task<HttpResponseMessage>> send)
    {
        var before = await registry.EventCount();
        var response = await send();
        (await registry.EventCount()).Should().Be(before, "a refused request appends nothing");
        return response;
    }

    public static async Task ShouldHaveStatus(this HttpResponseMessage response, HttpStatusCode status) =>
        response.StatusCode.Should().Be(status, "the response was {0}", await response.Content.ReadAsStringAsync());

    /// <summary>The code of a problem: of its only field error when it is a validation failure.</summary>
    public static string FieldCode(JsonNode problem) =>
        problem.Str("code") == "validation.failed" ? problem["errors"]!.AsArray().Single()!.Str("code") : problem.Str("code");

    /// <summary>Checks an RFC 9457 problem with the registry's stable code, and returns it.</summary>
    public static async Task<JsonNode> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        await response.ShouldHaveStatus(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var problem = await response.Json();
        problem.Str("code").Should().Be(code);
        problem["status"]!.GetValue<int>().Should().Be((int)status);
        problem.Str("detail").Should().NotBeNullOrWhiteSpace();
        return problem;
    }
}
