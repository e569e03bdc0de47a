using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VitalEvents.Api;

namespace VitalEvents.Tests;

/// <summary>
/// The OpenAPI document as a client's author meets it: Redocly's linter reads it with its recommended rules, openapi-typescript
/// turns it into types, and tests/openapi-client/walkthrough.ts, written against those types with openapi-fetch, must compile
/// under <c>tsc --strict</c> and then send the README's walk-through to the registry on real Kestrel and read every answer.
/// The npm packages come from scripts/setup.sh (npm ci).
/// </summary>
public sealed class OpenApiClientTests(RegistryOnKestrel registry) : IClassFixture<RegistryOnKestrel>
{
    [Fact]
    public async Task Redocly_finds_no_problem_in_the_document()
    {
        var lint = await registry.Client.RunAsync("redocly", ["lint", RegistryOnKestrel.DocumentFile, "--format=json"]);

        var start = lint.Stdout.IndexOf('{');
        start.Should().BeGreaterThanOrEqualTo(0, $"Redocly prints its report as JSON\n{lint}");
        var report = JsonNode.Parse(lint.Stdout[start..])!;
        var problems = report["problems"]!.AsArray().Select(p =>
            $"{p!["severity"]} {p["ruleId"]} at {p["location"]?[0]?["pointer"]}: {p["message"]}").ToList();
        problems.Should().BeEmpty($"Redocly's recommended rules (tests/openapi-client/redocly.yaml) hold for the document\n{lint}");
        lint.ExitCode.Should().Be(0, lint.ToString());
    }

    [Fact]
    public async Task A_client_generated_from_the_document_compiles_and_walks_through_the_README()
    {
        var client = registry.Client;
        (await client.RunAsync("openapi-typescript", [RegistryOnKestrel.DocumentFile, "--output", "schema.d.ts"])).ShouldSucceed("openapi-typescript");
        // tsconfig.json: strict, and nothing is emitted unless the walk-through and the generated types check.
        (await client.RunAsync("tsc", ["--project", "tsconfig.json"])).ShouldSucceed("tsc --strict");
        var walk = await client.RunAsync("node", ["dist/walkthrough.js"], new Dictionary<string, string>
        {
            ["VITALEVENTS_API"] = registry.Address.ToString().TrimEnd('/'),
            ["REGISTRAR_TOKEN"] = registry.Token("reg-tehran-1", "registrar", "001"),
            ["SUPERVISOR_TOKEN"] = registry.Token("sup-tehran-1", "supervisor", "001"),
            ["AUDITOR_TOKEN"] = registry.Token("auditor-1", "auditor", null),
            ["SUBSCRIBER_TOKEN"] = registry.Token("subscriber-1", "subscriber", null, scope: "full"),
        });

        walk.ShouldSucceed("the walk-through");
        walk.Stdout.Should().Contain("walk-through passed");
    }

    [Fact]
    public void Every_operation_but_the_public_keys_the_documents_checks_the_published_statistics_and_the_development_issuer_asks_for_a_bearer_token()
    {
        var operations = registry.Document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Name: $"{operation.Key.ToUpperInvariant()} {path.Key}", Operation: operation.Value!)))
            .ToList();
        var anonymous = operations.Where(o => o.Operation["security"]!.AsArray().Count == 0).Select(o => o.Name);
        var bearer = operations.Where(o => o.Operation["security"]!.AsArray().Any(r => r!["bearer"] is not null)).Select(o => o.Name);

        anonymous.Should().BeEquivalentTo(
            "GET /api/integrity/public-key", "HEAD /api/integrity/public-key", "GET /.well-known/openid-configuration", "GET /.well-known/jwks.json",
            "GET /.well-known/document-keys", "GET /api/documents/{id}/status", "HEAD /api/documents/{id}/status", "POST /api/documents/verify",
            "GET /api/statistics/measures", "HEAD /api/statistics/measures", "GET /api/statistics/public/tables/{measure}",
            "HEAD /api/statistics/public/tables/{measure}", "GET /api/statistics/public/population", "HEAD /api/statistics/public/population",
            "GET /api/statistics/public/indicators", "HEAD /api/statistics/public/indicators");
        bearer.Should().BeEquivalentTo(operations.Select(o => o.Name).Except(anonymous));
    }
}

/// <summary>
/// The registry on real Kestrel at a free loopback port, in a schema of its own (as <see cref="RegistryFactory"/> sets it up),
/// with its OpenAPI document written to tests/openapi-client/openapi.json for the client's tools.
/// </summary>
public sealed class RegistryOnKestrel : IAsyncLifetime
{
    public const string DocumentFile = "openapi.json";
    private readonly string _schema = $"t_{Guid.NewGuid():N}"[..14];
    private readonly string _keyPath = Path.Combine(Path.GetTempPath(), $"vitalevents-test-{Guid.NewGuid():N}-jwt.pem");
    private readonly string _integrityKeyPath = Path.Combine(Path.GetTempPath(), $"vitalevents-test-{Guid.NewGuid():N}.pem");
    private WebApplication? _service;

    public Uri Address { get; private set; } = null!;
    public JsonNode Document { get; private set; } = null!;
    public NodeProject Client { get; } = new(Path.Combine(RepositoryRoot(), "tests", "openapi-client"));

    public async Task InitializeAsync()
    {
        Client.ShouldBeInstalled();
        _service = ApiHost.Build(["--environment", "Development"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["VitalEvents:Schema"] = _schema,
                ["VitalEvents:Database"] = RegistryFactory.ConnectionString,
                ["VitalEvents:OwnerDatabase"] = RegistryFactory.OwnerConnectionString,
                ["VitalEvents:Auth:DevelopmentKeyPath"] = _keyPath,
                ["VitalEvents:Integrity:KeyPath"] = _integrityKeyPath,
                ["VitalEvents:Integrity:CheckpointSeconds"] = "0",
                ["VitalEvents:Http:RateLimitBurst"] = "1000000",
                ["VitalEvents:Http:RateLimitPerSecond"] = "1000000",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        });
        await _service.StartAsync();
        Address = new Uri(_service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        using var http = new HttpClient { BaseAddress = Address };
        var document = await http.GetStringAsync("/openapi/v1.json");
        await File.WriteAllTextAsync(Path.Combine(Client.Directory, DocumentFile), document);
        Document = JsonNode.Parse(document)!;
    }

    public string Token(string user, string role, string? office, string? scope = null) =>
        DevelopmentTokens.Mint(DevelopmentTokens.Key(_keyPath), user, [role], office, TimeSpan.FromHours(1), DateTimeOffset.UtcNow, scope);

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.StopAsync();
            await _service.DisposeAsync();
        }
        await using var connection = new NpgsqlConnection(RegistryFactory.OwnerConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {_schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
        File.Delete(_keyPath);
        File.Delete(_integrityKeyPath);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "VitalEvents.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No VitalEvents.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>An npm project whose tools (node_modules/.bin) and programs run under node, each to its end.</summary>
public sealed class NodeProject(string directory)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    public string Directory { get; } = directory;

    public void ShouldBeInstalled() =>
        System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", ".bin")).Should()
            .BeTrue($"the npm packages of {Directory} are installed by ./scripts/setup.sh (npm ci)");

    /// <summary>Runs a tool of node_modules/.bin, or node itself, in the project's folder.</summary>
    public async Task<ProcessOutcome> RunAsync(string tool, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        if (tool != "node") start.ArgumentList.Add(Path.Combine("node_modules", ".bin", tool));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new ProcessOutcome(string.Join(' ', start.ArgumentList.Prepend("node")), -1, await stdout, $"{await stderr}\n(still running after {Patience}: ended)");
        }
        return new ProcessOutcome(string.Join(' ', start.ArgumentList.Prepend("node")), process.ExitCode, await stdout, await stderr);
    }
}

public sealed record ProcessOutcome(string Command, int ExitCode, string Stdout, string Stderr)
{
    public void ShouldSucceed(string what) => ExitCode.Should().Be(0, $"{what} succeeds\n{this}");

    public override string ToString() => new StringBuilder()
        .AppendLine($"$ {Command}  (exit {ExitCode})").AppendLine("--- stdout").AppendLine(Stdout).AppendLine("--- stderr").Append(Stderr).ToString();
}
