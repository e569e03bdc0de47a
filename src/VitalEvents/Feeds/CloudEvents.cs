using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace VitalEvents.Feeds;

/// <summary>Feed events as CloudEvents 1.0 JSON, with the fields a scope withholds removed.</summary>
public static class CloudEvents
{
    public static readonly Uri Source = new("urn:vitalevents:registry");
    private static readonly JsonEventFormatter Formatter = new();
    private static readonly CloudEventAttribute Sequence = CloudEventAttribute.CreateExtension("sequence", CloudEventAttributeType.String);
    private static readonly CloudEventAttribute Province = CloudEventAttribute.CreateExtension("province", CloudEventAttributeType.String);

    public static JsonElement ToJson(FeedEvent e, FeedScope scope)
    {
        var data = (JsonObject)e.Data.DeepClone();
        foreach (var hidden in scope.HiddenFields) data.Remove(JsonNamingPolicy.CamelCase.ConvertName(hidden));
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, [Sequence, Province])
        {
            Id = e.Id.ToString(),
            Source = Source,
            Type = e.Type,
            Subject = e.NationalCode,
            Time = e.Time,
            DataContentType = "application/json",
            Data = JsonSerializer.SerializeToElement(data),
        };
        cloudEvent[Sequence] = e.Sequence.ToString("D20");
        if (e.Province is not null) cloudEvent[Province] = e.Province;
        return Formatter.ConvertToJsonElement(cloudEvent);
    }
}
