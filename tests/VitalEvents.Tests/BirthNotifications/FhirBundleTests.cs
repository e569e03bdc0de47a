using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.BirthNotifications;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;
using Task = System.Threading.Tasks.Task;

namespace VitalEvents.Tests.BirthNotifications;

/// <summary>
/// A facility notifies a live birth as an HL7 FHIR R4 Bundle at POST /fhir/Bundle: read with Firely's parser into the JSON
/// path's notification, the same rules, every answer an OperationOutcome naming the element at fault.
/// </summary>
public sealed class FhirBundleTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private const string Facility = "imam-khomeini";
    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);
    private static readonly FhirJsonDeserializer Strict = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    private readonly HttpClient _registrar = registry.As("registrar", "001", "reg-a");
    private readonly HttpClient _hospital = registry.AsHospital(Facility);

    public async Task InitializeAsync()
    {
        await registry.ResetAsync();
        await registry.As("admin", office: null, user: "admin-1").PostOk("/api/facilities",
            new { id = Facility, name = "بیمارستان امام خمینی", nameEnglish = "Imam Khomeini Hospital", officeCode = "001", city = "تهران" });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<string> MotherAsync() => _registrar.Born(Birth("مریم", "احمدی", "female", "1370/01/01"));

    private Task<string> FatherAsync() => _registrar.Born(Birth("رضا", "کریمی", "male", "1368/01/01"));

    [Fact]
    public async Task A_document_bundle_is_recorded_on_the_mothers_stream_with_every_particular()
    {
        var (mother, father) = (await MotherAsync(), await FatherAsync());

        var (response, outcome) = await PostAsync(BirthBundles.Document(mother, father));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var notified = (await registry.EventsOf(mother)).OfType<BirthNotified>().Should().ContainSingle().Subject;
        response.Headers.Location!.OriginalString.Should().Be($"/api/birth-notifications/{notified.NotificationId}");
        var issue = outcome.Issue.Should().ContainSingle().Subject;
        (issue.Severity, issue.Code).Should().Be((OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational));
        issue.Diagnostics.Should().Contain(notified.NotificationId.ToString());
        notified.Should().BeEquivalentTo(new
        {
            FacilityId = Facility, OfficeCode = "001", CertificateNumber = "BC-1404-0001",
            Certifier = new CertifierRecord("سارا نیکو", FhirSystems.MedicalCouncil, "M-12345"),
            Sex = "female", BirthDate = new DateOnly(2025, 3, 21), BirthTime = "14:05", Plurality = 1, MultipleBirthOrder = (int?)null,
            BirthWeightGrams = 3250, GestationWeeks = 39, MotherNationalCode = mother, FatherNationalCode = father, Format = "fhir",
            NotifiedBy = $"his-{Facility}",
        });
    }

    [Fact]
    public async Task A_message_bundle_is_recorded_too_its_units_converted()
    {
        var mother = await MotherAsync();

        var (response, outcome) = await PostAsync(BirthBundles.Message(mother, weight: (3.1m, "kg"), gestation: (38m, "wk")));

        response.StatusCode.Should().Be(HttpStatusCode.Created, string.Join(" | ", outcome.Issue.Select(i => i.Diagnostics)));
        var notified = (await registry.EventsOf(mother)).OfType<BirthNotified>().Should().ContainSingle().Subject;
        (notified.BirthWeightGrams, notified.GestationWeeks, notified.FatherNationalCode, notified.Format).Should().Be((3100, 38, null, "fhir"));
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/fhir+json");
    }

    [Fact]
    public async Task A_mother_without_her_national_code_is_refused_naming_the_identifier_and_nothing_is_stored()
    {
        var mother = await MotherAsync();
        var bundle = BirthBundles.Document(mother);
        BirthBundles.Mother(bundle).Identifier.Clear();
        var before = await registry.EventCount();

        var (response, outcome) = await PostAsync(bundle);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var issue = outcome.Issue.Should().ContainSingle().Subject;
        issue.Expression.Should().Equal($"Bundle.entry[2].resource.identifier.where(system='{FhirSystems.NationalCode}')");
        issue.Details!.Coding.Should().ContainSingle(c => c.System == NotifyBirthFhirEndpoint.RefusalSystem && c.Code!.StartsWith("nationalCode."));
        (await registry.EventCount()).Should().Be(before);
    }

    [Fact]
    public async Task Field_errors_of_the_shared_rules_name_their_FHIR_elements_one_issue_each()
    {
        var mother = await MotherAsync();
        var bundle = BirthBundles.Document(mother, weight: (90m, "kg"));
        BirthBundles.Child(bundle).Gender = AdministrativeGender.Other;

        var (response, outcome) = await PostAsync(bundle);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        outcome.Issue.Select(i => (i.Details!.Coding.Single().Code, i.Expression.Single())).Should().BeEquivalentTo([
            ("field.notAllowed", "Bundle.entry[1].resource.gender"),
            ("field.outOfRange", "Bundle.entry[6].resource.value"),
        ]);
        (await registry.EventsOf(mother)).OfType<BirthNotified>().Should().BeEmpty();
    }

    [Fact]
    public async Task Wrong_resource_types_and_bundle_types_are_refused()
    {
        var mother = await MotherAsync();
        var observationChild = BirthBundles.Document(mother);
        ((Composition)observationChild.Entry[0].Resource!).Subject = new ResourceReference(observationChild.Entry[6].FullUrl);
        var collection = BirthBundles.Document(mother);
        collection.Type = Bundle.BundleType.Collection;
        var patient = Serializer.SerializeToString(BirthBundles.Child(BirthBundles.Document(mother)));

        await ShouldBeRefused(await PostAsync(observationChild), HttpStatusCode.BadRequest, "fhir.childNotPatient", "Bundle.entry[0].resource.subject");
        await ShouldBeRefused(await PostAsync(collection), HttpStatusCode.BadRequest, "fhir.bundleType", "Bundle.type");
        await ShouldBeRefused(await PostAsync(patient), HttpStatusCode.BadRequest, "fhir.notBundle", null);
        (await registry.EventsOf(mother)).OfType<BirthNotified>().Should().BeEmpty();
    }

    [Fact]
    public async Task Malformed_json_unknown_elements_and_other_media_types_are_refused_as_OperationOutcomes()
    {
        var mother = await MotherAsync();
        var json = Serializer.SerializeToString(BirthBundles.Document(mother));
        var at = json.IndexOf("\"gender\":\"female\"", StringComparison.Ordinal);
        var unknown = json.Insert(at, "\"eyeColour\":\"brown\",");
        at.Should().BePositive();

        var (malformed, malformedOutcome) = await PostAsync(json[..^10]);
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        malformedOutcome.Issue.Should().NotBeEmpty().And.OnlyContain(i => i.Code == OperationOutcome.IssueType.Structure
            && i.Details!.Coding.Single().Code!.StartsWith("fhir."));
        var (unknownResponse, unknownOutcome) = await PostAsync(unknown);
        unknownResponse.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var unknownIssue = unknownOutcome.Issue.Should().ContainSingle().Subject;
        unknownIssue.Details!.Coding.Single().Code.Should().StartWith("fhir.parse.");
        unknownIssue.Expression.Should().Equal("Bundle.entry[1].resource.eyeColour");
        await ShouldBeRefused(await PostAsync(json, "text/plain"), HttpStatusCode.UnsupportedMediaType, "media.unsupported", null);
        (await registry.EventsOf(mother)).OfType<BirthNotified>().Should().BeEmpty();
    }

    [Fact]
    public async Task The_same_bundle_sent_twice_is_answered_as_the_first_time_and_recorded_once()
    {
        var mother = await MotherAsync();
        var json = Serializer.SerializeToString(BirthBundles.Document(mother));

        var (first, _) = await PostAsync(json);
        var (second, _) = await PostAsync(json);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        second.StatusCode.Should().Be(HttpStatusCode.Created);
        second.Headers.Location.Should().Be(first.Headers.Location);
        (await second.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        (await registry.EventsOf(mother)).OfType<BirthNotified>().Should().ContainSingle();
    }

    [Fact]
    public async Task The_same_certificate_with_other_particulars_is_a_conflict()
    {
        var mother = await MotherAsync();
        (await PostAsync(BirthBundles.Document(mother))).Response.StatusCode.Should().Be(HttpStatusCode.Created);

        await ShouldBeRefused(await PostAsync(BirthBundles.Document(mother, weight: (3.4m, "kg"))), HttpStatusCode.Conflict,
            "birthNotification.certificateReused", "Bundle.identifier.value");
        (await registry.EventsOf(mother)).OfType<BirthNotified>().Should().ContainSingle().Which.BirthWeightGrams.Should().Be(3250);
    }

    [Fact]
    public async Task A_mother_the_registry_does_not_know_is_not_found()
    {
        var unknown = "0012345679";
        NationalCode.Validate(unknown, out _).Should().BeNull("the code is valid, only not registered");
        var before = await registry.EventCount();

        await ShouldBeRefused(await PostAsync(BirthBundles.Document(unknown)), HttpStatusCode.NotFound, "parent.notFound",
            "Bundle.entry[2].resource.identifier[0].value");
        (await registry.EventCount()).Should().Be(before);
    }

    [Fact]
    public async Task A_Location_of_another_facility_is_forbidden()
    {
        var mother = await MotherAsync();

        await ShouldBeRefused(await PostAsync(BirthBundles.Document(mother, facility: "another-hospital")), HttpStatusCode.Forbidden,
            "birthNotification.otherFacility", "Bundle.entry[4].resource.identifier[0].value");
        (await registry.EventsOf(mother)).OfType<BirthNotified>().Should().BeEmpty();
    }

    [Fact]
    public async Task Twins_are_two_bundles_with_birth_orders_one_and_two()
    {
        var mother = await MotherAsync();

        foreach (var order in new[] { 1, 2 })
            (await PostAsync(BirthBundles.Document(mother, certificate: $"BC-1404-000{order}", order: order, plurality: 2)))
                .Response.StatusCode.Should().Be(HttpStatusCode.Created);

        (await registry.EventsOf(mother)).OfType<BirthNotified>().Select(n => (n.CertificateNumber, n.Plurality, n.MultipleBirthOrder))
            .Should().Equal(("BC-1404-0001", 2, 1), ("BC-1404-0002", 2, 2));
        await ShouldBeRefused(await PostAsync(BirthBundles.Document(mother, certificate: "BC-1404-0003", plurality: 2)), HttpStatusCode.BadRequest,
            "birthNotification.orderRequired", "Bundle.entry[1].resource.multipleBirth");
    }

    [Fact]
    public async Task Firelys_own_FhirClient_creates_the_bundle_and_reads_a_refusal()
    {
        var mother = await MotherAsync();
        using var client = new FhirClient(new Uri(_hospital.BaseAddress!, "/fhir/"), _hospital,
            new FhirClientSettings { PreferredFormat = ResourceFormat.Json, ReturnPreference = ReturnPreference.OperationOutcome });

        var created = await client.CreateAsync(BirthBundles.Document(mother));

        created.Should().BeNull("the registry answers with an OperationOutcome, not the Bundle");
        client.LastResult!.Status.Should().Be("201");
        var notified = (await registry.EventsOf(mother)).OfType<BirthNotified>().Should().ContainSingle().Subject;
        client.LastResult.Location.Should().EndWith($"/api/birth-notifications/{notified.NotificationId}");
        ((OperationOutcome)client.LastResult.Outcome!).Issue.Single().Diagnostics.Should().Contain(notified.NotificationId.ToString());

        var refused = await FluentActions.Awaiting(() => client.CreateAsync(BirthBundles.Document(mother, weight: (3.9m, "kg"))))
            .Should().ThrowAsync<FhirOperationException>();
        refused.Which.Status.Should().Be(HttpStatusCode.Conflict);
        refused.Which.Outcome!.Issue.Single().Details!.Coding.Single().Code.Should().Be("birthNotification.certificateReused");
    }

    [Fact]
    public async Task The_metadata_is_a_CapabilityStatement_that_creates_Bundles()
    {
        var response = await registry.CreateClient().GetAsync("/fhir/metadata");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var statement = Strict.Deserialize<CapabilityStatement>(await response.Content.ReadAsStringAsync());
        statement.FhirVersion.Should().Be(FHIRVersion.N4_0_1);
        statement.Rest.Single().Resource.Single().Should().Match<CapabilityStatement.ResourceComponent>(r =>
            r.Type == "Bundle" && r.Interaction.Single().Code == CapabilityStatement.TypeRestfulInteraction.Create);
    }

    [Fact]
    public async Task Authentication_and_authorization_refusals_on_fhir_are_OperationOutcomes()
    {
        var mother = await MotherAsync();
        var json = Serializer.SerializeToString(BirthBundles.Document(mother));
        var anonymous = registry.CreateClient();
        var registrar = registry.As("registrar");

        await ShouldBeRefused(await PostAsync(json, client: anonymous), HttpStatusCode.Unauthorized, "auth.unauthenticated", null);
        await ShouldBeRefused(await PostAsync(json, client: registrar), HttpStatusCode.Forbidden, "auth.forbidden", null);
        (await PostAsync(json, client: anonymous)).Outcome.Issue.Single().Code.Should().Be(OperationOutcome.IssueType.Login);
        var api = await anonymous.PostAsync("/api/birth-notifications", new StringContent("{}", Encoding.UTF8, "application/json"));
        (api.StatusCode, api.Content.Headers.ContentType!.MediaType).Should().Be((HttpStatusCode.Unauthorized, "application/problem+json"));
        (await registry.EventsOf(mother)).OfType<BirthNotified>().Should().BeEmpty();
    }

    private Task<(HttpResponseMessage Response, OperationOutcome Outcome)> PostAsync(Bundle bundle) => PostAsync(Serializer.SerializeToString(bundle));

    private async Task<(HttpResponseMessage Response, OperationOutcome Outcome)> PostAsync(string body, string contentType = "application/fhir+json",
        HttpClient? client = null)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await (client ?? _hospital).PostAsync("/fhir/Bundle", content);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/fhir+json");
        return (response, Strict.Deserialize<OperationOutcome>(await response.Content.ReadAsStringAsync()));
    }

    private static Task ShouldBeRefused((HttpResponseMessage Response, OperationOutcome Outcome) answer, HttpStatusCode status, string code, string? expression)
    {
        answer.Response.StatusCode.Should().Be(status, string.Join(" | ", answer.Outcome.Issue.Select(i => i.Diagnostics)));
        var issue = answer.Outcome.Issue.Should().ContainSingle().Subject;
        issue.Severity.Should().Be(OperationOutcome.IssueSeverity.Error);
        issue.Details!.Coding.Should().ContainSingle().Which.Should().Match<Coding>(c => c.System == NotifyBirthFhirEndpoint.RefusalSystem && c.Code == code);
        if (expression is null) issue.Expression.Should().BeEmpty();
        else issue.Expression.Should().Equal(expression);
        return Task.CompletedTask;
    }
}
