using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace VitalEvents.Feeds;

/// <summary>
/// Feed events as CloudEvents 1.0 JSON, carrying only what the reader's scope declares for the event's type
/// (<see cref="FeedScopes"/>): the declared data fields, and the <c>subject</c> (a national code) only where declared.
/// </summary>
public static class CloudEvents
{
    public static readonly Uri Source = new("urn:vitalevents:registry");
    private static readonly ScopedFormatter Formatter = new();
    private static readonly CloudEventAttribute Sequence = CloudEventAttribute.CreateExtension("sequence", CloudEventAttributeType.String);
    private static readonly CloudEventAttribute Province = CloudEventAttribute.CreateExtension("province", CloudEventAttributeType.String);

    /// <summary>No field, no subject: what an event of a type the scope does not list would carry (callers never send one).</summary>
    private static readonly FeedFields Nothing = FeedFields.Only(false);

    public static JsonElement ToJson(FeedEvent e, FeedScope scope)
    {
        var fields = scope.Fields(e.Type) ?? Nothing;
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, [Sequence, Province])
        {
            Id = e.Id.ToString(),
            Source = Source,
            Type = e.Type,
            Subject = fields.Subject ? e.NationalCode : null,
            Time = e.Time,
            DataContentType = "application/json",
            Data = new ScopedData(e.Data, fields),
        };
        cloudEvent[Sequence] = e.Sequence.ToString("D20");
        if (e.Province is not null) cloudEvent[Province] = e.Province;
        return Formatter.ConvertToJsonElement(cloudEvent);
    }

    /// <summary>The event's data and what of it the scope carries; written, filtered, straight into the CloudEvent.</summary>
    private sealed record ScopedData(JsonObject Data, FeedFields Fields);

    /// <summary>Writes the filtered data in the same pass as the envelope: no copy of the data, no intermediate document.</summary>
    private sealed class ScopedFormatter : JsonEventFormatter
    {
        protected override void EncodeStructuredModeData(CloudEvent cloudEvent, Utf8JsonWriter writer)
        {
            if (cloudEvent.Data is not ScopedData scoped)
            {
                base.EncodeStructuredModeData(cloudEvent, writer);
                return;
            }
            writer.WritePropertyName(DataPropertyName);
            scoped.Fields.Write(writer, scoped.Data);
        }
    }
}
