using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VitalEvents.Http;

/// <summary>Endpoint metadata: this endpoint records something (it takes Idempotency-Key; with <see cref="HonoursIfMatch"/>, If-Match).</summary>
public sealed record WriteEndpoint(bool HonoursIfMatch);

/// <summary>Endpoint metadata: this read answers with an ETag and honours If-None-Match.</summary>
public sealed record ConditionalRead;

/// <summary>Endpoint metadata: this read of personal data is written to the access log, with the caller's X-Purpose.</summary>
public sealed record RecordedReadEndpoint;

public static class EndpointConventions
{
    /// <summary>Every GET endpoint of the group answers HEAD as well (the same status and headers, no body).</summary>
    public static TBuilder AnswersHead<TBuilder>(this TBuilder group) where TBuilder : IEndpointConventionBuilder
    {
        group.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().LastOrDefault() is { } methods
                && methods.HttpMethods.SequenceEqual([HttpMethods.Get]))
                endpoint.Metadata.Add(new Microsoft.AspNetCore.Routing.HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        });
        return group;
    }

    /// <summary>Marks a read of personal data that the access log records (its query is an IRecordedRead).</summary>
    public static TBuilder RecordsReads<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new RecordedReadEndpoint());

    /// <summary>Marks a write: Idempotency-Key is honoured (and documented); with <paramref name="ifMatch"/>, If-Match on the subject record too.</summary>
    public static TBuilder Writes<TBuilder>(this TBuilder endpoint, bool ifMatch = false) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new WriteEndpoint(ifMatch));
}
