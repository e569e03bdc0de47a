using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using VitalEvents.Audit;
using VitalEvents.Domain;
using VitalEvents.Feeds;
using VitalEvents.Http;
using VitalEvents.Storage;

namespace VitalEvents.Api;

/// <summary>
/// The OpenAPI document at /openapi/v1.json, complete enough to generate a typed client: bearer security on every operation
/// that needs a token, the problem answers each can give (one ProblemDetails schema), the headers of the HTTP conventions,
/// the closed vocabularies as enums, required and nullable exactly as the registry reads and writes, and the feed's
/// CloudEvents typed by event type.
/// </summary>
public static class OpenApiSetup
{
    private const string Problem = "ProblemDetails";
    private const string FieldErrorSchema = "FieldError";
    private const string CloudEvent = "CloudEvent";
    private const string ProblemJson = "application/problem+json";
    private const string EventStream = "text/event-stream";
    // ASP.NET Core's own marks on a schema before it becomes a component: its id, and that the property holding it may be null
    // (the property's $ref is then wrapped in oneOf [null, $ref], the component itself staying non-null).
    private const string SchemaIdMark = "x-schema-id";
    private const string NullablePropertyMark = "x-is-nullable-property";

    public static void AddRegistryOpenApi(this WebApplicationBuilder builder) => builder.Services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer(DescribeDocumentAsync);
        o.AddOperationTransformer(DescribeOperationAsync);
        o.AddSchemaTransformer(DescribeSchema);
        // An anonymous answer (the development issuer's JWKS) is described where it is used, not as a component named after its fields.
        o.CreateSchemaReferenceId = type => type.Type.IsDefined(typeof(CompilerGeneratedAttribute), false) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
    });

    private static async Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "VitalEvents", Version = "v1",
            Description = "National civil-status registry, event-sourced. Errors are RFC 9457 problem details with a stable code; every write takes " +
                          "Idempotency-Key; reads answer with an ETag and honour If-None-Match.",
        };
        foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
            Description = "A JWT from the registry's OpenID Connect authority (in Development, `vitalevents token`).",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[FieldErrorSchema] = Object(new()
        {
            ["field"] = Text("The field, in the request's JSON notation (birthPlace.city, evidence.witnesses[0].name)."),
            ["code"] = Text("A stable code, such as field.required or validation.invalidText."),
            ["message"] = Text("What is wrong, for a person."),
        });
        document.Components.Schemas[Problem] = Object(new()
        {
            ["type"] = Text("A URI naming the kind of problem."),
            ["title"] = Text("The problem's code."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = Text("What happened, for a person."),
            ["instance"] = Text("The request's path."),
            ["code"] = Text("The stable code a client can act on, such as person.notFound or marriage.wifeAlreadyMarried."),
            ["correlationId"] = Text("The request's correlation id (X-Correlation-Id)."),
            ["errors"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(FieldErrorSchema, document) },
            ["currentVersion"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int64" },
        }, "type", "title", "status", "detail", "instance", "code", "correlationId");
        await DescribeFeedAsync(document, context, ct);
    }

    /// <summary>Each event type's data, and the CloudEvent envelope for each, as one union told apart by <c>type</c>.</summary>
    private static async Task DescribeFeedAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        var envelopes = new List<IOpenApiSchema>();
        var mapping = new Dictionary<string, OpenApiSchemaReference>();
        foreach (var (eventType, storedName) in EventNames.All.OrderBy(e => e.Value, StringComparer.Ordinal))
        {
            var data = await context.GetOrCreateSchemaAsync(eventType, null, ct);
            if (data is OpenApiSchema concrete) concrete.Required = new HashSet<string>();   // a scope may withhold any field
            var dataName = $"{eventType.Name}Data";
            document.Components!.Schemas![dataName] = data;
            var envelopeName = $"{eventType.Name}CloudEvent";
            document.Components.Schemas[envelopeName] = Object(new()
            {
                ["specversion"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("1.0")] },
                ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "The event's stable id: de-duplicate on it." },
                ["source"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(storedName)] },
                ["subject"] = Text("The person's national code (absent in the statistics scope)."),
                ["time"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
                ["datacontenttype"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("application/json")] },
                ["sequence"] = Text("The event's place in the global order, zero-padded to 20 digits."),
                ["province"] = Text("The slug of the recording office's province."),
                ["data"] = new OpenApiSchemaReference(dataName, document),
            }, "specversion", "id", "source", "type", "time", "datacontenttype", "sequence", "data");
            envelopes.Add(new OpenApiSchemaReference(envelopeName, document));
            mapping[storedName] = new OpenApiSchemaReference(envelopeName, document);
        }
        document.Components!.Schemas![CloudEvent] = new OpenApiSchema
        {
            OneOf = envelopes,
            Discriminator = new OpenApiDiscriminator { PropertyName = "type", Mapping = mapping },
            Description = "A recorded event as CloudEvents 1.0 JSON; type is its stored name with its version.",
        };
        if (document.Components.Schemas.TryGetValue(nameof(FeedResponse), out var feed) && feed is OpenApiSchema page && page.Properties is { } properties)
            properties["events"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(CloudEvent, document) };
    }

    private static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var write = metadata.OfType<WriteEndpoint>().LastOrDefault();
        var conditional = metadata.OfType<ConditionalRead>().Any();
        var limited = !metadata.OfType<DisableRateLimitingAttribute>().Any();
        operation.Parameters ??= [];
        operation.Responses ??= new OpenApiResponses();
        if (operation.RequestBody is OpenApiRequestBody { Content: { } bodies } body)
        {
            // Bodies are bound as nullable only so that a missing one is answered with a problem; every write needs one.
            body.Required = true;
            foreach (var media in bodies.Values)
                if (media.Schema is OpenApiSchema { OneOf: { Count: 2 } choices } && choices.FirstOrDefault(c => c is not OpenApiSchema { Type: JsonSchemaType.Null }) is { } real)
                    media.Schema = real;
        }

        if (secured)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
            AddProblem(operation, document, StatusCodes.Status401Unauthorized, "No valid bearer token (auth.unauthenticated).");
            AddProblem(operation, document, StatusCodes.Status403Forbidden, "The token's roles or office do not allow this.");
        }
        else
        {
            operation.Security = [];   // said outright: no token needed
        }
        foreach (var parameter in context.Description.ParameterDescriptions)
            if (parameter.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: { } info }
                && info.GetCustomAttribute<OneOfAttribute>() is { } oneOf
                && operation.Parameters.FirstOrDefault(p => p.Name == parameter.Name) is OpenApiParameter { Schema: OpenApiSchema schema })
                schema.Enum = [.. oneOf.Values.Select(v => (JsonNode)JsonValue.Create(v))];

        operation.Parameters.Add(Header(RequestContextMiddleware.CorrelationHeader, "A correlation id to carry through the registry (printable ASCII, ≤ 100); one is made when absent."));
        AddProblem(operation, document, StatusCodes.Status400BadRequest, "The request is malformed or a field is invalid (validation.failed lists each field).");
        if (context.Description.RelativePath?.Contains('{') == true)
            AddProblem(operation, document, StatusCodes.Status404NotFound, "What the path names does not exist.");
        if (write is not null)
        {
            operation.Parameters.Add(Header(RequestContextMiddleware.IdempotencyKeyHeader,
                "Send the same key again to get the first answer back; nothing is recorded twice. Keys are kept for 24 hours by default."));
            if (write.HonoursIfMatch)
            {
                operation.Parameters.Add(Header("If-Match", "The subject record's entity tag (or *): the write is refused with 412 unless it is current."));
                AddProblem(operation, document, StatusCodes.Status412PreconditionFailed, "If-Match does not name the record's current version.");
            }
            AddProblem(operation, document, StatusCodes.Status409Conflict, "A rule of the law or the registry refuses it, or a concurrent change won.");
            AddProblem(operation, document, StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was used for a different request.");
            foreach (var (status, response) in operation.Responses.Where(r => r.Key.StartsWith('2')))
                if (response is OpenApiResponse concrete)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    if (status is "201" or "202") concrete.Headers["Location"] = ResponseHeader("Where the recorded thing can be read.");
                    concrete.Headers[RequestContextMiddleware.ReplayedHeader] = ResponseHeader("true when this is the answer first given for the Idempotency-Key.");
                    concrete.Headers[ConsistencyToken.Header] = ResponseHeader(
                        "Where the registry reads from standbys: the primary's log position after this write; send it with a read to see the write.");
                }
        }
        else if (HttpMethods.IsGet(context.Description.HttpMethod ?? ""))
            operation.Parameters.Add(Header(ConsistencyToken.Header,
                "The Consistency-Token a write of yours answered with: a read that may be served by a standby waits until it has that write."));
        if (conditional)
        {
            operation.Parameters.Add(Header("If-None-Match", "Entity tags (or *) of representations you hold: 304 when one is current."));
            var etag = ResponseHeader("A strong entity tag of this representation (for a person's record, it starts with the version).");
            operation.Responses["304"] = new OpenApiResponse
            {
                Description = "Not modified: the representation you hold is current.",
                Headers = new Dictionary<string, IOpenApiHeader> { ["ETag"] = etag },
            };
            if (operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse okResponse)
            {
                okResponse.Headers ??= new Dictionary<string, IOpenApiHeader>();
                okResponse.Headers["ETag"] = etag;
            }
        }
        if (operation.Responses.TryGetValue("200", out var success) && success.Content?.ContainsKey(EventStream) == true)
            operation.Parameters.Add(Header("Last-Event-ID", "The id of the last event received: the stream resumes after it (instead of after)."));
        if (metadata.OfType<RecordedReadEndpoint>().Any())
            operation.Parameters.Add(Header(AccessLogHeaders.Purpose, "Why the data is read; kept in the access log."));
        if (limited) AddProblem(operation, document, StatusCodes.Status429TooManyRequests, "Too many requests from you; Retry-After says when to try again.", retryAfter: true);
        AddProblem(operation, document, StatusCodes.Status503ServiceUnavailable, "The database cannot be reached (database.unavailable); Retry-After says when to try again.", retryAfter: true);
        if (HttpMethods.IsHead(context.Description.HttpMethod ?? ""))
        {
            // HEAD shares its GET's endpoint: the same answers, headers only, under an operation id of its own.
            operation.OperationId += "Head";
            foreach (var response in operation.Responses.Values.OfType<OpenApiResponse>()) response.Content = null;
        }
        return Task.CompletedTask;
    }

    private static Task DescribeSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        // Strings are read through CheckedStringConverter, which hides their type from the schema exporter: give it back
        // (to properties, array items, parameters and bodies alike).
        if (context.JsonTypeInfo.Type == typeof(string)) schema.Type = (schema.Type ?? 0) | JsonSchemaType.String;
        if (context.JsonTypeInfo is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } element } && element == typeof(string)) schema.Items ??= new OpenApiSchema { Type = JsonSchemaType.String };
        // A feed position is read from a JSON number or a string (a cursor or an instant); the exporter says only "any value".
        if (context.JsonPropertyInfo is { } position && Nullable.GetUnderlyingType(position.PropertyType) == typeof(System.Text.Json.JsonElement))
        {
            schema.OneOf = [new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" }, new OpenApiSchema { Type = JsonSchemaType.String },
                new OpenApiSchema { Type = JsonSchemaType.Null }];
            schema.Description ??= "A feed cursor (a whole number, as a number or a string) or an instant (ISO 8601, or a date meaning its end in Tehran).";
            return Task.CompletedTask;
        }
        // The registry writes every property of an answer, null or not (also of an answer first met as another's property).
        if (schema.Properties is { Count: > 0 } properties && !IsRequest(context.JsonTypeInfo.Type))
            schema.Required = new HashSet<string>(properties.Keys);
        if (context.JsonPropertyInfo is { } property)
        {
            var request = IsRequest(property.DeclaringType);
            // A field a request must carry is never null; an answer's field is null only where its type says so.
            var nullable = request ? property.AssociatedParameter is not { HasDefaultValue: false } && property.IsSetNullable : property.IsGetNullable;
            if (schema.Metadata?.TryGetValue(SchemaIdMark, out var id) == true && id is string { Length: > 0 })
                // A type that becomes a component is shared by every property of that type, so null belongs to this reference to it,
                // and only to an object's: the other kind of component here, JsonNode, is any JSON value, null included.
                schema.Metadata[NullablePropertyMark] = nullable && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object;
            else if (schema.Type is { } type)
                schema.Type = nullable ? type | JsonSchemaType.Null : type & ~JsonSchemaType.Null;
            if (property.AttributeProvider?.GetCustomAttributes(typeof(OneOfAttribute), true).OfType<OneOfAttribute>().FirstOrDefault() is { } oneOf)
                schema.Enum = [.. oneOf.Values.Select(v => (JsonNode)JsonValue.Create(v)), .. nullable ? [null!] : Array.Empty<JsonNode>()];
        }
        else if (context.ParameterDescription is not null && schema.Type is { } type)
        {
            // A parameter is absent or has a value: it is never null.
            schema.Type = type & ~JsonSchemaType.Null;
        }
        return Task.CompletedTask;
    }

    private static bool IsRequest(Type type) => type.Name.EndsWith("Request", StringComparison.Ordinal) || type.Name.EndsWith("Input", StringComparison.Ordinal);

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, int status, string description, bool retryAfter = false)
    {
        var key = status.ToString();
        if (operation.Responses!.ContainsKey(key)) return;
        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = new OpenApiSchemaReference(Problem, document) } },
        };
        if (retryAfter)
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            };
        operation.Responses[key] = response;
    }

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Header, Required = false, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiHeader ResponseHeader(string description) => new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Object(Dictionary<string, IOpenApiSchema> properties, params string[] required) => new()
    {
        Type = JsonSchemaType.Object, Properties = properties, Required = new HashSet<string>(required),
    };
}
