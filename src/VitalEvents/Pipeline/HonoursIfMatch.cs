namespace VitalEvents.Pipeline;

/// <summary>Endpoint metadata: this write concerns one person's record and honours If-Match with that record's version.</summary>
public sealed class HonoursIfMatch;
