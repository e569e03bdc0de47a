using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Documents;
using VitalEvents.Tests.Documents.Spec;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests.Documents;

/// <summary>
/// The registry's QR payloads read by <see cref="SpecVerifier"/>, a reader written from RFC 9285, 1950, 8949, 9052 and 8392
/// without the issuing code: its parts against the RFCs' own examples, then documents the service issues.
/// </summary>
public sealed class SpecVerifierTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar", "001", "reg-a");
    private readonly HttpClient _public = registry.CreateClient();

    public Task InitializeAsync() => registry.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("AB", "BB8")]
    [InlineData("Hello!!", "%69 VD92EX0")]
    [InlineData("base-45", "UJCLQE7W581")]
    [InlineData("ietf!", "QED8WEX0")]
    public void Base45_gives_the_examples_of_RFC_9285_both_ways(string text, string encoded)
    {
        Base45.Encode(Encoding.ASCII.GetBytes(text)).Should().Be(encoded);
        Encoding.ASCII.GetString(Base45.Decode(encoded)).Should().Be(text);
    }

    [Theory]
    [InlineData("GGW")] // 65536 (RFC 9285 §4.2)
    [InlineData(":::")]
    [InlineData("BB")] // a pair of 506: more than a byte
    [InlineData("A")]
    [InlineData("BB8B")]
    [InlineData("bb8")]
    [InlineData("BB=")]
    [InlineData("BB8\u00c4C")]
    public void Base45_refuses_what_is_not_Base45(string text) =>
        FluentActions.Invoking(() => Base45.Decode(text)).Should().Throw<FormatException>();

    [Fact]
    public void Base45_gives_back_every_byte_at_every_length()
    {
        var data = Enumerable.Range(0, 256).Select(i => (byte)(255 - i)).ToArray();
        for (var length = 0; length <= data.Length; length++)
            Base45.Decode(Base45.Encode(data.AsSpan(0, length))).Should().Equal(data[..length]);
    }

    [Fact]
    public void Zlib_is_read_with_its_header_and_Adler_32_checked()
    {
        ZLib.Adler32([]).Should().Be(1);
        ZLib.Adler32(Encoding.ASCII.GetBytes("Wikipedia")).Should().Be(0x11E60398);
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("ثبت احوال ", 50)));
        var zlib = Compress(text);
        ZLib.Inflate(zlib).Should().Equal(text);

        byte[] Changed(Action<byte[]> change)
        {
            var copy = zlib.ToArray();
            change(copy);
            return copy;
        }
        static byte[] WithFcheck(byte cmf, byte flg)
        {
            var high = flg & 0xE0;
            return [cmf, (byte)(high | (31 - (cmf * 256 + high) % 31) % 31)];
        }
        var refused = new[]
        {
            Changed(z => z[0] = 0x79), // CM 9
            Changed(z => WithFcheck(0x88, z[1]).CopyTo(z, 0)), // CINFO 8
            Changed(z => z[1] ^= 0x01), // FCHECK
            Changed(z => WithFcheck(z[0], (byte)(z[1] | 0x20)).CopyTo(z, 0)), // FDICT
            Changed(z => z[^1] ^= 0x01), // Adler-32
            Changed(z => z[^6] ^= 0x01), // the DEFLATE data
            zlib[..^1],
            zlib[..^4], // no trailer: DeflateStream would give the data back whole
            [.. zlib[..^4], 0, .. zlib[^4..]], // a byte after the final block
            zlib[..5],
        };
        foreach (var bad in refused) FluentActions.Invoking(() => ZLib.Inflate(bad)).Should().Throw<FormatException>();
    }

    [Fact]
    public void Deflate_is_read_as_ZLibStream_writes_it_at_every_level()
    {
        var random = new Random(1950);
        var samples = new List<byte[]> { new byte[1], Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("ثبت احوال ", 400))) };
        for (var length = 1; length < 70_000; length *= 3)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            for (var i = 0; i < length; i += 7) bytes[i] = (byte)(i % 5);
            samples.Add(bytes);
        }
        foreach (var sample in samples.Where(s => s.Length <= 64 * 1024))
            foreach (var level in Enum.GetValues<CompressionLevel>())
                ZLib.Inflate(Compress(sample, level)).Should().Equal(sample, $"{sample.Length} bytes at {level}");
        FluentActions.Invoking(() => ZLib.Inflate(Compress(new byte[64 * 1024 + 1]))).Should().Throw<FormatException>();
    }

    [Theory]
    [InlineData("00", "0")]
    [InlineData("17", "23")]
    [InlineData("1818", "24")]
    [InlineData("1903e8", "1000")]
    [InlineData("1a000f4240", "1000000")]
    [InlineData("1b000000e8d4a51000", "1000000000000")]
    [InlineData("20", "-1")]
    [InlineData("3863", "-100")]
    [InlineData("3903e7", "-1000")]
    [InlineData("3a00011170", "-70001")]
    [InlineData("3a00011171", "-70002")]
    [InlineData("40", "h''")]
    [InlineData("4401020304", "h'01020304'")]
    [InlineData("60", "\"\"")]
    [InlineData("6449455446", "\"IETF\"")]
    [InlineData("62c3bc", "\"ü\"")]
    [InlineData("63e6b0b4", "\"水\"")]
    [InlineData("80", "[]")]
    [InlineData("8301820203820405", "[1, [2, 3], [4, 5]]")]
    [InlineData("98190102030405060708090a0b0c0d0e0f101112131415161718181819",
        "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]")]
    [InlineData("a0", "{}")]
    [InlineData("a201020304", "{1: 2, 3: 4}")]
    [InlineData("a26161016162820203", "{\"a\": 1, \"b\": [2, 3]}")]
    [InlineData("826161a161626163", "[\"a\", {\"b\": \"c\"}]")]
    [InlineData("c074323031332d30332d32315432303a30343a30305a", "0(\"2013-03-21T20:04:00Z\")")]
    [InlineData("c11a514b67b0", "1(1363896240)")]
    [InlineData("d74401020304", "23(h'01020304')")]
    [InlineData("f4", "false")]
    [InlineData("f5", "true")]
    [InlineData("f6", "null")]
    [InlineData("f7", "undefined")]
    [InlineData("f0", "simple(16)")]
    [InlineData("f8ff", "simple(255)")]
    [InlineData("f93e00", "1.5")]
    [InlineData("fa47c35000", "100000.0")]
    [InlineData("fbc010666666666666", "-4.1")]
    public void Cbor_reads_and_writes_the_examples_of_RFC_8949_appendix_A(string hex, string diagnostic)
    {
        var item = Cbor.Decode(Convert.FromHexString(hex));
        Cbor.Diagnostic(item).Should().Be(diagnostic);
        Convert.ToHexStringLower(Cbor.Encode(item)).Should().Be(hex);
    }

    [Theory]
    [InlineData("5f42010243030405ff")] // indefinite lengths
    [InlineData("9fff")]
    [InlineData("bf6161019f0203ffff")]
    [InlineData("1c")] // reserved additional information
    [InlineData("ff")] // a break outside an indefinite item
    [InlineData("f818")] // a two-byte simple value below 32
    [InlineData("1a0001")] // truncated
    [InlineData("62c3")]
    [InlineData("8301")]
    [InlineData("61ff")] // not UTF-8
    [InlineData("0000")] // a second item
    [InlineData("a201020103")] // a key twice
    [InlineData("1bffffffffffffffff")] // beyond a long
    public void Cbor_refuses_what_it_cannot_read_exactly(string hex) =>
        FluentActions.Invoking(() => Cbor.Decode(Convert.FromHexString(hex))).Should().Throw<FormatException>();

    [Fact]
    public void The_signed_CWT_of_RFC_8392_appendix_A3_verifies_with_the_key_of_A23()
    {
        var cwt = Convert.FromHexString("d28443a10126a104524173796d6d657472696345434453413235365850a70175636f61703a2f2f61732e6578616d706c652e636f6d0265" +
            "6572696b77037818636f61703a2f2f6c696768742e6578616d706c652e636f6d041a5612aeb0051a5610d9f0061a5610d9f007420b7158405427c1ff28d23fbad1f2" +
            "9c4c7c6a555e601d6fa29f9179bc3d7438bacaca5acd08c8d4d4f96131680c429a01f85951ecee743a52b9b63632c57209120e1c9e30");
        var x = Convert.FromHexString("143329cce7868e416927599cf65a34f3ce2ffda55a7eca69ed8919a394d42f0f");
        var y = Convert.FromHexString("60f7f1a780d8a783bfb7a2dd6b2796e8128dbbcef9d3d168db9529971a36e7b9");

        var cose = CoseSign1.Read(cwt);
        Cbor.Diagnostic(cose.Protected).Should().Be("{1: -7}");
        Cbor.Diagnostic(cose.Unprotected).Should().Be("{4: h'" + Convert.ToHexStringLower("AsymmetricECDSA256"u8) + "'}");
        Cbor.Diagnostic(Cbor.Decode(cose.Payload)).Should().Be("{1: \"coap://as.example.com\", 2: \"erikw\", 3: \"coap://light.example.com\", " +
            "4: 1444064944, 5: 1443944944, 6: 1443944944, 7: h'0b71'}");
        Convert.ToHexStringLower(cose.ToBeSigned()).Should().StartWith("846a5369676e61747572653143a10126405850a701");
        cose.VerifySignature(x, y).Should().BeTrue();

        (cose with { Signature = Flipped(cose.Signature, 10) }).VerifySignature(x, y).Should().BeFalse();
        (cose with { Payload = Flipped(cose.Payload, 10) }).VerifySignature(x, y).Should().BeFalse();
        (cose with { ProtectedBytes = Convert.FromHexString("a1013822") }).VerifySignature(x, y).Should().BeFalse("body_protected is signed as sent");
        cose.VerifySignature(y, x).Should().BeFalse();
    }

    [Fact]
    public async Task Every_kind_that_needs_no_death_verifies_with_the_published_key_and_carries_what_the_response_printed()
    {
        var (husband, wife, marriageId) = await CoupleAsync();
        var documents = new[]
        {
            ("birthCertificate", await IssueAsync(husband, "birthCertificate")),
            ("shenasnameh", await IssueAsync(wife, "shenasnameh")),
            ("marriageCertificate", await IssueAsync(husband, "marriageCertificate", marriageId)),
        };
        var keys = await KeysAsync();
        var issuer = registry.Services.GetRequiredService<DocumentSettings>().Issuer;

        foreach (var (kind, document) in documents)
        {
            var verification = SpecVerifier.Verify(document.Str("qr"), keys, DateTimeOffset.UtcNow);
            verification.Verdict.Should().Be(Verdict.Valid, verification.Reason);
            verification.KeyId.Should().Be(document.Str("keyId")).And.Be(keys.Single(k => k.SignsUntil is null).Kid);
            var claims = verification.Claims!;
            claims.Issuer.Should().Be(issuer);
            claims.DocumentId.Should().Be(Guid.Parse(document.Str("documentId")));
            claims.Kind.Should().Be(kind);
            claims.IssuedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
            claims.Fields.Should().Equal(Printed(document));
        }
    }

    [Fact]
    public async Task The_seal_is_in_the_form_the_RFCs_prefer()
    {
        var (husband, _, _) = await CoupleAsync();
        var document = await IssueAsync(husband, "birthCertificate");
        var cose = CoseOf(document.Str("qr"));

        Convert.ToHexStringLower(Cbor.Encode(Cbor.Decode(cose))).Should().Be(Convert.ToHexStringLower(cose), "preferred serialization, RFC 8949 §4.1");
        var seal = CoseSign1.Read(cose);
        Cbor.Diagnostic(seal.Protected).Should().Be($"{{1: -7, 4: h'{Convert.ToHexStringLower(Encoding.UTF8.GetBytes(document.Str("keyId")))}'}}");
        Cbor.Diagnostic(seal.Unprotected).Should().Be("{}");
        var claims = (CborMap)Cbor.Decode(seal.Payload);
        claims.Entries.Select(e => Cbor.Diagnostic(e.Key)).Should().BeEquivalentTo(new[] { "1", "6", "7", "-70001", "-70002" });
        claims.Get(6).Should().BeOfType<CborInt>("iat is a NumericDate in whole seconds");
        ((CborBytes)claims.Get(7)!).Value.Should().Equal(Guid.Parse(document.Str("documentId")).ToByteArray(bigEndian: true));
    }

    [Fact]
    public async Task One_changed_byte_of_the_seal_is_never_valid()
    {
        var (husband, _, _) = await CoupleAsync();
        var document = await IssueAsync(husband, "birthCertificate");
        var keys = await KeysAsync();
        var cose = CoseOf(document.Str("qr"));
        SpecVerifier.Verify(Qr(cose), keys, DateTimeOffset.UtcNow).Verdict.Should().Be(Verdict.Valid, "re-encoding alone changes nothing signed");

        var verdicts = new List<Verdict>();
        for (var position = 0; position < cose.Length; position++)
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var verdict = SpecVerifier.Verify(Qr(Flipped(cose, position, mask)), keys, DateTimeOffset.UtcNow).Verdict;
                verdict.Should().NotBe(Verdict.Valid, $"byte {position} of {cose.Length} xor {mask:x2}");
                verdicts.Add(verdict);
            }
        verdicts.Should().Contain(Verdict.Invalid, "changes in the payload and the signature reach the signature check").And.Contain(Verdict.Unreadable);
        var seal = CoseSign1.Read(cose);
        var signatureAt = cose.Length - seal.Signature.Length;
        for (var position = signatureAt; position < cose.Length; position++)
            SpecVerifier.Verify(Qr(Flipped(cose, position)), keys, DateTimeOffset.UtcNow).Verdict.Should().Be(Verdict.Invalid);
    }

    [Fact]
    public async Task One_changed_Base45_character_is_never_valid()
    {
        var (husband, _, _) = await CoupleAsync();
        var qr = (await IssueAsync(husband, "birthCertificate")).Str("qr");
        var keys = await KeysAsync();
        var tried = 0;
        for (var position = 0; position < qr.Length; position++)
        {
            var index = Base45.Alphabet.IndexOf(qr[position]);
            // One step up or down the alphabet changes the group's number by an odd amount, so the low byte's first bit always
            // changes: the bits after DEFLATE's final block are read by no one, and a change there alone would leave the same seal.
            foreach (var step in new[] { -1, 1 })
            {
                if (index + step < 0 || index + step >= Base45.Alphabet.Length) continue;
                var changed = qr[..position] + Base45.Alphabet[index + step] + qr[(position + 1)..];
                SpecVerifier.Verify(changed, keys, DateTimeOffset.UtcNow).Verdict.Should().NotBe(Verdict.Valid, $"character {position} of {qr.Length} → {step}");
                tried++;
            }
        }
        tried.Should().BeGreaterThan(qr.Length);
        SpecVerifier.Verify(qr, keys, DateTimeOffset.UtcNow).Verdict.Should().Be(Verdict.Valid);
    }

    [Fact]
    public async Task A_key_id_not_in_the_key_list_is_refused_and_so_is_a_header_the_profile_does_not_allow()
    {
        var (husband, _, _) = await CoupleAsync();
        var qr = (await IssueAsync(husband, "birthCertificate")).Str("qr");
        var keys = await KeysAsync();
        var seal = CoseSign1.Read(CoseOf(qr));
        var key = keys.Single(k => k.Kid == seal.KeyId);

        SpecVerifier.Verify(qr, [], DateTimeOffset.UtcNow).Verdict.Should().Be(Verdict.UnknownKey);
        SpecVerifier.Verify(qr, [key with { Kid = key.Kid + "x" }], DateTimeOffset.UtcNow).Verdict.Should().Be(Verdict.UnknownKey);
        string WithProtected(params (long Label, CborItem Value)[] header) => Qr(Cbor.Encode(new CborTag(18, new CborArray([
            new CborBytes(Cbor.Encode(new CborMap(header.Select(h => new KeyValuePair<CborItem, CborItem>(new CborInt(h.Label), h.Value)).ToList()))),
            seal.Unprotected, new CborBytes(seal.Payload), new CborBytes(seal.Signature)]))));
        var otherKid = SpecVerifier.Verify(WithProtected((1, new CborInt(-7)), (4, new CborBytes("no-such-key"u8.ToArray()))), keys, DateTimeOffset.UtcNow);
        otherKid.Verdict.Should().Be(Verdict.UnknownKey);
        otherKid.KeyId.Should().Be("no-such-key");
        SpecVerifier.Verify(WithProtected((1, new CborInt(-7)), (4, new CborBytes(Encoding.UTF8.GetBytes(key.Kid)))), keys, DateTimeOffset.UtcNow)
            .Verdict.Should().Be(Verdict.Valid, "the same header, encoded the same way");
        SpecVerifier.Verify(WithProtected((1, new CborInt(-35)), (4, new CborBytes(Encoding.UTF8.GetBytes(key.Kid)))), keys, DateTimeOffset.UtcNow)
            .Verdict.Should().Be(Verdict.Unreadable, "ES384 is not the profile's algorithm");
        SpecVerifier.Verify(WithProtected((1, new CborInt(-7)), (4, new CborText(key.Kid))), keys, DateTimeOffset.UtcNow)
            .Verdict.Should().Be(Verdict.Unreadable, "a kid is a byte string (RFC 9052 §3.1)");
        SpecVerifier.Verify(WithProtected((1, new CborInt(-7))), keys, DateTimeOffset.UtcNow).Verdict.Should().Be(Verdict.Unreadable);
        SpecVerifier.Verify("VE2:" + qr[4..], keys, DateTimeOffset.UtcNow).Verdict.Should().Be(Verdict.Unreadable);
    }

    [Fact]
    public async Task After_a_rotation_each_document_verifies_with_its_own_key_only()
    {
        var (husband, _, _) = await CoupleAsync();
        var before = await IssueAsync(husband, "birthCertificate");
        var listed = (await KeysAsync()).Count;
        registry.Services.GetRequiredService<IDocumentKeyStore>().Rotate(DateTimeOffset.UtcNow);
        var after = await IssueAsync(husband, "shenasnameh");
        var keys = await KeysAsync();
        keys.Should().HaveCount(listed + 1);
        var oldKey = keys.Single(k => k.Kid == before.Str("keyId"));
        var newKey = keys.Single(k => k.Kid == after.Str("keyId"));
        oldKey.Kid.Should().NotBe(newKey.Kid);

        foreach (var (document, own, other) in new[] { (before, oldKey, newKey), (after, newKey, oldKey) })
        {
            var qr = document.Str("qr");
            var verification = SpecVerifier.Verify(qr, keys, DateTimeOffset.UtcNow);
            verification.Verdict.Should().Be(Verdict.Valid, verification.Reason);
            verification.Claims!.Fields.Should().Equal(Printed(document));
            SpecVerifier.Verify(qr, [other with { Kid = own.Kid, NotBefore = null, SignsUntil = null, VerifiesUntil = null }], DateTimeOffset.UtcNow)
                .Verdict.Should().Be(Verdict.Invalid);
            SpecVerifier.Verify(qr, [other], DateTimeOffset.UtcNow).Verdict.Should().Be(Verdict.UnknownKey);
        }
        SpecVerifier.Verify(before.Str("qr"), keys, oldKey.VerifiesUntil!.Value.AddSeconds(1)).Verdict.Should().Be(Verdict.Invalid, "a retired key verifies for a time");
    }

    private async Task<(string Husband, string Wife, string MarriageId)> CoupleAsync()
    {
        var husband = await _registrar.Born(Birth("کاوه", "محمدی‌نیا", "male", "1370/05/01"));
        var wife = await _registrar.Born(Birth("پریسا", "کاظمی", "female", "1372/02/01"));
        var marriage = await _registrar.PostOk("/api/marriages", Marriage(husband, wife, "1400/06/01"));
        return (husband, wife, marriage.Str("marriageId"));
    }

    private async Task<JsonNode> IssueAsync(string code, string kind, string? marriageId = null) =>
        await _registrar.PostOk($"/api/persons/{code}/documents", new { kind, marriageId });

    private async Task<IReadOnlyList<Jwk>> KeysAsync()
    {
        var response = await _public.GetAsync("/.well-known/document-keys");
        response.EnsureSuccessStatusCode();
        return SpecVerifier.ReadJwks(await response.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, string> Printed(JsonNode document)
    {
        var fields = document["fields"]!.AsArray().ToDictionary(f => f!.Str("name"), f => f!.Str("value"));
        fields.Add("serialNumber", document.Str("serialNumber"));
        return fields;
    }

    private static byte[] CoseOf(string qr) => ZLib.Inflate(Base45.Decode(qr[SpecVerifier.Prefix.Length..]));

    private static string Qr(byte[] cose) => SpecVerifier.Prefix + Base45.Encode(Compress(cose));

    private static byte[] Compress(byte[] data, CompressionLevel level = CompressionLevel.SmallestSize)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, level)) zlib.Write(data);
        return output.ToArray();
    }

    private static byte[] Flipped(byte[] data, int position, byte mask = 0x01)
    {
        var copy = data.ToArray();
        copy[position] ^= mask;
        return copy;
    }
}
