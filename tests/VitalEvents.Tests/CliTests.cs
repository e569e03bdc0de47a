using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>The `vitalevents` command line, run as a real process against the same database schema as the web host.</summary>
public sealed class CliTests(RegistryFactory registry) : IClassFixture<RegistryFactory>
{
    private Task<(int Exit, string Out, string Err)> Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    private async Task<(int Exit, string Out, string Err)> Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = CliProcess.Start(args);
        start.Environment["VITALEVENTS_DATA"] = Path.GetDirectoryName(registry.KeyPath);
        start.Environment["VitalEvents__Schema"] = registry.Schema;
        start.Environment["VITALEVENTS_DB"] = RegistryFactory.ConnectionString;
        start.Environment["VitalEvents__Auth__DevelopmentKeyPath"] = registry.KeyPath;
        start.Environment["VitalEvents__Integrity__KeyPath"] = registry.IntegrityKeyPath;
        start.Environment["VitalEvents__Documents__KeyDirectory"] = registry.DocumentKeyDirectory;
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return await CliProcess.RunAsync(start);
    }

    [Fact]
    public async Task Token_prints_the_token_alone_and_the_api_accepts_it()
    {
        var (exit, output, error) = await Run("token", "--role", "registrar", "--office", "001", "--user", "cli-user");
        exit.Should().Be(0, error);
        var token = output.Trim();
        token.Split('.').Should().HaveCount(3, "a signed JWT has three parts and nothing else is printed");

        var client = registry.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync("/api/persons/0012345679");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound, "the token is accepted; the person simply does not exist");

        (await Run("token", "--role", "janitor", "--user", "x")).Exit.Should().NotBe(0);
    }

    [Fact]
    public async Task A_shenasnameh_is_verified_offline_from_its_QR_text_or_its_PDF_with_a_copy_of_the_key_list_a_correction_supersedes_it_and_keys_rotate()
    {
        await registry.ResetAsync();
        var registrar = registry.As("registrar", "001", "reg-a");
        var code = await registrar.Born(Birth("کاوه", "محمدی‌نیا", "male", "1360/01/01"));
        var shenasnameh = await registrar.PostOk($"/api/persons/{code}/documents", new { kind = "shenasnameh", language = "both" });
        var pdf = await registrar.GetByteArrayAsync($"/api/documents/{shenasnameh.Str("documentId")}/pdf");

        // The verifier is someone else: a copy of the public key list and the document, and no access to the registry's keys.
        var elsewhere = Directory.CreateTempSubdirectory("vitalevents-verifier-");
        var keysFile = Path.Combine(elsewhere.FullName, "document-keys.json");
        await File.WriteAllTextAsync(keysFile, await registry.CreateClient().GetStringAsync("/.well-known/document-keys"));
        var pdfFile = Path.Combine(elsewhere.FullName, "shenasnameh.pdf");
        await File.WriteAllBytesAsync(pdfFile, pdf);
        var offline = new Dictionary<string, string> { ["VitalEvents__Documents__KeyDirectory"] = Path.Combine(elsewhere.FullName, "none") };

        var fromText = await Run(offline, "verify-document", shenasnameh.Str("qr"), "--keys", keysFile);
        fromText.Exit.Should().Be(0, fromText.Err);
        fromText.Out.Should().StartWith("VALID: shenasnameh").And.Contain("کاوه").And.Contain(code);
        var fromPdf = await Run(offline, "verify-document", pdfFile, "--keys", keysFile, "--json");
        fromPdf.Exit.Should().Be(0, fromPdf.Err);
        JsonNode.Parse(fromPdf.Out)!["claims"]!["documentId"]!.GetValue<string>().Should().Be(shenasnameh.Str("documentId"));

        // A correction of a field it prints supersedes it: the signature still holds offline, the status online says superseded.
        var correction = await registrar.PostOk($"/api/persons/{code}/corrections", Correction("givenName", "کامران"));
        await registry.As("supervisor", "001", "sup-a").PostOk($"/api/corrections/{correction.Str("correctionId")}/approve", new { });
        var status = JsonNode.Parse(await registry.CreateClient().GetStringAsync($"/api/documents/{shenasnameh.Str("documentId")}/status"))!;
        (status.Str("status"), status.Str("supersededFor")).Should().Be(("superseded", "correction"));
        (await Run(offline, "verify-document", pdfFile, "--keys", keysFile)).Exit.Should().Be(0, "what it printed was signed; whether it stands is online");

        var changed = shenasnameh.Str("qr").Replace(shenasnameh.Str("qr")[30], shenasnameh.Str("qr")[30] == 'Z' ? 'Y' : 'Z');
        var refused = await Run(offline, "verify-document", changed, "--keys", keysFile);
        refused.Exit.Should().Be(1);
        refused.Out.Should().StartWith("NOT VALID");
        (await Run(offline, "verify-document", shenasnameh.Str("qr"))).Exit.Should().Be(1, "without the key list, no key is trusted");

        var rotated = await Run("keys", "rotate");
        rotated.Exit.Should().Be(0, rotated.Err);
        var list = await Run("keys", "list");
        var keys = JsonNode.Parse(list.Out)!["keys"]!.AsArray();
        keys.Should().HaveCount(2);
        var fresh = keys[0]!["kid"]!.GetValue<string>();
        fresh.Should().NotBe(shenasnameh.Str("keyId"));
        var next = await registrar.PostOk($"/api/persons/{code}/documents", new { kind = "birthCertificate" });
        next.Str("keyId").Should().Be(fresh, "the running service signs with the key the command line made");
        (await Run("verify-document", shenasnameh.Str("qr"))).Exit.Should().Be(0, "the retired key still verifies what it signed");
        elsewhere.Delete(recursive: true);
    }

    [Fact]
    public async Task Person_history_and_rebuild_work_against_the_database()
    {
        await registry.ResetAsync();
        var registrar = registry.As("registrar");
        var code = await registrar.Born(Birth("پرویز", "نیک‌نام", "male", "1350/01/01"));

        var person = await Run("person", code, "--purpose", "court request 1404-88");
        person.Exit.Should().Be(0, person.Err);
        JsonNode.Parse(person.Out)!["givenName"]!.GetValue<string>().Should().Be("پرویز");

        var history = await Run("history", code, "--json");
        history.Exit.Should().Be(0, history.Err);
        JsonNode.Parse(history.Out)!["entries"]!.AsArray().Should().ContainSingle();

        var log = await (await registry.As("auditor", null).GetAsync($"/api/access-log?nationalCode={code}")).Json();
        var reads = log["entries"]!.AsArray();
        reads.Select(e => e!.Str("resource")).Should().Equal("history", "snapshot");
        reads.Should().OnlyContain(e => e!.Str("userId") == $"cli:{Environment.UserName}", "the CLI reads through the same query, and its log");
        reads[1]!.Str("purpose").Should().Be("court request 1404-88");

        var rebuild = await Run("rebuild");
        rebuild.Exit.Should().Be(0, rebuild.Err);
        (await registrar.Person(code)).Str("familyName").Should().Be("نیک‌نام");

        (await Run("person", "0012345678")).Exit.Should().Be(1, "an invalid national code is refused");
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_a_check_exports_its_run_and_duration()
    {
        await registry.ResetAsync();
        await registry.As("registrar").Born(Birth("بهرام", "نیکو", "male", "1350/01/01"));
        await using var collector = await Listener.StartAsync(_ => 200);

        var check = await Run(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf", ["OTEL_SERVICE_NAME"] = "cli-check",
        }, "check");

        check.Exit.Should().Be(0, check.Err);
        var json = await Run("check", "--json");
        json.Exit.Should().Be(0, json.Err);
        JsonNode.Parse(json.Out)!.AsArray().Should().BeEmpty("with --json the output is the JSON alone: no mismatch");
        var metrics = string.Join("\n", collector.Requests.Where(r => r.Path == "/v1/metrics").Select(r => System.Text.Encoding.UTF8.GetString(r.Body)));
        metrics.Should().Contain("cli-check").And.Contain("vitalevents.projections.runs").And.Contain("vitalevents.projection.duration");
    }
}
