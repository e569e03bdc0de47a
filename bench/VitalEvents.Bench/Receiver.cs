using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VitalEvents.Bench;

/// <summary>One request the receiver took: the event id header, the instant its whole body had arrived, and the body.</summary>
public sealed record Arrival(Guid EventId, long At, byte[] Body);

/// <summary>
/// A webhook receiver on a random loopback port (a minimal Kestrel app): it reads each POST's body, records when it had
/// arrived (<see cref="Stopwatch"/> ticks, the clock the benchmark times everything with) and answers 204.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    public const string EventIdHeader = "X-VitalEvents-Event-Id";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private List<Arrival> _arrivals = [];

    private Receiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = string.Empty;

    public static async Task<Receiver> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new Receiver(builder.Build());
        receiver._app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var arrival = new Arrival(Guid.Parse(request.Headers[EventIdHeader]!), Stopwatch.GetTimestamp(), body.ToArray());
            lock (receiver._lock) receiver._arrivals.Add(arrival);
            return Results.NoContent();
        });
        await receiver._app.StartAsync(ct);
        receiver.Url = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/hook";
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived since the last take, then takes them all.</summary>
    public async Task<IReadOnlyList<Arrival>> TakeAsync(int count, TimeSpan timeout, Func<Task<string>> diagnose)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (_lock)
            {
                if (_arrivals.Count >= count)
                {
                    var taken = _arrivals;
                    _arrivals = [];
                    return taken;
                }
            }
            if (Stopwatch.GetTimestamp() > until)
                throw new TimeoutException($"fewer than {count} webhook requests arrived within {timeout.TotalSeconds:0} s; {await diagnose()}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
