using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using VitalEvents.Api;
using Xunit.Abstractions;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>
/// The real service as an operating-system process, killed with SIGKILL in the middle of concurrent writes: no acknowledged
/// write is lost, none is applied twice, and a write whose answer was lost is recorded once when sent again with its key.
/// </summary>
public sealed class CrashTests(RegistryFactory registry, ITestOutputHelper output) : IClassFixture<RegistryFactory>, IDisposable
{
    private const int Kills = 3;
    private const int AcknowledgedPerRound = 200;
    private const int Writers = 6;

    private readonly string _data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vitalevents-crash-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    /// <summary>One birth as a writer sends it, under its own Idempotency-Key, with an evidence reference no other carries.</summary>
    private sealed record Write(int Number)
    {
        public string Key => $"crash-birth-{Number}";
        public string Reference => $"MC-CRASH-{Number}";

        public object Body => new
        {
            givenName = Numbered("کودک", Number), familyName = "پایدار", sex = Number % 2 == 0 ? "female" : "male", birthDate = "1404/01/01",
            birthPlace = new { province = "تهران", county = "تهران", city = "تهران" }, officeCode = "001",
            evidence = new { kind = "medicalCertificate", reference = Reference },
        };
    }

    [Fact]
    public async Task Killing_the_service_during_writes_loses_no_acknowledged_birth_and_records_none_twice()
    {
        await registry.ResetAsync();
        var clock = Stopwatch.StartNew();
        var key = DevelopmentTokens.Key(Path.Combine(_data, "jwt-signing-key.pem"));
        var registrar = DevelopmentTokens.Mint(key, "crash-registrar", ["registrar"], "001", TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        var auditor = DevelopmentTokens.Mint(key, "crash-auditor", ["auditor"], null, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

        var acknowledged = new ConcurrentDictionary<int, string>();
        var lost = new ConcurrentQueue<Write>();
        var refused = new ConcurrentQueue<string>();
        var next = 0;
        for (var round = 1; round <= Kills; round++)
        {
            using var service = await ServiceProcess.StartAsync(_data, registry.Schema);
            output.WriteLine($"round {round}: ready at {clock.Elapsed.TotalSeconds:F1} s");
            using var client = service.Client(registrar);
            await Retry(client, lost, acknowledged);

            var stop = false;
            async Task Writer()
            {
                while (!Volatile.Read(ref stop))
                {
                    var write = new Write(Interlocked.Increment(ref next));
                    try
                    {
                        var response = await Send(client, write);
                        if (response.StatusCode == HttpStatusCode.Created) acknowledged[write.Number] = (await response.Json()).Str("nationalCode");
                        else refused.Enqueue($"{write.Key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        lost.Enqueue(write);
                        return;
                    }
                }
            }
            var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(Writer)).ToList();
            var target = round * AcknowledgedPerRound;
            while (acknowledged.Count < target && writers.Any(w => !w.IsCompleted)) await Task.Delay(5);
            service.Kill();
            Volatile.Write(ref stop, true);
            await Task.WhenAll(writers);
            refused.Should().BeEmpty("every birth is valid; only the kill may interrupt one");
            output.WriteLine($"kill {round}: {acknowledged.Count} acknowledged, {lost.Count} answers lost, at {clock.Elapsed.TotalSeconds:F1} s");
        }

        using (var service = await ServiceProcess.StartAsync(_data, registry.Schema))
        {
            using var client = service.Client(registrar);
            await Retry(client, lost, acknowledged);
            using var audit = service.Client(auditor);
            var integrity = await audit.GetAsync("/api/integrity");
            await integrity.ShouldHaveStatus(HttpStatusCode.OK);
            (await integrity.Json())["ok"]!.GetValue<bool>().Should().BeTrue(await integrity.Content.ReadAsStringAsync());
        }

        acknowledged.Keys.Should().BeEquivalentTo(Enumerable.Range(1, next), "every write was acknowledged, at first or when sent again");
        acknowledged.Values.Should().OnlyHaveUniqueItems("no national code is issued twice");
        await ShouldBeRecordedOnceEach(acknowledged);

        var check = await Cli("check");
        check.Exit.Should().Be(0, check.Out + check.Err);
        check.Out.Should().Contain("No mismatches", "every projection matches its events");
        output.WriteLine($"{next} births, {Kills} kills ({_replayed} lost answers had committed and were replayed), checked in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, Write write)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/births") { Content = JsonContent.Create(write.Body) };
        request.Headers.Add("Idempotency-Key", write.Key);
        return await client.SendAsync(request);
    }

    /// <summary>
    /// Sends every write whose answer was lost again, with its own key: it is acknowledged now, replayed when it had committed
    /// before the kill (counted in <see cref="_replayed"/>) or recorded now when it had not.
    /// </summary>
    private async Task Retry(HttpClient client, ConcurrentQueue<Write> lost, ConcurrentDictionary<int, string> acknowledged)
    {
        while (lost.TryDequeue(out var write))
        {
            var response = await Send(client, write);
            await response.ShouldHaveStatus(HttpStatusCode.Created);
            if (response.Headers.Contains("Idempotent-Replayed")) _replayed++;
            acknowledged[write.Number] = (await response.Json()).Str("nationalCode");
        }
    }

    private int _replayed;

    /// <summary>Each acknowledged birth is its child's stream of one event, and no key or evidence reference is on two births.</summary>
    private async Task ShouldBeRecordedOnceEach(IReadOnlyDictionary<int, string> acknowledged)
    {
        await using var connection = new NpgsqlConnection(RegistryFactory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            select stream_id, count(*), min(type), min(headers ->> 'idempotencyKey'), min(data -> 'Evidence' ->> 'Reference')
            from {registry.Schema}.mt_events where stream_id <> 'mt_tombstone' group by stream_id
            """, connection);
        var streams = new Dictionary<string, (long Events, string Type, string? Key, string? Reference)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                streams[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4));

        streams.Keys.Should().BeEquivalentTo(acknowledged.Values, "every acknowledged birth is recorded, and nothing else");
        foreach (var (number, code) in acknowledged)
        {
            var write = new Write(number);
            streams[code].Should().Be((1L, "birth_registered.v1", write.Key, write.Reference), $"birth {number} is recorded once, as {code}");
        }
    }

    private async Task<(int Exit, string Out, string Err)> Cli(params string[] args)
    {
        var start = ServiceProcess.Dotnet(_data, registry.Schema);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>`vitalevents serve` on a free loopback port, on the test class's schema, with the development token key in the data directory.</summary>
    private sealed class ServiceProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();

        private ServiceProcess(Process process, Uri address)
        {
            (_process, Address) = (process, address);
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Uri Address { get; }

        private void Append(string? line)
        {
            lock (_log) _log.AppendLine(line);
        }

        public static ProcessStartInfo Dotnet(string data, string schema)
        {
            var start = CliProcess.Start();
            start.Environment["VITALEVENTS_DATA"] = data;
            start.Environment["VITALEVENTS_DB"] = RegistryFactory.ConnectionString;
            start.Environment["VITALEVENTS_OWNER_DB"] = RegistryFactory.OwnerConnectionString;
            start.Environment["VitalEvents__Schema"] = schema;
            return start;
        }

        public static async Task<ServiceProcess> StartAsync(string data, string schema)
        {
            var port = FreePort();
            var start = Dotnet(data, schema);
            foreach (var arg in new[] { "serve", "--urls", $"http://127.0.0.1:{port}" }) start.ArgumentList.Add(arg);
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["VitalEvents__ApplySchemaOnStart"] = "true";
            start.Environment["VitalEvents__Http__RateLimitBurst"] = "1000000";
            start.Environment["VitalEvents__Http__RateLimitPerSecond"] = "1000000";
            // Checkpoints are signed while births are written, so a kill can land in the middle of one too.
            start.Environment["VitalEvents__Integrity__CheckpointSeconds"] = "1";
            start.Environment["VitalEvents__Integrity__SettleSeconds"] = "1";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            var service = new ServiceProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
            await service.WaitUntilReadyAsync();
            return service;
        }

        private async Task WaitUntilReadyAsync()
        {
            using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (true)
            {
                if (_process.HasExited) throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Log}");
                try
                {
                    if ((await probe.GetAsync("/health/ready", patience.Token)).IsSuccessStatusCode) return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                if (patience.IsCancellationRequested) throw new TimeoutException($"The service did not become ready:\n{Log}");
                await Task.Delay(100, CancellationToken.None);
            }
        }

        private string Log
        {
            get
            {
                lock (_log) return _log.ToString();
            }
        }

        public HttpClient Client(string token)
        {
            var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        /// <summary>SIGKILL: no shutdown, no flush; whatever was not committed is gone.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited) Kill();
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
