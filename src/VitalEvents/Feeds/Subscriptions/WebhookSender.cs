using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using VitalEvents.Pipeline;

namespace VitalEvents.Feeds.Subscriptions;

/// <summary>
/// POSTs one event to a subscription's webhook as structured CloudEvents JSON, signed with the subscription's secret:
/// <c>X-VitalEvents-Signature: sha256=&lt;lowercase hex HMAC-SHA256 of the exact body bytes&gt;</c>. Receivers de-duplicate
/// by <c>X-VitalEvents-Event-Id</c> (delivery is at least once). The time to the receiver's answer is recorded.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookSettings> settings)
{
    public const string ClientName = "VitalEvents.Webhooks";
    public const string ContentType = "application/cloudevents+json";

    /// <summary>Null when the receiver took the event (2xx); otherwise what went wrong.</summary>
    public async Task<string?> SendAsync(Subscription subscription, FeedScope scope, FeedEvent e, int attempt, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(CloudEvents.ToJson(e, scope).GetRawText());
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        request.Headers.Add("X-VitalEvents-Event-Id", e.Id.ToString());
        request.Headers.Add("X-VitalEvents-Sequence", e.Sequence.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-VitalEvents-Signature", Signature(subscription.Secret, body));
        request.Headers.Add("X-VitalEvents-Delivery-Attempt", attempt.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-VitalEvents-Subscription", subscription.Id.ToString());
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            Telemetry.WebhookDeliveryDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("subscription", subscription.Id.ToString()));
            return response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"The receiver did not answer within {settings.Value.Timeout.TotalSeconds:0.###} s.";
        }
        catch (HttpRequestException failure)
        {
            return $"The receiver could not be reached: {failure.Message}";
        }
    }

    /// <summary>The signature header's value for a body.</summary>
    public static string Signature(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
