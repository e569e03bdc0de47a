using System.Formats.Cbor;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;

namespace VitalEvents.Documents;

/// <summary>What a document's QR code says, signed: issuer, when, which document of which kind, and the fields it prints.</summary>
public sealed record SealedClaims(string Issuer, DateTimeOffset IssuedAt, Guid DocumentId, string Kind, IReadOnlyDictionary<string, string> Fields);

/// <summary>A QR payload read back: whether the signature holds under the named key, and the claims (null when unreadable).</summary>
public sealed record SealReading(bool SignatureValid, string? KeyId, SealedClaims? Claims, string? Problem);

/// <summary>
/// The payload of a document's QR code, verifiable offline as the EU Digital COVID Certificate is: CWT claims (RFC 8392) in CBOR,
/// signed as a COSE_Sign1 with ES256 (RFC 9052), the key id in the protected header, zlib-compressed, Base45-encoded (RFC 9285)
/// and prefixed with <see cref="Prefix"/>.
/// </summary>
public static class DocumentSeal
{
    public const string Prefix = "VE1:";

    // CWT claim keys (RFC 8392 §4): iss, iat, cti; the registry's own claims under private (negative) keys.
    private const int Issuer = 1, IssuedAt = 6, TokenId = 7, Kind = -70001, Fields = -70002;

    /// <summary>A QR payload limited to what a QR code can hold is far below this; anything larger is not one.</summary>
    private const int MaxDecompressedBytes = 64 * 1024;

    public static string Seal(SealedClaims claims, ECDsa key, string keyId)
    {
        var protectedHeaders = new CoseHeaderMap { { CoseHeaderLabel.KeyIdentifier, CoseHeaderValue.FromBytes(System.Text.Encoding.UTF8.GetBytes(keyId)) } };
        var signer = new CoseSigner(key, HashAlgorithmName.SHA256, protectedHeaders);
        var signed = CoseSign1Message.SignEmbedded(Claims(claims), signer);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(signed);
        return Prefix + SimpleBase.Base45.Default.Encode(compressed.ToArray());
    }

    /// <summary>Reads a QR payload and checks its signature with the key its id names (<paramref name="keys"/>: null for a key not known).</summary>
    public static SealReading Read(string text, Func<string, ECDsa?> keys)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return Unreadable($"The payload does not start with {Prefix}.");
        CoseSign1Message message;
        try
        {
            var compressed = SimpleBase.Base45.Default.Decode(text.AsSpan(Prefix.Length));
            message = CoseMessage.DecodeSign1(Inflate(compressed));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or CryptographicException or CborContentException)
        {
            return Unreadable($"The payload is not a compressed COSE_Sign1 message: {e.Message}");
        }
        if (!message.ProtectedHeaders.TryGetValue(CoseHeaderLabel.KeyIdentifier, out var kid)) return Unreadable("The signature names no key id.");
        var keyId = System.Text.Encoding.UTF8.GetString(kid.GetValueAsBytes());
        SealedClaims claims;
        try
        {
            claims = ReadClaims(message.Content!.Value);
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException)
        {
            return new SealReading(false, keyId, null, $"The claims are not the registry's CWT: {e.Message}");
        }
        if (keys(keyId) is not { } key) return new SealReading(false, keyId, claims, $"The key {keyId} is not in the registry's key list.");
        var valid = message.VerifyEmbedded(key);
        return new SealReading(valid, keyId, claims, valid ? null : "The signature does not verify under the named key.");
    }

    private static SealReading Unreadable(string problem) => new(false, null, null, problem);

    private static byte[] Inflate(byte[] compressed)
    {
        // RFC 1950: a zlib header (deflate, FCHECK), and after the data its Adler-32, which must be the stream's last 4 bytes:
        // a payload missing its trailer, or with bytes after it, is not the one signed and printed.
        if (compressed.Length < 6 || (compressed[0] & 0x0F) != 8 || (compressed[0] << 8 | compressed[1]) % 31 != 0 || (compressed[1] & 0x20) != 0)
            throw new InvalidDataException("The payload is not a zlib stream.");
        var inflated = InflateData(compressed);
        if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(^4)) != Adler32(inflated))
            throw new InvalidDataException("The payload's zlib trailer is missing or wrong.");
        return inflated;
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }
        return b << 16 | a;
    }

    private static byte[] InflateData(byte[] compressed)
    {
        using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = zlib.Read(buffer)) > 0)
        {
            inflated.Write(buffer, 0, read);
            if (inflated.Length > MaxDecompressedBytes) throw new InvalidDataException("The payload inflates beyond what a QR code can hold.");
        }
        return inflated.ToArray();
    }

    private static byte[] Claims(SealedClaims c)
    {
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartMap(5);
        writer.WriteInt32(Issuer);
        writer.WriteTextString(c.Issuer);
        writer.WriteInt32(IssuedAt);
        writer.WriteInt64(c.IssuedAt.ToUnixTimeSeconds());
        writer.WriteInt32(TokenId);
        writer.WriteByteString(c.DocumentId.ToByteArray(bigEndian: true));
        writer.WriteInt32(Kind);
        writer.WriteTextString(c.Kind);
        writer.WriteInt32(Fields);
        writer.WriteStartMap(c.Fields.Count);
        foreach (var (name, value) in c.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            writer.WriteTextString(name);
            writer.WriteTextString(value);
        }
        writer.WriteEndMap();
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static SealedClaims ReadClaims(ReadOnlyMemory<byte> cbor)
    {
        var reader = new CborReader(cbor, CborConformanceMode.Canonical);
        string? issuer = null, kind = null;
        long? issuedAt = null;
        Guid? id = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = reader.ReadStartMap();
        for (var i = 0; count is null ? reader.PeekState() != CborReaderState.EndMap : i < count; i++)
        {
            switch (reader.ReadInt32())
            {
                case Issuer: issuer = reader.ReadTextString(); break;
                case IssuedAt: issuedAt = reader.ReadInt64(); break;
                case TokenId: id = new Guid(reader.ReadByteString(), bigEndian: true); break;
                case Kind: kind = reader.ReadTextString(); break;
                case Fields:
                    var n = reader.ReadStartMap();
                    for (var j = 0; n is null ? reader.PeekState() != CborReaderState.EndMap : j < n; j++) fields[reader.ReadTextString()] = reader.ReadTextString();
                    reader.ReadEndMap();
                    break;
                default: reader.SkipValue(); break;
            }
        }
        reader.ReadEndMap();
        if (reader.BytesRemaining != 0) throw new FormatException("Bytes follow the claims.");
        return new SealedClaims(issuer ?? throw new FormatException("No issuer (claim 1)."),
            DateTimeOffset.FromUnixTimeSeconds(issuedAt ?? throw new FormatException("No issued-at (claim 6).")),
            id ?? throw new FormatException("No document id (claim 7)."), kind ?? throw new FormatException("No kind."), fields);
    }
}
