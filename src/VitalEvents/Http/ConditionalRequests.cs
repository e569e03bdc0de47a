using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace VitalEvents.Http;

/// <summary>A representation that is a version of a record: its entity tag starts with the version, which If-Match on a write compares.</summary>
public interface IVersioned
{
    long Version { get; }
}

/// <summary>
/// RFC 9110 conditional reads. Every 200 answer of a read carries a strong entity tag computed from the representation
/// itself (SHA-256 of the JSON sent), so the tag changes exactly when what the answer shows changes — the current names of
/// relatives included. If-None-Match (a list of tags, weak or strong, or <c>*</c>) is compared weakly and answered 304.
/// Last-Modified is not sent: a one-second date cannot tell two events of one second apart, and the tag can.
/// </summary>
public static class ConditionalRequests
{
    public static RouteHandlerBuilder ConditionalRead(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new ConditionalRead()).AddEndpointFilter(async (invocation, next) =>
        {
            var result = await next(invocation);
            var http = invocation.HttpContext;
            if (Tag(result, http) is not var (tag, serialised)) return result;
            http.Response.Headers.ETag = tag.ToString();
            if (NoneMatch(http.Request, tag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            // The body the tag was computed from is the body sent: serialised once.
            return serialised is null ? result : TypedResults.Bytes(serialised, "application/json; charset=utf-8");
        });

    /// <summary>
    /// The entity tag of a 200 answer: the record's version (when it has one), a dash, and 16 bytes of the body's hash; and the
    /// body as JSON when it was serialised here.
    /// </summary>
    private static (EntityTagHeaderValue Tag, byte[]? Serialised)? Tag(object? result, HttpContext http)
    {
        byte[] body;
        byte[]? serialised = null;
        string prefix = "";
        if (result is INestedHttpResult nested) result = nested.Result;
        switch (result)
        {
            case IStatusCodeHttpResult { StatusCode: not StatusCodes.Status200OK }:
                return null;
            case IValueHttpResult { Value: { } value }:
                body = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(),
                    http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
                // Ok<T> writes exactly these bytes with these options; any other result keeps its own way of writing.
                if (result.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Ok<>)) serialised = body;
                if (value is IVersioned versioned) prefix = $"{versioned.Version}-";
                break;
            case ContentHttpResult { ResponseContent: { } content }:
                body = Encoding.UTF8.GetBytes(content);
                break;
            default:
                return null;
        }
        return (new EntityTagHeaderValue($"\"{prefix}{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16))}\""), serialised);
    }

    /// <summary>True when If-None-Match names the current representation (weak comparison) or is <c>*</c>: the answer is 304.</summary>
    public static bool NoneMatch(HttpRequest request, EntityTagHeaderValue current)
    {
        if (request.Headers.IfNoneMatch.Count == 0) return false;
        if (!EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)) return false;
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    /// <summary>
    /// If-Match as a write reads it (strong comparison, RFC 9110 §13.1.1): <c>*</c>, or the strong tags listed; weak tags never
    /// match. Null when the header is absent; a header that is not a list of entity tags is refused.
    /// </summary>
    public static bool TryReadIfMatch(HttpRequest request, out Pipeline.IfMatch? ifMatch)
    {
        ifMatch = null;
        if (request.Headers.IfMatch.Count == 0) return true;
        if (!EntityTagHeaderValue.TryParseList(request.Headers.IfMatch, out var tags) || tags.Count == 0) return false;
        ifMatch = new Pipeline.IfMatch(tags.Any(t => t.Equals(EntityTagHeaderValue.Any)),
            tags.Where(t => !t.IsWeak && !t.Equals(EntityTagHeaderValue.Any)).Select(t => t.Tag.Value!.Trim('"')).ToList());
        return true;
    }
}
