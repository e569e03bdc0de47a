using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Buffers.Text;

namespace VitalEvents.Documents;

/// <summary>
/// The public list of document signing keys as a JSON Web Key Set (RFC 7517): each an EC P-256 key for ES256 with its key id,
/// and its validity as extra members (<c>notBefore</c>, <c>signsUntil</c>, <c>verifiesUntil</c>, ISO 8601). Offline verifiers
/// keep a copy.
/// </summary>
public static class DocumentKeyList
{
    public const string MediaType = "application/jwk-set+json";
    public const string Path = "/.well-known/document-keys";

    public static JsonObject ToJwks(IEnumerable<DocumentPublicKey> keys)
    {
        var list = new JsonArray();
        foreach (var key in keys)
        {
            var point = key.Key().ExportParameters(false).Q;
            var jwk = new JsonObject
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(point.X), ["y"] = Base64Url.EncodeToString(point.Y),
                ["kid"] = key.KeyId, ["use"] = "sig", ["alg"] = "ES256", ["notBefore"] = key.NotBefore,
            };
            if (key.SignsUntil is { } until) jwk["signsUntil"] = until;
            if (key.VerifiesUntil is { } end) jwk["verifiesUntil"] = end;
            list.Add(jwk);
        }
        return new JsonObject { ["keys"] = list };
    }

    /// <summary>Reads a key set written by <see cref="ToJwks"/> (a copy kept for offline verification).</summary>
    public static IReadOnlyList<DocumentPublicKey> FromJwks(string json)
    {
        var keys = new List<DocumentPublicKey>();
        foreach (var jwk in (JsonNode.Parse(json)?["keys"] as JsonArray ?? throw new FormatException("The key list has no \"keys\" array.")).OfType<JsonObject>())
        {
            if ((string?)jwk["kty"] != "EC" || (string?)jwk["crv"] != "P-256") continue;
            using var ec = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Base64Url.DecodeFromChars((string)jwk["x"]!), Y = Base64Url.DecodeFromChars((string)jwk["y"]!) },
            });
            keys.Add(new DocumentPublicKey((string)jwk["kid"]!, ec.ExportSubjectPublicKeyInfoPem(),
                jwk["notBefore"]?.GetValue<DateTimeOffset>() ?? DateTimeOffset.MinValue, jwk["signsUntil"]?.GetValue<DateTimeOffset>(),
                jwk["verifiesUntil"]?.GetValue<DateTimeOffset>()));
        }
        return keys;
    }

    public static string Serialize(IEnumerable<DocumentPublicKey> keys) => ToJwks(keys).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
