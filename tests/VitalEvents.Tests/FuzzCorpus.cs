using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VitalEvents.Tests;

/// <summary>One operation of the OpenAPI document: method, path template, its parameters and the schema of its JSON body.</summary>
public sealed record FuzzOperation(string Method, string Path, IReadOnlyList<FuzzParameter> Parameters, string? BodySchema, bool Secured)
{
    public override string ToString() => $"{Method} {Path}";

    public IEnumerable<FuzzParameter> In(string location) => Parameters.Where(p => p.In == location);

    /// <summary>Reads every operation under /api.</summary>
    public static IReadOnlyList<FuzzOperation> AllIn(JsonNode document)
    {
        var operations = new List<FuzzOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "get" or "head" or "post" or "put" or "patch" or "delete"))
            {
                var parameters = (operation!["parameters"]?.AsArray() ?? []).Select(p => new FuzzParameter(
                    p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["schema"]?["type"]?.GetValue<string>(),
                    p["schema"]?["format"]?.GetValue<string>(),
                    p["schema"]?["enum"]?.AsArray().Select(e => e!.GetValue<string>()).ToList() ?? [])).ToList();
                var reference = operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
                operations.Add(new FuzzOperation(method.ToUpperInvariant(), path, parameters, reference?.Split('/')[^1],
                    operation["security"] is JsonArray { Count: > 0 }));
            }
        return operations;
    }
}

public sealed record FuzzParameter(string Name, string In, string? Type, string? Format, IReadOnlyList<string> Enum);

/// <summary>One request to send: what it was made from, and everything needed to send it.</summary>
public sealed record FuzzRequest(FuzzOperation Operation, string Mutation, string Url, byte[]? Body, string? ContentType,
    IReadOnlyList<(string Name, string Value)> Headers, string? Role);

/// <summary>
/// The ids and codes of the records set up before fuzzing, which baselines use and path mutations start from. Births and foetal
/// deaths name a mother who has died, so a mutation that still parses is refused by a rule rather than recorded: a record that
/// grew with every accepted mutation would make every later request about it slower.
/// </summary>
public sealed record FuzzFixture(
    string Mother, string Father, string Child, string Bride, string Groom, string Corrected, string Dying, string Deceased, string Unregistered,
    Guid MarriageId, Guid CorrectionId, Guid HoldId, Guid SubscriptionId);

/// <summary>
/// Builds the bad requests from the OpenAPI document: for each operation a valid baseline (body, path and query), then the
/// baseline with one thing broken — the whole body, one property of it (at any depth), one path or query parameter, one
/// header, or the content type. Deterministic: the same document and fixture give the same requests.
/// </summary>
public sealed class FuzzCorpus(JsonNode document, FuzzFixture fixture, int seed)
{
    private readonly Random _random = new(seed);
    private readonly JsonObject _schemas = document["components"]!["schemas"]!.AsObject();

    private const string Placeholder = "\"@@fuzz-value@@\"";
    private static readonly string Long = new('ب', 10_000);

    public IEnumerable<FuzzRequest> For(FuzzOperation operation, IReadOnlyList<string?> roles)
    {
        // HEAD runs GET's handler: where there are many, every other of its mutations is enough.
        var mutations = Mutations(operation).ToList();
        if (operation.Method == "HEAD" && mutations.Count >= 160) mutations = mutations.Where((_, i) => i % 2 == 0).ToList();
        foreach (var (mutation, url, body, contentType, headers) in mutations)
        {
            // About one request in ten goes without a token; the rest with one of the roles the operation admits, chosen by the seed.
            var role = _random.Next(10) == 0 ? null : roles[_random.Next(roles.Count)];
            yield return new FuzzRequest(operation, mutation, url, body, contentType, headers, role);
        }
    }

    private IEnumerable<(string, string, byte[]?, string?, IReadOnlyList<(string, string)>)> Mutations(FuzzOperation op)
    {
        var path = PathValues(op);
        var query = BaselineQuery(op);
        var body = op.BodySchema is { } schema ? Baseline(schema) : null;
        var bodyText = body?.ToJsonString();
        var json = "application/json";
        string Url(IReadOnlyDictionary<string, string>? pathValues = null, string? queryText = null) =>
            Build(op.Path, pathValues ?? path) + (queryText ?? query);
        byte[]? Bytes(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);
        IReadOnlyList<(string, string)> none = [];

        // The body as a whole.
        if (bodyText is not null)
        {
            yield return ("body: missing", Url(), null, null, none);
            yield return ("body: missing, content type json", Url(), null, json, none);
            foreach (var (name, text) in WholeBodies(bodyText)) yield return ($"body: {name}", Url(), Bytes(text), json, none);
            yield return ("body: invalid UTF-8", Url(), [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], json, none);
            yield return ("body: UTF-8 BOM", Url(), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(bodyText)], json, none);
            yield return ("body: NUL byte", Url(), [.. Encoding.UTF8.GetBytes(bodyText[..1]), 0x00, .. Encoding.UTF8.GetBytes(bodyText[1..])], json, none);
            yield return ("body: UTF-16 declared", Url(), Encoding.Unicode.GetBytes(bodyText), "application/json; charset=utf-16", none);
            yield return ("body: UTF-16 sent as UTF-8", Url(), Encoding.Unicode.GetBytes(bodyText), json, none);
            foreach (var contentType in ContentTypes) yield return ($"content type: {contentType ?? "none"}", Url(), Bytes(bodyText), contentType, none);
            foreach (var (property, value) in PropertyMutations(body!, op.BodySchema!))
                yield return ($"body: {property}", Url(), Bytes(value), json, none);
        }
        else
        {
            foreach (var (name, text) in new[] { ("unexpected JSON", "{\"unexpected\":true}"), ("unexpected invalid JSON", "{\"a\":"), ("unexpected null", "null") })
                yield return ($"body: {name}", Url(), Bytes(text), json, none);
            yield return ("body: unexpected text", Url(), Bytes("hello"), "text/plain", none);
            yield return ("body: unexpected 1 MB", Url(), Bytes(new string('x', 1 << 20)), "application/octet-stream", none);
        }

        // Path parameters.
        foreach (var parameter in op.In("path"))
            foreach (var (name, value) in PathMutations(parameter, path[parameter.Name]))
                yield return ($"path {parameter.Name}: {name}", Url(new Dictionary<string, string>(path) { [parameter.Name] = value }), Bytes(bodyText),
                    bodyText is null ? null : json, none);

        // Query parameters, and one the operation does not know.
        foreach (var parameter in op.In("query").Append(new FuzzParameter("unknownParameter", "query", null, null, [])))
            foreach (var (name, value) in QueryMutations(parameter))
                yield return ($"query {parameter.Name}: {name}", Url(queryText: WithQuery(query, parameter.Name, value)), Bytes(bodyText),
                    bodyText is null ? null : json, none);

        // Headers.
        foreach (var (header, name, value) in HeaderMutations())
            yield return ($"header {header}: {name}", Url(), Bytes(bodyText), bodyText is null ? null : json, [(header, value)]);
    }

    private static readonly string?[] ContentTypes =
    [
        null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=iso-8859-1",
        "application/json-patch+json", "application/merge-patch+json", "*/*", "application/json; charset=\"", "application", "application/problem+json",
    ];

    private static IEnumerable<(string, string)> WholeBodies(string baseline)
    {
        yield return ("empty", "");
        yield return ("whitespace", "   \n ");
        yield return ("null", "null");
        yield return ("[]", "[]");
        yield return ("[baseline]", $"[{baseline}]");
        yield return ("\"x\"", "\"x\"");
        yield return ("42", "42");
        yield return ("true", "true");
        yield return ("{}", "{}");
        yield return ("invalid JSON", "{\"a\":");
        yield return ("single quotes", "{'givenName':'x'}");
        yield return ("trailing comma", baseline[..^1] + ",}");
        yield return ("comment", "/* c */" + baseline);
        yield return ("trailing garbage", baseline + "x");
        yield return ("two objects", baseline + baseline);
        yield return ("truncated at half", baseline[..(baseline.Length / 2)]);
        yield return ("truncated by one", baseline[..^1]);
        yield return ("1 MB string", $"\"{new string('x', 1 << 20)}\"");
        yield return ("1 MB unknown property", baseline[..^1] + $",\"padding\":\"{new string('x', 1 << 20)}\"}}");
        yield return ("10,000 unknown properties", baseline[..^1] + string.Concat(Enumerable.Range(0, 10_000).Select(i => $",\"p{i}\":{i}")) + "}");
        yield return ("deep array nesting", new string('[', 10_000) + new string(']', 10_000));
        yield return ("deep object nesting", string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000));
        yield return ("deep nesting in a property", baseline[..^1] + ",\"nested\":" + new string('[', 200) + new string(']', 200) + "}");
        yield return ("unknown properties", baseline[..^1] + ",\"unknownProperty\":1,\"__proto__\":{\"admin\":true},\"$type\":\"System.Object\"}");
        yield return ("NUL escaped as a property name", baseline[..^1] + ",\"a\\u0000b\":1}");
        yield return ("lone surrogate as a property name", baseline[..^1] + ",\"\\ud800\":1}");
    }

    /// <summary>Each property (at any depth, in arrays their first element) removed or set to a bad value.</summary>
    private IEnumerable<(string, string)> PropertyMutations(JsonObject baseline, string schema)
    {
        foreach (var (pointer, property) in Properties(schema))
        {
            var name = string.Join('.', pointer.Select(p => p is int i ? $"[{i}]" : (string)p)).Replace(".[", "[", StringComparison.Ordinal);
            yield return ($"{name} removed", Without(baseline, pointer));
            foreach (var (mutation, raw) in ValueMutations(pointer.OfType<string>().Last(), property, Current(baseline, pointer)))
                yield return ($"{name} = {mutation}", With(baseline, pointer, raw));
            if (property["enum"] is JsonArray values && values.Count > 0)
            {
                var first = values[0]!.GetValue<string>();
                foreach (var (mutation, raw) in new[] { ("unknown enum", "\"unknown\""), ("enum upper case", Quote(first.ToUpperInvariant())),
                    ("enum with spaces", Quote($" {first} ")), ("enum with ZWNJ", Quote(first + "\u200c")), ("enum index", "0") })
                    yield return ($"{name} = {mutation}", With(baseline, pointer, raw));
            }
        }
        yield return ("duplicate property", baseline.ToJsonString()[..^1] + "," + baseline.First().Key.Quoted() + ":null}");
    }

    /// <summary>Every property the schema names, recursively, as a path from the body's root, with its schema.</summary>
    private IEnumerable<(object[] Pointer, JsonObject Schema)> Properties(string schema, int depth = 0)
    {
        if (depth > 4 || _schemas[schema]?["properties"] is not JsonObject properties) yield break;
        foreach (var (name, node) in properties)
        {
            var property = node!.AsObject();
            yield return ([name], property);
            var isArray = property["items"] is not null || Types(property).Contains("array");
            var inner = Reference(property) ?? (property["items"] is JsonObject items ? Reference(items) : null);
            if (inner is null)
            {
                // An array of plain values: its first element too.
                if (isArray) yield return ([name, 0], property["items"] as JsonObject ?? new JsonObject { ["type"] = "string" });
                continue;
            }
            foreach (var (pointer, nested) in Properties(inner, depth + 1))
                yield return (isArray ? [name, 0, .. pointer] : [name, .. pointer], nested);
        }
    }

    private static string? Reference(JsonObject schema) =>
        (schema["$ref"] ?? schema["oneOf"]?.AsArray().Select(o => o?["$ref"]).FirstOrDefault(r => r is not null))?.GetValue<string>().Split('/')[^1];

    private static IReadOnlyList<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray a => a.Select(t => t!.GetValue<string>()).ToList(),
        JsonValue v => [v.GetValue<string>()],
        _ => [],
    };

    /// <summary>
    /// Bad values for one property, as raw JSON text: wrong types, hostile text, extreme numbers, and what its name suggests. A
    /// property of one type gets a few values of each other type (they all fail alike) and every value of its own.
    /// </summary>
    private IEnumerable<(string, string)> ValueMutations(string name, JsonObject schema, JsonNode? current)
    {
        var types = Types(schema);
        var untyped = types.Count == 0 && Reference(schema) is null;
        var textual = untyped || types.Contains("string");
        var numeric = untyped || types.Contains("integer") || types.Contains("number");
        yield return ("null", "null");
        yield return ("bool", "true");
        yield return ("array", "[]");
        yield return ("array of strings", "[\"x\",\"y\"]");
        yield return ("object", "{}");
        yield return ("object with a property", "{\"a\":\"b\"}");
        yield return ("string", "\"x\"");
        yield return ("number", "1");
        yield return ("huge integer", "123456789012345678901234567890");
        if (textual)
        {
            yield return ("empty string", "\"\"");
            yield return ("whitespace", "\" \\t \"");
            yield return ("10,000 characters", Quote(Long));
            yield return ("U+0000", "\"a\\u0000b\"");
            yield return ("raw U+FFFE", Raw("a\uFFFEb"));
            yield return ("U+FFFF", "\"a\\uffffb\"");
            yield return ("U+FDD0", "\"a\\ufdd0b\"");
            yield return ("U+1FFFE", "\"a\\ud83f\\udffeb\"");
            yield return ("lone high surrogate \\ud800", "\"a\\ud800b\"");
            yield return ("lone low surrogate \\udc00", "\"\\udc00\"");
            yield return ("control characters", "\"a\\u0001\\u001b[31mb\\u007f\"");
            yield return ("C1 control", "\"a\\u0085b\\u009b\"");
            yield return ("raw control character", "\"a\u0001b\"");
            yield return ("line breaks", "\"a\\r\\nb\"");
            yield return ("RTL override", Raw("\u202Eعلی\u202C"));
            yield return ("zero-width marks", Raw("\u200B\u200C\u200D\u200E\u200F\u2066x\u2069\uFEFF"));
            yield return ("only zero-width marks", Raw("\u200C\u200D\u200F"));
            yield return ("Persian digits", Quote("۱۴۰۴/۰۱/۰۱"));
            yield return ("Arabic-Indic digits", Quote("١٤٠٤/٠١/٠١"));
            yield return ("emoji", Quote("😀👨‍👩‍👧"));
            yield return ("combining marks", Quote("ا" + new string('\u0651', 50)));
        }
        if (numeric)
        {
            yield return ("Persian digit number", Quote("۱۲۳"));
            yield return ("numeric string", "\"2147483648\"");
            yield return ("int32 max", "2147483647");
            yield return ("int32 min", "-2147483648");
            yield return ("int32 max + 1", "2147483648");
            yield return ("2^53", "9007199254740992");
            yield return ("negative", "-1");
            yield return ("zero", "0");
            yield return ("negative zero", "-0");
            yield return ("fraction", "1.5");
            yield return ("exponent", "1e3");
            yield return ("beyond double", "1e400");
        }
        if (current is JsonValue value && value.TryGetValue<string>(out var text))
        {
            yield return ("value padded", Quote($"  {text}  "));
            yield return ("value with NUL", Raw(text)[..^1] + "\\u0000\"");
            yield return ("value twice", Quote(text + text));
        }
        if (name.Contains("NationalCode", StringComparison.OrdinalIgnoreCase) || name == "nationalCode")
            foreach (var (mutation, code) in NationalCodes(current is JsonValue v && v.TryGetValue<string>(out var c) && c.Length == 10 ? c : fixture.Mother))
                yield return (mutation, Quote(code));
        if (name.Contains("date", StringComparison.OrdinalIgnoreCase) || name.Contains("Ends", StringComparison.Ordinal) || name is "time" or "from")
            foreach (var date in Dates) yield return ($"date {date}", Quote(date));
        if (name.Contains("office", StringComparison.OrdinalIgnoreCase))
            foreach (var office in new[] { "000", "999", "01", "0001", "۰۰۱", "00 1", "1e2" }) yield return ($"office {office}", Quote(office));
        if (name.Contains("Time", StringComparison.Ordinal))
            foreach (var time in new[] { "24:00", "23:60", "9:5", "۱۰:۳۰", "10:30:00", "-1:00", "10.30" }) yield return ($"time {time}", Quote(time));
        if (name.Contains("url", StringComparison.OrdinalIgnoreCase))
            foreach (var url in new[] { "file:///etc/passwd", "javascript:alert(1)", "http://", "ftp://x", "http://[::1", "/relative", "http://exa mple" })
                yield return ($"url {url}", Quote(url));
        if (name.Contains("Icd10", StringComparison.OrdinalIgnoreCase))
            foreach (var code in new[] { "I21.99999", "1I2", "i21.9", "I2", "I21.", "I21..9" }) yield return ($"ICD-10 {code}", Quote(code));
        if (name.Contains("Id", StringComparison.Ordinal) && !name.Contains("Icd", StringComparison.Ordinal))
            foreach (var (mutation, id) in Ids(Guid.TryParse((current as JsonValue)?.ToString(), out var g) ? g : fixture.MarriageId))
                yield return (mutation, Quote(id));
    }

    private static readonly string[] Dates =
    [
        "0001-01-01", "9999-12-31", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1/1/1", "9999/01/01", "0000/00/00", "1404/13/01",
        "1404/12/30", "2025-02-29", "-0001-01-01", "14040101", "2025-03-21T10:00:00Z", "۱۴۰۴/۱۲/۳۰", "2147483647-01-01",
    ];

    private static IEnumerable<(string, string)> NationalCodes(string valid)
    {
        yield return ("code too short", "123");
        yield return ("code of 9 digits", valid[..9]);
        yield return ("code of 11 digits", valid + "0");
        yield return ("code with wrong check digit", valid[..9] + (char)('0' + (valid[9] - '0' + 1) % 10));
        yield return ("code all zeros", "0000000000");
        yield return ("code all ones", "1111111111");
        yield return ("code all nines", "9999999999");
        yield return ("code in Persian digits", PersianDigits(valid));
        yield return ("code in Arabic-Indic digits", string.Concat(valid.Select(c => (char)('\u0660' + (c - '0')))));
        yield return ("code with dashes", $"{valid[..3]}-{valid[3..9]}-{valid[9]}");
        yield return ("code with letters", "abcdefghij");
        yield return ("code with ZWNJ", valid[..5] + "\u200c" + valid[5..]);
        yield return ("code as full-width digits", string.Concat(valid.Select(c => (char)('\uFF10' + (c - '0')))));
    }

    private static IEnumerable<(string, string)> Ids(Guid existing)
    {
        var text = existing.ToString();
        yield return ("id not a guid", "not-an-id");
        yield return ("id empty guid", Guid.Empty.ToString());
        yield return ("id unknown guid", "3f2504e0-4f89-41d3-9a0c-0305e82c3301");
        yield return ("id with one character changed", text[..^1] + (text[^1] == 'a' ? 'b' : 'a'));
        yield return ("id truncated", text[..^2]);
        yield return ("id with braces", "{" + text + "}");
        yield return ("id in Persian digits", PersianDigits(text));
    }

    private static string PersianDigits(string text) => string.Concat(text.Select(c => c is >= '0' and <= '9' ? (char)('۰' + (c - '0')) : c));

    /// <summary>Bad path segments, percent-encoded as they are sent.</summary>
    private IEnumerable<(string, string)> PathMutations(FuzzParameter parameter, string current)
    {
        var raw = Uri.UnescapeDataString(current);
        IEnumerable<(string, string)> specific = parameter switch
        {
            { Format: "uuid" } => Ids(Guid.Parse(raw)).Append(("id upper case", raw.ToUpperInvariant())).Append(("id without dashes", raw.Replace("-", "")))
                .Append(("id of another kind", fixture.SubscriptionId == Guid.Parse(raw) ? fixture.CorrectionId.ToString() : fixture.SubscriptionId.ToString())),
            { Type: "integer" } => [("-1", "-1"), ("0", "0"), ("int64 max", long.MaxValue.ToString(CultureInfo.InvariantCulture)), ("int64 max + 1", "9223372036854775808"),
                ("fraction", "1.5"), ("letters", "x"), ("Persian digit", "۱"), ("exponent", "1e3"), ("hex", "0x10")],
            _ => NationalCodes(raw.Length == 10 ? raw : fixture.Mother).Append(("unregistered code", fixture.Unregistered)),
        };
        foreach (var (name, value) in specific) yield return (name, Uri.EscapeDataString(value));
        yield return ("%00", "%00");
        yield return ("value then %00", current + "%00");
        yield return ("U+FFFE", "%EF%BF%BE");
        yield return ("encoded lone surrogate", "%ED%A0%80");
        yield return ("invalid UTF-8", "%C3%28");
        yield return ("%FF", "%FF");
        yield return ("space", "%20");
        yield return ("value padded", "%20" + current + "%20");
        yield return ("line feed after", current + "%0A");
        yield return ("encoded slash", current + "%2Fx");
        yield return ("dot dot", "..");
        yield return ("very long", new string('1', 10_000));
        yield return ("very long Persian", Uri.EscapeDataString(new string('۱', 2_000)));
        yield return ("RTL override", Uri.EscapeDataString("\u202E" + raw));
        yield return ("percent", "%");
        yield return ("semicolon", current + ";x=1");
    }

    /// <summary>Bad values for one query parameter, percent-encoded as they are sent (null: the parameter twice).</summary>
    private static IEnumerable<(string, string?)> QueryMutations(FuzzParameter parameter)
    {
        foreach (var value in QueryValues) yield return (value.Length > 40 ? $"{value.Length} characters" : value, Uri.EscapeDataString(value));
        foreach (var (name, encoded) in new[] { ("%00", "%00"), ("U+FFFE", "%EF%BF%BE"), ("encoded lone surrogate", "%ED%A0%80"), ("invalid UTF-8", "%C3%28"),
            ("control character", "%01"), ("percent", "%") })
            yield return (name, encoded);
        foreach (var value in parameter.Enum.Take(1)) yield return ($"enum upper case", Uri.EscapeDataString(value.ToUpperInvariant()));
        yield return ("given twice", null);
    }

    private static readonly string[] QueryValues =
    [
        "2147483647", "2147483648", "-2147483649", "99999999999999999999", "9223372036854775808", "-1", "0", "1.5", "۱۲", "x", "", " ",
        new string('ا', 10_000), "0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1/1/1", "9999/01/01", "1404/13/40",
        "2025-03-21T25:61:00Z", "۱۴۰۴/۰۱/۰۱", "unknown", "\u202Ex", ",,,", "death_registered.v2,unknown", "' or 1=1 --",
    ];

    private static IEnumerable<(string, string, string)> HeaderMutations()
    {
        foreach (var value in new[] { "garbage", "\"1", "W/\"1\"", "\"1\", garbage", new string('a', 1000), "\"ä\"", "", "\"-1\"", "\"99999999999999999999\"" })
            yield return ("If-Match", Shown(value), value);
        foreach (var value in new[] { "garbage", "*", new string('a', 1000), "\"ä\"" })
            yield return ("If-None-Match", Shown(value), value);
        foreach (var value in new[] { new string('k', 1000), "کلید-فازی", "a b", "k\u0001" })
            yield return ("Idempotency-Key", Shown(value), value);
        foreach (var value in new[] { new string('c', 1000), "همبستگی", "c\u0001" })
            yield return ("X-Correlation-Id", Shown(value), value);
        foreach (var value in new[] { "مقصود", new string('p', 10_000) })
            yield return ("X-Purpose", Shown(value), value);
        foreach (var value in new[] { "application/xml", "text/html" })
            yield return ("Accept", value, value);
        foreach (var value in new[] { "-1", "99999999999999999999" })
            yield return ("Last-Event-ID", value, value);
    }

    private static string Shown(string value) => value.Length > 40 ? $"{value.Length} characters" : value;

    /// <summary>The query string with one parameter set (percent-encoded value; null: given twice).</summary>
    private static string WithQuery(string query, string name, string? value)
    {
        var pairs = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal)).ToList();
        if (value is null) pairs.AddRange([$"{name}=1", $"{name}=2"]);
        else pairs.Add($"{name}={value}");
        return "?" + string.Join('&', pairs);
    }

    private static string Build(string template, IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(template, (path, p) => path.Replace("{" + p.Key + "}", p.Value, StringComparison.Ordinal));

    /// <summary>The path values a valid request uses: records that exist.</summary>
    private Dictionary<string, string> PathValues(FuzzOperation op) => op.In("path").ToDictionary(p => p.Name, p => p.Name switch
    {
        "nationalCode" when op.Path.EndsWith("/guardian", StringComparison.Ordinal) => fixture.Child,
        "nationalCode" => fixture.Corrected,
        "marriageId" => fixture.MarriageId.ToString(),
        "holdId" => fixture.HoldId.ToString(),
        "correctionId" => fixture.CorrectionId.ToString(),
        "sequence" => "1",
        "id" when op.Path.StartsWith("/api/births/held", StringComparison.Ordinal) => fixture.HoldId.ToString(),
        "id" when op.Path.StartsWith("/api/corrections", StringComparison.Ordinal) => fixture.CorrectionId.ToString(),
        "id" when op.Path.StartsWith("/api/subscriptions", StringComparison.Ordinal) => fixture.SubscriptionId.ToString(),
        _ => p.Format == "uuid" ? "5c6f1a1e-0000-4000-8000-000000000001" : "1",
    });

    /// <summary>What a valid query of the operation carries (a search needs a name, the access log a person).</summary>
    public string BaselineQuery(FuzzOperation op) => op.Path switch
    {
        "/api/persons" => "?givenName=" + Uri.EscapeDataString("سارا"),
        "/api/access-log" => "?nationalCode=" + fixture.Corrected,
        "/api/feed" or "/api/feed/stream" => "?after=0",
        "/api/persons/{nationalCode}/diff" => "?from=0",
        _ => "",
    };

    /// <summary>A valid body for a request schema (built from the schema for one this corpus does not know).</summary>
    public JsonObject Baseline(string schema)
    {
        var place = new JsonObject { ["province"] = "تهران", ["county"] = "تهران", ["city"] = "تهران" };
        return schema switch
        {
            "RegisterBirthRequest" => new JsonObject
            {
                ["givenName"] = "کیان", ["familyName"] = "فازی", ["sex"] = "male", ["birthDate"] = "1403/05/01", ["birthPlace"] = place,
                ["officeCode"] = "001", ["motherNationalCode"] = fixture.Deceased, ["fatherNationalCode"] = fixture.Father, ["birthTime"] = "10:30",
                ["multipleBirthOrder"] = 1, ["motherName"] = null, ["fatherName"] = null,
                ["evidence"] = new JsonObject
                {
                    ["kind"] = "witnesses", ["reference"] = "W-FUZZ-1",
                    ["witnesses"] = new JsonArray(new JsonObject { ["nationalCode"] = fixture.Groom, ["name"] = "حسین" },
                        new JsonObject { ["nationalCode"] = fixture.Bride, ["name"] = "فاطمه" }),
                },
            },
            "RegisterMarriageRequest" => new JsonObject
            {
                ["husbandNationalCode"] = fixture.Groom, ["wifeNationalCode"] = fixture.Bride, ["date"] = "1402/01/01", ["kind"] = "permanent",
                ["officeCode"] = "001", ["termEnds"] = null, ["courtAuthorisationReference"] = null, ["courtPermissionReference"] = null,
            },
            "RegisterDivorceRequest" => new JsonObject
            {
                ["marriageId"] = fixture.MarriageId.ToString(), ["date"] = "1403/01/01", ["kind"] = "irrevocable", ["officeCode"] = "001",
                ["waitingPeriodEnds"] = null,
            },
            "RegisterDeathRequest" => new JsonObject
            {
                ["nationalCode"] = fixture.Dying, ["date"] = "1404/01/01", ["place"] = place, ["officeCode"] = "001", ["causeIcd10"] = "I21.9",
                ["causesIcd10"] = null, ["certifier"] = "دکتر احمدی",
            },
            "RegisterFoetalDeathRequest" => new JsonObject
            {
                ["motherNationalCode"] = fixture.Deceased, ["date"] = "1403/02/01", ["gestationWeeks"] = 30, ["place"] = place, ["officeCode"] = "001",
                ["sex"] = "female", ["causeIcd10"] = "P95", ["certifier"] = "دکتر احمدی", ["fatherNationalCode"] = fixture.Father,
            },
            "AppointGuardianRequest" => new JsonObject
            {
                ["guardianNationalCode"] = fixture.Groom, ["date"] = "1404/01/01", ["authority"] = "court", ["decisionReference"] = "GC-FUZZ-1", ["officeCode"] = "001",
            },
            "RequestCorrectionRequest" => new JsonObject
            {
                ["field"] = "familyName", ["newValue"] = "فازی‌نو", ["authority"] = "board", ["decisionReference"] = "HE-FUZZ-1", ["reason"] = "Transcription error.",
            },
            "RejectRequest" => new JsonObject { ["reason"] = "Not supported by the documents." },
            "WaiveMarriageTermRequest" => new JsonObject { ["date"] = "1403/06/01", ["officeCode"] = "001", ["waitingPeriodEnds"] = null },
            "ResumeMarriageRequest" => new JsonObject { ["date"] = "1403/06/01", ["officeCode"] = "001" },
            "AnnulMarriageRequest" => new JsonObject
            {
                ["date"] = "1403/06/01", ["grounds"] = "Fraud.", ["decisionReference"] = "AN-FUZZ-1", ["officeCode"] = "001", ["waitingPeriodEnds"] = null,
            },
            "CreateSubscriptionRequest" => new JsonObject
            {
                ["name"] = "Fuzz", ["url"] = "http://127.0.0.1:9/hook", ["secret"] = "a-long-shared-secret-value", ["scope"] = "full",
                ["types"] = new JsonArray("birth_registered.v1"), ["provinces"] = new JsonArray("tehran"), ["from"] = "0",
            },
            "RewindRequest" => new JsonObject { ["cursor"] = 0, ["time"] = null },
            "VerificationRequest" => new JsonObject
            {
                ["nationalCode"] = fixture.Mother, ["purpose"] = "account-opening", ["birthDate"] = "1360/01/01", ["givenName"] = "مریم",
                ["familyName"] = "کاظمی", ["fatherName"] = null,
            },
            "FileCitizenRequestRequest" => new JsonObject
            {
                ["field"] = "givenName", ["newValue"] = "مریما", ["reason"] = "Transcription error.", ["evidence"] = new JsonArray("EV-FUZZ-1"),
            },
            "DeclineCitizenRequestRequest" => new JsonObject { ["reason"] = "No evidence attached." },
            "SealAccessEntryRequest" => new JsonObject { ["reason"] = "Investigation FUZZ-1.", ["until"] = DateTimeOffset.UtcNow.AddDays(10).ToString("O") },
            _ => FromSchema(schema, 0)!.AsObject(),
        };
    }

    private JsonNode? FromSchema(string schema, int depth)
    {
        var body = new JsonObject();
        if (depth > 4 || _schemas[schema]?["properties"] is not JsonObject properties) return body;
        foreach (var (name, node) in properties)
        {
            var property = node!.AsObject();
            body[name] = Reference(property) is { } inner ? FromSchema(inner, depth + 1)
                : property["enum"] is JsonArray values ? values[0]!.DeepClone()
                : Types(property).FirstOrDefault(t => t != "null") switch
                {
                    "integer" or "number" => 1,
                    "boolean" => true,
                    "array" => new JsonArray(),
                    "object" => new JsonObject(),
                    _ => "x",
                };
        }
        return body;
    }

    private static JsonNode? Current(JsonObject root, object[] pointer)
    {
        JsonNode? node = root;
        foreach (var step in pointer) node = step is int i ? node is JsonArray a && a.Count > i ? a[i] : null : node?[(string)step];
        return node;
    }

    private static string Without(JsonObject root, object[] pointer)
    {
        var copy = root.DeepClone().AsObject();
        switch (Parent(copy, pointer), pointer[^1])
        {
            case (JsonObject o, string name):
                o.Remove(name);
                break;
            case (JsonArray a, int i) when a.Count > i:
                a.RemoveAt(i);
                break;
        }
        return copy.ToJsonString();
    }

    private static string With(JsonObject root, object[] pointer, string raw)
    {
        var copy = root.DeepClone().AsObject();
        switch (Parent(copy, pointer), pointer[^1])
        {
            case (JsonObject o, string name):
                o[name] = "@@fuzz-value@@";
                break;
            case (JsonArray a, int i):
                while (a.Count <= i) a.Add(null);
                a[i] = "@@fuzz-value@@";
                break;
        }
        return copy.ToJsonString(Unescaped).Replace(Placeholder, raw, StringComparison.Ordinal);
    }

    /// <summary>The object that holds the pointer's last step, made on the way where the baseline lacks it.</summary>
    private static JsonNode? Parent(JsonObject root, object[] pointer)
    {
        JsonNode? node = root;
        for (var k = 0; k < pointer.Length - 1; k++)
        {
            JsonNode Made() => pointer[k + 1] is int ? new JsonArray() : new JsonObject();
            switch (pointer[k], node)
            {
                case (int i, JsonArray array):
                    while (array.Count <= i) array.Add(Made());
                    node = array[i] ??= Made();
                    break;
                case (string name, JsonObject o):
                    node = o[name] ??= Made();
                    break;
                default:
                    return null;
            }
        }
        return node;
    }

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quote(string text) => JsonSerializer.Serialize(text, Unescaped);

    /// <summary>A JSON string holding the text exactly as it is, unescaped (the text has no quote, backslash or control character).</summary>
    private static string Raw(string text) => $"\"{text}\"";

}

internal static class FuzzText
{
    public static string Quoted(this string text) => JsonSerializer.Serialize(text);
}
