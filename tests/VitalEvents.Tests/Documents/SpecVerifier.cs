using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VitalEvents.Tests.Documents.Spec;

/// <summary>
/// A reader of the registry's document QR payloads written from the specifications alone, independent of the issuing code:
/// <c>VE1:</c> + Base45 (RFC 9285) of zlib (RFC 1950) of a COSE_Sign1 (RFC 9052, ES256) over a CWT claims set (RFC 8392).
/// </summary>
public static class SpecVerifier
{
    public const string Prefix = "VE1:";
    public const long Es256 = -7;
    private const long AlgLabel = 1, KidLabel = 4;

    public static SpecVerification Verify(string qr, IReadOnlyList<Jwk> keys, DateTimeOffset now)
    {
        CoseSign1 cose;
        try
        {
            cose = CoseSign1.Read(ZLib.Inflate(Base45.Decode(qr.StartsWith(Prefix, StringComparison.Ordinal) ? qr[Prefix.Length..]
                : throw new FormatException($"the payload does not start with {Prefix}"))));
            // The profile: the algorithm and the key id are both protected, so neither can be swapped.
            if (cose.Protected.Get(AlgLabel) is not CborInt { Value: Es256 }) throw new FormatException("the protected header's alg is not ES256 (-7)");
            if (cose.Protected.Get(KidLabel) is not CborBytes) throw new FormatException("the protected header has no kid byte string");
        }
        catch (FormatException e)
        {
            return new SpecVerification(Verdict.Unreadable, e.Message, null, null);
        }
        var keyId = cose.KeyId!;
        if (keys.FirstOrDefault(k => k.Kid == keyId) is not { } key) return new SpecVerification(Verdict.UnknownKey, $"no key {keyId} in the key list", null, keyId);
        if (!cose.VerifySignature(key.X, key.Y)) return new SpecVerification(Verdict.Invalid, "the signature does not verify", null, keyId);

        DocumentClaims claims;
        try
        {
            claims = DocumentClaims.Read(cose.Payload);
        }
        catch (FormatException e)
        {
            return new SpecVerification(Verdict.Unreadable, "signed, but " + e.Message, null, keyId);
        }
        // NumericDate has whole seconds (RFC 8392 §2), the key list's instants finer ones.
        if (key.NotBefore is { } from && claims.IssuedAt < from.AddTicks(-(from.Ticks % TimeSpan.TicksPerSecond)) || claims.IssuedAt > key.SignsUntil)
            return new SpecVerification(Verdict.Invalid, $"issued at {claims.IssuedAt:O}, outside the signing period of key {keyId}", null, keyId);
        if (now > key.VerifiesUntil) return new SpecVerification(Verdict.Invalid, $"key {keyId} no longer verifies", null, keyId);
        return new SpecVerification(Verdict.Valid, null, claims, keyId);
    }

    public static IReadOnlyList<Jwk> ReadJwks(string json)
    {
        using var document = JsonDocument.Parse(json);
        var keys = new List<Jwk>();
        foreach (var jwk in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            if (jwk.GetProperty("kty").GetString() != "EC" || jwk.GetProperty("crv").GetString() != "P-256") continue;
            DateTimeOffset? Instant(string name) => jwk.TryGetProperty(name, out var value) ? value.GetDateTimeOffset() : null;
            keys.Add(new Jwk(jwk.GetProperty("kid").GetString()!, Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()),
                Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()), Instant("notBefore"), Instant("signsUntil"), Instant("verifiesUntil")));
        }
        return keys;
    }
}

public enum Verdict { Valid, Invalid, UnknownKey, Unreadable }

public sealed record SpecVerification(Verdict Verdict, string? Reason, DocumentClaims? Claims, string? KeyId);

public sealed record Jwk(string Kid, byte[] X, byte[] Y, DateTimeOffset? NotBefore = null, DateTimeOffset? SignsUntil = null, DateTimeOffset? VerifiesUntil = null);

public sealed record DocumentClaims(string Issuer, DateTimeOffset IssuedAt, Guid DocumentId, string Kind, IReadOnlyDictionary<string, string> Fields)
{
    public static DocumentClaims Read(byte[] payload)
    {
        if (Cbor.Decode(payload) is not CborMap claims) throw new FormatException("the payload is not a CWT claims set (a map, RFC 8392 §7.1)");
        if (claims.Entries.Any(e => e.Key is not (CborInt or CborText))) throw new FormatException("a claim key is neither an integer nor a text (RFC 8392 §3)");
        var issuer = claims.Get(1) is CborText iss ? iss.Value : throw new FormatException("no iss text claim (1)");
        var issuedAt = claims.Get(6) switch
        {
            CborInt iat => DateTimeOffset.FromUnixTimeSeconds(iat.Value),
            CborFloat iat when double.IsFinite(iat.Value) => DateTimeOffset.UnixEpoch.AddSeconds(iat.Value),
            _ => throw new FormatException("no iat NumericDate claim (6)"),
        };
        var id = claims.Get(7) is CborBytes { Value.Length: 16 } cti ? new Guid(cti.Value, bigEndian: true) : throw new FormatException("no 16-byte cti claim (7)");
        var kind = claims.Get(-70001) is CborText k ? k.Value : throw new FormatException("no kind text claim (-70001)");
        if (claims.Get(-70002) is not CborMap map) throw new FormatException("no fields map claim (-70002)");
        var fields = new Dictionary<string, string>();
        foreach (var (key, value) in map.Entries)
            fields.Add(key is CborText name ? name.Value : throw new FormatException("a field name is not a text"),
                value is CborText text ? text.Value : throw new FormatException("a field value is not a text"));
        return new DocumentClaims(issuer, issuedAt, id, kind, fields);
    }
}

/// <summary>COSE_Sign1 (RFC 9052 §4.2): tag 18 around [protected bstr, unprotected map, payload bstr, signature bstr].</summary>
public sealed record CoseSign1(byte[] ProtectedBytes, CborMap Protected, CborMap Unprotected, byte[] Payload, byte[] Signature)
{
    public string? KeyId => Protected.Get(4) is CborBytes kid ? Encoding.UTF8.GetString(kid.Value) : null;

    public static CoseSign1 Read(byte[] data)
    {
        if (Cbor.Decode(data) is not CborTag { Number: 18, Content: CborArray { Items: [CborBytes body, CborMap unprotected, CborBytes payload, CborBytes signature] } })
            throw new FormatException("not a tagged COSE_Sign1: 18([bstr, map, bstr, bstr])");
        // A zero-length bstr stands for an empty protected map (RFC 9052 §3).
        var protectedMap = body.Value.Length == 0 ? new CborMap([])
            : Cbor.Decode(body.Value) as CborMap ?? throw new FormatException("the protected header is not a map");
        if (protectedMap.Entries.Any(p => unprotected.Entries.Any(u => Cbor.Encode(u.Key).SequenceEqual(Cbor.Encode(p.Key)))))
            throw new FormatException("a header label is both protected and unprotected (RFC 9052 §3)");
        if (protectedMap.Get(2) is not null || unprotected.Get(2) is not null) throw new FormatException("crit headers are not understood (RFC 9052 §3.1)");
        if (protectedMap.Get(4) is CborBytes kid && !System.Text.Unicode.Utf8.IsValid(kid.Value)) throw new FormatException("the kid is not UTF-8");
        if (signature.Value.Length != 64) throw new FormatException("an ES256 signature is 64 bytes, r || s (RFC 9053 §2.1)");
        return new CoseSign1(body.Value, protectedMap, unprotected, payload.Value, signature.Value);
    }

    /// <summary>Sig_structure = ["Signature1", body_protected, external_aad, payload] (RFC 9052 §4.4), external_aad empty.</summary>
    public byte[] ToBeSigned() =>
        Cbor.Encode(new CborArray([new CborText("Signature1"), new CborBytes(ProtectedBytes), new CborBytes([]), new CborBytes(Payload)]));

    public bool VerifySignature(byte[] x, byte[] y)
    {
        if (x.Length != 32 || y.Length != 32) return false;
        try
        {
            using var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
            return ec.VerifyData(ToBeSigned(), Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>Base45 (RFC 9285 §4): two bytes as three digits of base 45, least significant first; a last byte as two.</summary>
public static class Base45
{
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder((data.Length + 1) / 2 * 3);
        for (var i = 0; i < data.Length; i += 2)
        {
            var n = i + 1 < data.Length ? data[i] * 256 + data[i + 1] : data[i];
            var digits = i + 1 < data.Length ? 3 : 2;
            for (var d = 0; d < digits; d++, n /= 45) text.Append(Alphabet[n % 45]);
        }
        return text.ToString();
    }

    public static byte[] Decode(string text)
    {
        if (text.Length % 3 == 1) throw new FormatException("a Base45 text's length is never 1 more than a multiple of 3");
        var data = new List<byte>(text.Length / 3 * 2 + 1);
        for (var i = 0; i < text.Length; i += 3)
        {
            var digits = Math.Min(3, text.Length - i);
            int n = 0, weight = 1;
            for (var d = 0; d < digits; d++, weight *= 45)
            {
                var value = Alphabet.IndexOf(text[i + d]);
                if (value < 0) throw new FormatException($"'{text[i + d]}' is not in the Base45 alphabet");
                n += value * weight;
            }
            // RFC 9285 §6: a triple above 65535 or a pair above 255 is invalid, not wrapped.
            if (digits == 3 && n > 0xFFFF || digits == 2 && n > 0xFF) throw new FormatException($"Base45 group {text.Substring(i, digits)} is {n}, too large");
            if (digits == 3) data.Add((byte)(n >> 8));
            data.Add((byte)n);
        }
        return [.. data];
    }
}

/// <summary>The zlib format (RFC 1950 §2.2): CMF, FLG, DEFLATE data (RFC 1951), and the Adler-32 of the data, big-endian.</summary>
public static class ZLib
{
    private const int MaxInflated = 64 * 1024;

    public static byte[] Inflate(byte[] data)
    {
        if (data.Length < 6) throw new FormatException("too short for a zlib stream");
        int cmf = data[0], flg = data[1];
        if ((cmf & 0x0F) != 8) throw new FormatException($"compression method {cmf & 0x0F}, not deflate (8)");
        if (cmf >> 4 > 7) throw new FormatException($"CINFO {cmf >> 4} is above 7 (a window above 32K)");
        if ((cmf * 256 + flg) % 31 != 0) throw new FormatException("FCHECK: CMF*256 + FLG is not a multiple of 31");
        if ((flg & 0x20) != 0) throw new FormatException("FDICT is set, and no preset dictionary is agreed");
        // DEFLATE is read here too, not by DeflateStream: that stream reports no error when the data stops before the final
        // block's end-of-block code, so a damaged end would pass unseen.
        var inflated = Inflater.Inflate(data, 2, data.Length - 4, MaxInflated);
        if (BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(data.Length - 4)) != Adler32(inflated)) throw new FormatException("the Adler-32 trailer does not match");
        return inflated;
    }

    /// <summary>RFC 1950 §8.2: two sums modulo 65521, s2 in the high half.</summary>
    public static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint s1 = 1, s2 = 0;
        foreach (var b in data)
        {
            s1 = (s1 + b) % 65521;
            s2 = (s2 + s1) % 65521;
        }
        return s2 << 16 | s1;
    }
}

/// <summary>
/// DEFLATE (RFC 1951 §3.2): stored, fixed and dynamic Huffman blocks, ending with the final block's end-of-block code exactly at
/// the end of the data it is given (the bits after it in its last byte are unused).
/// </summary>
public sealed class Inflater
{
    private static readonly int[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    private static readonly int[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly int[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577];
    private static readonly int[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    private static readonly int[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    private readonly byte[] _data;
    private readonly int _end;
    private readonly int _limit;
    private readonly List<byte> _output = [];
    private int _position, _bits, _bitCount;

    private Inflater(byte[] data, int start, int end, int limit) => (_data, _position, _end, _limit) = (data, start, end, limit);

    public static byte[] Inflate(byte[] data, int start, int end, int limit)
    {
        var inflater = new Inflater(data, start, end, limit);
        bool final;
        do
        {
            final = inflater.Bits(1) == 1;
            switch (inflater.Bits(2))
            {
                case 0: inflater.Stored(); break;
                case 1: inflater.Codes(Fixed.Lengths, Fixed.Distances); break;
                case 2: inflater.Dynamic(); break;
                default: throw new FormatException("DEFLATE block type 3 is reserved");
            }
        }
        while (!final);
        if (inflater._position != end) throw new FormatException($"{end - inflater._position} bytes between the end of the DEFLATE data and the trailer");
        return [.. inflater._output];
    }

    private int Bits(int count)
    {
        long value = _bits;
        while (_bitCount < count)
        {
            if (_position == _end) throw new FormatException("the DEFLATE data ends before its final block does");
            value |= (long)_data[_position++] << _bitCount;
            _bitCount += 8;
        }
        _bits = (int)(value >> count);
        _bitCount -= count;
        return (int)(value & ((1L << count) - 1));
    }

    private void Stored()
    {
        (_bits, _bitCount) = (0, 0);
        if (_end - _position < 4) throw new FormatException("a stored block ends inside its length");
        int length = _data[_position] | _data[_position + 1] << 8, complement = _data[_position + 2] | _data[_position + 3] << 8;
        _position += 4;
        if (length != (~complement & 0xFFFF)) throw new FormatException("a stored block's NLEN is not the complement of LEN");
        if (_end - _position < length) throw new FormatException("a stored block ends early");
        for (var i = 0; i < length; i++) Emit(_data[_position++]);
    }

    private void Dynamic()
    {
        int literals = Bits(5) + 257, distances = Bits(5) + 1, codeLengths = Bits(4) + 4;
        if (literals > 286 || distances > 30) throw new FormatException("too many DEFLATE codes");
        var lengths = new int[19];
        for (var i = 0; i < codeLengths; i++) lengths[CodeLengthOrder[i]] = Bits(3);
        var lengthCode = Huffman.Build(lengths, complete: true);
        lengths = new int[literals + distances];
        for (var i = 0; i < lengths.Length;)
        {
            var symbol = Decode(lengthCode);
            if (symbol < 16)
            {
                lengths[i++] = symbol;
                continue;
            }
            var (value, repeat) = symbol switch
            {
                16 when i > 0 => (lengths[i - 1], 3 + Bits(2)),
                16 => throw new FormatException("a repeat of no previous length"),
                17 => (0, 3 + Bits(3)),
                _ => (0, 11 + Bits(7)),
            };
            if (i + repeat > lengths.Length) throw new FormatException("code lengths beyond the codes");
            for (; repeat > 0; repeat--) lengths[i++] = value;
        }
        if (lengths[256] == 0) throw new FormatException("no end-of-block code");
        Codes(Huffman.Build(lengths[..literals], complete: false), Huffman.Build(lengths[literals..], complete: false));
    }

    private void Codes(Huffman lengthCode, Huffman distanceCode)
    {
        for (int symbol; (symbol = Decode(lengthCode)) != 256;)
        {
            if (symbol < 256)
            {
                Emit((byte)symbol);
                continue;
            }
            symbol -= 257;
            if (symbol >= 29) throw new FormatException("a length code beyond 285");
            var length = LengthBase[symbol] + Bits(LengthExtra[symbol]);
            var distanceSymbol = Decode(distanceCode);
            if (distanceSymbol >= 30) throw new FormatException("a distance code beyond 29");
            var distance = DistanceBase[distanceSymbol] + Bits(DistanceExtra[distanceSymbol]);
            if (distance > _output.Count) throw new FormatException("a distance back before the start");
            for (var i = 0; i < length; i++) Emit(_output[^distance]);
        }
    }

    private void Emit(byte value)
    {
        if (_output.Count == _limit) throw new FormatException("inflates to more than a document holds");
        _output.Add(value);
    }

    /// <summary>Canonical codes read a bit at a time (RFC 1951 §3.2.2): the codes of a length follow those one bit shorter.</summary>
    private int Decode(Huffman code)
    {
        int value = 0, first = 0, index = 0;
        for (var length = 1; length <= 15; length++)
        {
            value |= Bits(1);
            var count = code.Counts[length];
            if (value - first < count) return code.Symbols[index + value - first];
            index += count;
            first = (first + count) << 1;
            value <<= 1;
        }
        throw new FormatException("a Huffman code that is not in the table");
    }

    private sealed record Huffman(int[] Counts, int[] Symbols)
    {
        public static Huffman Build(int[] lengths, bool complete)
        {
            var counts = new int[16];
            foreach (var length in lengths) counts[length]++;
            var left = 1;
            for (var length = 1; length <= 15; length++)
            {
                left = (left << 1) - counts[length];
                if (left < 0) throw new FormatException("an over-subscribed Huffman code");
            }
            // As zlib: an incomplete literal or distance code only when its codes are one bit long (one code), or it has none.
            if (left > 0 && (complete || lengths.Max() > 1)) throw new FormatException("an incomplete Huffman code");
            var offsets = new int[16];
            for (var length = 1; length < 15; length++) offsets[length + 1] = offsets[length] + counts[length];
            var symbols = new int[lengths.Length];
            for (var symbol = 0; symbol < lengths.Length; symbol++)
                if (lengths[symbol] != 0) symbols[offsets[lengths[symbol]]++] = symbol;
            return new Huffman(counts, symbols);
        }
    }

    private static class Fixed
    {
        public static readonly Huffman Lengths = Huffman.Build([.. Enumerable.Repeat(8, 144), .. Enumerable.Repeat(9, 112), .. Enumerable.Repeat(7, 24),
            .. Enumerable.Repeat(8, 8)], complete: true);
        public static readonly Huffman Distances = Huffman.Build([.. Enumerable.Repeat(5, 32)], complete: true);
    }
}

/// <summary>CBOR data items (RFC 8949 §3): integers in the range of a long, definite lengths only.</summary>
public abstract record CborItem;
public sealed record CborInt(long Value) : CborItem;
public sealed record CborBytes(byte[] Value) : CborItem;
public sealed record CborText(string Value) : CborItem;
public sealed record CborArray(IReadOnlyList<CborItem> Items) : CborItem;
public sealed record CborTag(ulong Number, CborItem Content) : CborItem;
public sealed record CborSimple(byte Value) : CborItem;
public sealed record CborFloat(double Value) : CborItem;

public sealed record CborMap(IReadOnlyList<KeyValuePair<CborItem, CborItem>> Entries) : CborItem
{
    public CborItem? Get(long label) => Entries.FirstOrDefault(e => e.Key is CborInt i && i.Value == label).Value;
}

public static class Cbor
{
    private const int MaxDepth = 16;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Exactly one data item, nothing after it.</summary>
    public static CborItem Decode(byte[] data)
    {
        var position = 0;
        var item = Read(data, ref position, 0);
        if (position != data.Length) throw new FormatException($"{data.Length - position} bytes after the CBOR data item");
        return item;
    }

    private static CborItem Read(byte[] data, ref int position, int depth)
    {
        if (depth > MaxDepth) throw new FormatException("CBOR nested too deep");
        var initial = Take(data, ref position, 1)[0];
        int major = initial >> 5, info = initial & 0x1F;
        if (info == 31) throw new FormatException("indefinite lengths are not read here");
        if (info is >= 28 and <= 30) throw new FormatException($"additional information {info} is reserved (RFC 8949 §3)");
        if (major == 7) return Simple(data, ref position, info);
        var argument = info < 24 ? (ulong)info : Take(data, ref position, 1 << (info - 24)) switch
        {
            { Length: 1 } one => one[0],
            { Length: 2 } two => BinaryPrimitives.ReadUInt16BigEndian(two),
            { Length: 4 } four => BinaryPrimitives.ReadUInt32BigEndian(four),
            var eight => BinaryPrimitives.ReadUInt64BigEndian(eight),
        };
        var remaining = (ulong)(data.Length - position);
        switch (major)
        {
            case 0 or 1:
                if (argument > long.MaxValue) throw new FormatException("an integer beyond the range this reader keeps");
                return new CborInt(major == 0 ? (long)argument : -1 - (long)argument);
            case 2 or 3:
                if (argument > remaining) throw new FormatException("a string longer than the data left");
                var bytes = Take(data, ref position, (int)argument);
                if (major == 2) return new CborBytes(bytes);
                try
                {
                    return new CborText(StrictUtf8.GetString(bytes));
                }
                catch (DecoderFallbackException)
                {
                    throw new FormatException("a text string that is not UTF-8 (RFC 8949 §3.1)");
                }
            case 4:
                if (argument > remaining) throw new FormatException("an array longer than the data left");
                var items = new List<CborItem>((int)argument);
                for (var i = 0UL; i < argument; i++) items.Add(Read(data, ref position, depth + 1));
                return new CborArray(items);
            case 5:
                if (argument > remaining / 2) throw new FormatException("a map longer than the data left");
                var entries = new List<KeyValuePair<CborItem, CborItem>>((int)argument);
                var seen = new HashSet<string>();
                for (var i = 0UL; i < argument; i++)
                {
                    var key = Read(data, ref position, depth + 1);
                    // RFC 8949 §5.6: a map with a key twice is not valid; COSE (RFC 9052 §3) and CWT forbid it as well.
                    if (!seen.Add(Convert.ToHexString(Encode(key)))) throw new FormatException("a map key occurs twice");
                    entries.Add(new(key, Read(data, ref position, depth + 1)));
                }
                return new CborMap(entries);
            default:
                return new CborTag(argument, Read(data, ref position, depth + 1));
        }
    }

    private static CborItem Simple(byte[] data, ref int position, int info) => info switch
    {
        < 24 => new CborSimple((byte)info),
        // RFC 8949 §3.3: the two-byte form holds 32..255 only.
        24 => Take(data, ref position, 1)[0] is var value and >= 32 ? new CborSimple(value) : throw new FormatException("a two-byte simple value below 32"),
        25 => new CborFloat((double)BinaryPrimitives.ReadHalfBigEndian(Take(data, ref position, 2))),
        26 => new CborFloat(BinaryPrimitives.ReadSingleBigEndian(Take(data, ref position, 4))),
        _ => new CborFloat(BinaryPrimitives.ReadDoubleBigEndian(Take(data, ref position, 8))),
    };

    private static byte[] Take(byte[] data, ref int position, int count)
    {
        if (count > data.Length - position) throw new FormatException("the CBOR data ends inside an item");
        var taken = data[position..(position + count)];
        position += count;
        return taken;
    }

    /// <summary>
    /// Preferred serialization (RFC 8949 §4.1): definite lengths and each argument in its shortest form, which RFC 9052 §9
    /// requires of the Sig_structure; map entries keep their order.
    /// </summary>
    public static byte[] Encode(CborItem item)
    {
        var output = new List<byte>();
        Write(output, item);
        return [.. output];
    }

    private static void Write(List<byte> output, CborItem item)
    {
        switch (item)
        {
            case CborInt { Value: >= 0 } i: Head(output, 0, (ulong)i.Value); break;
            case CborInt i: Head(output, 1, (ulong)(-1 - i.Value)); break;
            case CborBytes b: Head(output, 2, (ulong)b.Value.Length); output.AddRange(b.Value); break;
            case CborText t:
                var utf8 = StrictUtf8.GetBytes(t.Value);
                Head(output, 3, (ulong)utf8.Length);
                output.AddRange(utf8);
                break;
            case CborArray a:
                Head(output, 4, (ulong)a.Items.Count);
                foreach (var element in a.Items) Write(output, element);
                break;
            case CborMap m:
                Head(output, 5, (ulong)m.Entries.Count);
                foreach (var (key, value) in m.Entries)
                {
                    Write(output, key);
                    Write(output, value);
                }
                break;
            case CborTag t: Head(output, 6, t.Number); Write(output, t.Content); break;
            case CborSimple s: Head(output, 7, s.Value); break;
            case CborFloat f when (double)(Half)f.Value == f.Value:
                output.Add(0xF9);
                output.AddRange(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(BitConverter.HalfToUInt16Bits((Half)f.Value))));
                break;
            case CborFloat f when (double)(float)f.Value == f.Value:
                output.Add(0xFA);
                output.AddRange(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToUInt32Bits((float)f.Value))));
                break;
            case CborFloat f:
                output.Add(0xFB);
                output.AddRange(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(BitConverter.DoubleToUInt64Bits(f.Value))));
                break;
            default: throw new ArgumentException($"cannot encode {item}");
        }
    }

    private static void Head(List<byte> output, int major, ulong argument)
    {
        var type = (byte)(major << 5);
        if (argument < 24) output.Add((byte)(type | (byte)argument));
        else if (argument <= byte.MaxValue) output.AddRange([(byte)(type | 24), (byte)argument]);
        else if (argument <= ushort.MaxValue) output.AddRange([(byte)(type | 25), .. BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness((ushort)argument))]);
        else if (argument <= uint.MaxValue) output.AddRange([(byte)(type | 26), .. BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness((uint)argument))]);
        else output.AddRange([(byte)(type | 27), .. BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(argument))]);
    }

    /// <summary>Diagnostic notation (RFC 8949 §8), as RFC 8949 Appendix A writes its examples.</summary>
    public static string Diagnostic(CborItem item) => item switch
    {
        CborInt i => i.Value.ToString(CultureInfo.InvariantCulture),
        CborBytes b => $"h'{Convert.ToHexStringLower(b.Value)}'",
        CborText t => JsonSerializer.Serialize(t.Value, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
        CborArray a => $"[{string.Join(", ", a.Items.Select(Diagnostic))}]",
        CborMap m => $"{{{string.Join(", ", m.Entries.Select(e => $"{Diagnostic(e.Key)}: {Diagnostic(e.Value)}"))}}}",
        CborTag t => $"{t.Number}({Diagnostic(t.Content)})",
        CborSimple { Value: 20 } => "false",
        CborSimple { Value: 21 } => "true",
        CborSimple { Value: 22 } => "null",
        CborSimple { Value: 23 } => "undefined",
        CborSimple s => $"simple({s.Value})",
        CborFloat f => f.Value.ToString("R", CultureInfo.InvariantCulture) is var r && r.Contains('.') ? r : r + ".0",
        _ => throw new ArgumentException($"no notation for {item}"),
    };
}
