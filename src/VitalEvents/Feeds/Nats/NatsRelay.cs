using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Npgsql;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Feeds.Nats;

/// <summary>
/// Publishes every feed event, in feed order, to a JetStream stream: subject
/// <c>{prefix}.{type with '.' as '_'}.{province or unknown}</c>, payload the event as CloudEvents JSON (full scope).
/// </summary>
/// <remarks>
/// The stream holds the relay's position, so the position can never disagree with what was published: each publish is
/// acknowledged before the next is sent, so the stream's last message is the last event published, and on start the relay
/// resumes after the feed sequence in that message's header. Two guards back this up: the event id is the message id
/// (JetStream drops a republished event within its duplicate window), and each publish expects the stream's last
/// sequence, so two relays on one stream cannot interleave (the loser re-reads the position). Of several service instances one
/// relays at a time: the one holding a session advisory lock on the primary (another takes over within seconds when its
/// connection goes; the guards cover the moment both might publish). A stream filled from another
/// database (its last event id differs from this registry's event at that sequence) is refused rather than resumed.
/// Acknowledged publishes are counted, and the position and the feed's end are reported to <see cref="FeedLag"/> (the end
/// also while the relay cannot publish, so that the lag grows).
/// </remarks>
public sealed class NatsRelay(FeedReader reader, StoreSettings store, NatsRelaySettings settings, FeedLag lag, ILoggerFactory loggers) : BackgroundService
{
    /// <summary>The header carrying the event's feed sequence (the relay's position).</summary>
    public const string SequenceHeader = "VitalEvents-Sequence";

    private const int Batch = 500;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private static readonly FeedScope Full = FeedScopes.Find("full")!;
    private readonly ILogger _logger = loggers.CreateLogger<NatsRelay>();
    private readonly string _consumer = FeedLag.Nats(settings.Stream);
    private long _duplicates;

    /// <summary>Publishes JetStream dropped as duplicates: zero unless the relay's position was lost and de-duplication caught it.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RelayAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                _logger.LogError(e, "Relaying to NATS stream {Stream} at {Url} failed; resuming from the stream's last message in {Delay}",
                    settings.Stream, settings.Url, RetryDelay);
                await ReportEndAsync(stoppingToken);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private async Task RelayAsync(CancellationToken ct)
    {
        // Its own unpooled connection: the lock lives as long as this session, and goes with it.
        await using var lease = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(store.ConnectionString) { Pooling = false }.ConnectionString);
        await lease.OpenAsync(ct);
        await using var hold = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended(@key, 0))", lease);
        hold.Parameters.AddWithValue("key", $"vitalevents.nats-relay.{store.Schema}.{settings.Stream}");
        if (!(bool)(await hold.ExecuteScalarAsync(ct))!)
        {
            await ReportEndAsync(ct);
            await Task.Delay(RetryDelay, ct);
            return;
        }
        await using var alive = new NpgsqlCommand("select 1", lease);
        await using var connection = new NatsConnection(new NatsOpts { Url = settings.Url, Name = "vitalevents-relay", LoggerFactory = loggers });
        var js = new NatsJSContext(connection);
        var stream = await EnsureStreamAsync(js, ct);
        var (after, streamSequence) = await ResumePointAsync(stream, ct);
        _logger.LogInformation("Relaying feed events after sequence {After} to NATS stream {Stream} at {Url}", after, settings.Stream, settings.Url);
        lag.Position(_consumer, after);
        while (true)
        {
            await alive.ExecuteScalarAsync(ct);
            lag.End(await reader.EndAsync(ct));
            var page = await reader.ReadAsync(after, FeedFilter.All, Batch, ct);
            foreach (var e in page.Events)
            {
                streamSequence = await PublishAsync(js, e, streamSequence, ct);
                lag.Position(_consumer, e.Sequence);
            }
            after = page.Next;
            lag.Position(_consumer, after);
            if (page.Events.Count < Batch) await Task.Delay(settings.PollInterval, ct);
        }
    }

    private async Task ReportEndAsync(CancellationToken ct)
    {
        try
        {
            lag.End(await reader.EndAsync(ct));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.LogDebug(e, "Reading the feed's end for the NATS relay's lag failed");
        }
    }

    private async Task<INatsJSStream> EnsureStreamAsync(INatsJSContext js, CancellationToken ct)
    {
        try
        {
            return await js.GetStreamAsync(settings.Stream, cancellationToken: ct);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            _logger.LogInformation("Creating NATS JetStream stream {Stream} for subjects {Prefix}.>", settings.Stream, settings.SubjectPrefix);
            return await js.CreateStreamAsync(new StreamConfig(settings.Stream, [$"{settings.SubjectPrefix}.>"])
            {
                Description = "VitalEvents: every recorded vital event, in feed order, as CloudEvents JSON",
                Storage = StreamConfigStorage.File,
                DuplicateWindow = settings.DuplicateWindow,
                NumReplicas = settings.Replicas,
            }, ct);
        }
    }

    /// <summary>The feed sequence to resume after, from the stream's last message; and the stream's last sequence.</summary>
    private async Task<(long After, ulong StreamSequence)> ResumePointAsync(INatsJSStream stream, CancellationToken ct)
    {
        var streamSequence = stream.Info.State.LastSeq;
        StoredMessage last;
        try
        {
            last = (await stream.GetAsync(new StreamMsgGetRequest { LastBySubj = $"{settings.SubjectPrefix}.>" }, ct)).Message;
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            if (streamSequence == 0) return (0, 0);
            throw new InvalidOperationException(
                $"NATS stream {settings.Stream} once held {streamSequence} messages but holds none now (purged or expired), and with them went " +
                "the relay's position. Restore the stream, or delete it to publish every event again.");
        }
        var headers = new NatsHeaders();
        var parsed = last.Hdrs is { Length: > 0 } hdrs
            && new NatsHeaderParser(Encoding.UTF8).ParseHeaders(new SequenceReader<byte>(new ReadOnlySequence<byte>(Convert.FromBase64String(hdrs))), headers);
        if (!parsed || !headers.TryGetValue(SequenceHeader, out var value) || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var after))
            throw new InvalidOperationException(
                $"The last message in NATS stream {settings.Stream} (sequence {last.Seq}, subject {last.Subject}) has no {SequenceHeader} header: " +
                "something other than the relay publishes on its subjects.");
        var published = headers.TryGetValue("Nats-Msg-Id", out var id) ? id.ToString() : null;
        var recorded = await EventIdAtAsync(after, ct);
        if (recorded?.ToString() != published)
            throw new InvalidOperationException(
                $"The last message in NATS stream {settings.Stream} is event {published} at feed sequence {after}, but this registry's event there is " +
                $"{recorded?.ToString() ?? "missing"}: the stream was filled from another database. Delete the stream, or relay to another one.");
        return (after, streamSequence);
    }

    private async Task<Guid?> EventIdAtAsync(long sequence, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select id from {store.Schema}.mt_events where seq_id = @seq", connection);
        command.Parameters.AddWithValue("seq", sequence);
        return await command.ExecuteScalarAsync(ct) as Guid?;
    }

    private async Task<ulong> PublishAsync(INatsJSContext js, FeedEvent e, ulong streamSequence, CancellationToken ct)
    {
        var headers = new NatsHeaders
        {
            [SequenceHeader] = e.Sequence.ToString(CultureInfo.InvariantCulture),
            ["Content-Type"] = "application/cloudevents+json",
        };
        var ack = await js.PublishAsync(SubjectOf(e), JsonSerializer.SerializeToUtf8Bytes(CloudEvents.ToJson(e, Full)),
            opts: new NatsJSPubOpts { MsgId = e.Id.ToString(), ExpectedLastSequence = streamSequence }, headers: headers, cancellationToken: ct);
        if (ack.Duplicate)   // EnsureSuccess would throw on it: here it is the second guard working, not a failure
        {
            Interlocked.Increment(ref _duplicates);
            _logger.LogWarning("NATS stream {Stream} already held event {Id} (feed sequence {Sequence}): not published again", settings.Stream, e.Id, e.Sequence);
            return streamSequence;
        }
        ack.EnsureSuccess();
        Telemetry.NatsPublished.Add(1, new KeyValuePair<string, object?>("stream", settings.Stream));
        return ack.Seq;
    }

    private string SubjectOf(FeedEvent e) => $"{settings.SubjectPrefix}.{Token(e.Type)}.{Token(e.Province ?? "unknown")}";

    /// <summary>A subject token: no '.', wildcard or space can reach the subject from an event type or province.</summary>
    private static string Token(string value) =>
        string.Create(value.Length, value, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsAsciiLetterOrDigit(source[i]) || source[i] is '-' or '_' ? source[i] : '_';
        });
}
