using System.Formats.Cbor;
using System.IO.Compression;
using System.Security.Cryptography;
using VitalEvents.Documents;

namespace VitalEvents.Tests.Documents;

/// <summary>
/// A document's QR payload: CWT claims signed as a COSE_Sign1 (ES256), zlib, Base45, prefixed; read back offline with the key its
/// id names. Pure: no database.
/// </summary>
public sealed class DocumentSealTests
{
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly SealedClaims Claims = new("https://sabteahval.ir", new DateTimeOffset(2026, 12, 1, 10, 30, 0, TimeSpan.Zero),
        Guid.Parse("0195f0a0-0000-7000-8000-0000000000c1"), "birthCertificate",
        new Dictionary<string, string> { ["givenName"] = "ترانه", ["familyName"] = "شاهرخی", ["birthDate"] = "1405/09/10", ["nationalCode"] = "0010000089" });

    private static ECDsa? Keys(string id) => id == "ve-2026-1" ? Key : null;

    [Fact]
    public void A_sealed_payload_reads_back_with_its_signature_valid_and_exactly_its_claims()
    {
        var payload = DocumentSeal.Seal(Claims, Key, "ve-2026-1");
        payload.Should().StartWith("VE1:");
        payload[4..].Should().MatchRegex("^[0-9A-Z $%*+./:-]+$", "Base45 is the QR code's alphanumeric alphabet");

        var read = DocumentSeal.Read(payload, Keys);
        (read.SignatureValid, read.KeyId, read.Problem).Should().Be((true, "ve-2026-1", (string?)null));
        read.Claims.Should().BeEquivalentTo(Claims);
    }

    [Fact]
    public void The_payload_is_a_tagged_COSE_Sign1_with_ES256_and_the_key_id_protected_over_CWT_claims()
    {
        var payload = DocumentSeal.Seal(Claims, Key, "ve-2026-1");
        using var zlib = new ZLibStream(new MemoryStream(SimpleBase.Base45.Default.Decode(payload.AsSpan(4))), CompressionMode.Decompress);
        using var cose = new MemoryStream();
        zlib.CopyTo(cose);

        var reader = new CborReader(cose.ToArray());
        reader.ReadTag().Should().Be((CborTag)18, "COSE_Sign1 (RFC 9052 §4.2)");
        reader.ReadStartArray().Should().Be(4);
        var headers = new CborReader(reader.ReadByteString());
        var map = new Dictionary<int, object>();
        var count = headers.ReadStartMap();
        for (var i = 0; i < count; i++)
        {
            var label = headers.ReadInt32();
            map[label] = label == 1 ? headers.ReadInt32() : headers.ReadByteString();
        }
        map[1].Should().Be(-7, "alg ES256");
        System.Text.Encoding.UTF8.GetString((byte[])map[4]).Should().Be("ve-2026-1");
        reader.SkipValue();
        var claims = new CborReader(reader.ReadByteString());
        claims.ReadStartMap();
        (claims.ReadInt32(), claims.ReadTextString()).Should().Be((1, "https://sabteahval.ir"), "iss");
        (claims.ReadInt32(), claims.ReadInt64()).Should().Be((6, Claims.IssuedAt.ToUnixTimeSeconds()), "iat");
        reader.ReadByteString().Should().HaveCount(64, "an ES256 signature is r and s of 32 bytes each");
    }

    [Fact]
    public void A_changed_payload_never_reads_as_valid()
    {
        var payload = DocumentSeal.Seal(Claims, Key, "ve-2026-1");
        var changed = 0;
        for (var i = 4; i < payload.Length; i += 7)
        {
            var c = payload[i] == 'A' ? 'B' : 'A';
            var tampered = payload[..i] + c + payload[(i + 1)..];
            var read = DocumentSeal.Read(tampered, Keys);
            read.SignatureValid.Should().BeFalse($"position {i} was changed");
            read.Problem.Should().NotBeNullOrEmpty();
            changed++;
        }
        changed.Should().BeGreaterThan(10);
    }

    [Fact]
    public void A_payload_holding_two_spaces_together_is_read_exactly_as_sealed_from_a_request_a_PDF_or_a_file()
    {
        // Base45 has the space in its alphabet: about one payload in ten holds two together (the signature differs every time),
        // which text normalisation would fold into one.
        var payload = Enumerable.Range(0, 10_000).Select(_ => DocumentSeal.Seal(Claims, Key, "ve-2026-1")).First(p => p.Contains("  "));
        var parsed = VitalEvents.Pipeline.Validator.Parse(new VerifyDocumentRequest(payload + "\r\n"), (r, v) => r.Parse(v));
        parsed.Payload.Should().Be(payload);
        DocumentSeal.Read(parsed.Payload, Keys).SignatureValid.Should().BeTrue();
        DocumentVerifier.PayloadIn(System.Text.Encoding.Latin1.GetBytes($"<< /Keywords ({payload}) >>")).Should().Be(payload);
        DocumentSeal.Read(payload.Replace("  ", " "), Keys).SignatureValid.Should().BeFalse("each space is part of the payload");
    }

    [Fact]
    public void A_payload_whose_zlib_trailer_is_missing_or_followed_by_more_bytes_is_refused()
    {
        var compressed = SimpleBase.Base45.Default.Decode(DocumentSeal.Seal(Claims, Key, "ve-2026-1").AsSpan(4));
        string Payload(byte[] bytes) => DocumentSeal.Prefix + SimpleBase.Base45.Default.Encode(bytes);
        DocumentSeal.Read(Payload(compressed), Keys).SignatureValid.Should().BeTrue();
        foreach (var altered in new[] { compressed[..^4], compressed[..^1], [.. compressed, 0], [.. compressed, 0x78, 0xDA] })
        {
            var read = DocumentSeal.Read(Payload(altered), Keys);
            read.SignatureValid.Should().BeFalse("several QR texts must never stand for one document");
            read.Problem.Should().Contain("zlib");
        }
    }

    [Fact]
    public void Another_key_under_the_same_id_an_unknown_id_and_no_prefix_are_refused_with_the_reason()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = DocumentSeal.Read(DocumentSeal.Seal(Claims, other, "ve-2026-1"), Keys);
        (forged.SignatureValid, forged.Problem).Should().Be((false, "The signature does not verify under the named key."));

        var unknown = DocumentSeal.Read(DocumentSeal.Seal(Claims, Key, "ve-1999-1"), Keys);
        (unknown.SignatureValid, unknown.KeyId).Should().Be((false, "ve-1999-1"));
        unknown.Problem.Should().Contain("not in the registry's key list");

        DocumentSeal.Read("HC1:6BFOXN%TS3DH", Keys).Should().BeEquivalentTo(new { SignatureValid = false, KeyId = (string?)null, Claims = (SealedClaims?)null });
    }

    [Theory]
    [InlineData("AB", "BB8")]
    [InlineData("Hello!!", "%69 VD92EX0")]
    [InlineData("base-45", "UJCLQE7W581")]
    [InlineData("ietf!", "QED8WEX0")]
    public void Base45_is_RFC_9285s(string text, string encoded)
    {
        SimpleBase.Base45.Default.Encode(System.Text.Encoding.UTF8.GetBytes(text)).Should().Be(encoded);
        System.Text.Encoding.UTF8.GetString(SimpleBase.Base45.Default.Decode(encoded)).Should().Be(text);
    }
}
