using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using Task = System.Threading.Tasks.Task;

namespace VitalEvents.BirthNotifications;

/// <summary>
/// The registry's HL7 FHIR R4 interface (docs/fhir.md): a facility posts a birth as a document or message Bundle to
/// <c>/fhir/Bundle</c>; it is read into the same notification the JSON path sends, with the same rules, and every answer is a
/// FHIR OperationOutcome. Outside the OpenAPI document (its answers are not problem details): <c>/fhir/metadata</c> describes it.
/// </summary>
public static class NotifyBirthFhirEndpoint
{
    public const string MediaType = "application/fhir+json";
    public const string FhirVersion = "4.0.1";

    /// <summary>The system of the registry's refusal codes in <c>OperationOutcome.issue.details.coding</c>.</summary>
    public const string RefusalSystem = "https://sabteahval.ir/fhir/CodeSystem/refusal";

    /// <summary>A birth's bundle is a few kilobytes; anything near this is not one.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// NoOverflow: refused whenever an element cannot be read as the model types it (unknown elements, wrong JSON types, unknown
    /// codes, malformed primitives, JSON syntax); lapses that lose no data, such as an absent Composition.title, are the
    /// profile's to judge, not the parser's.
    /// </summary>
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.NoOverflow));

    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    public static void Map(IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup("/fhir").ExcludeFromDescription();
        fhir.MapPost("/Bundle", Notify).RequireAuthorization(Roles.NotifyPolicy).Writes();
        fhir.MapGet("/metadata", (TimeProvider clock) => Answer(StatusCodes.Status200OK, Capabilities(clock))).AllowAnonymous();
    }

    private static async Task<IResult> Notify(HttpContext http, IMediator mediator, RequestContext context, CancellationToken ct)
    {
        if (UnsupportedMedia(http.Request.ContentType) is { } media)
            return Refused(new Refusal(StatusCodes.Status415UnsupportedMediaType, "media.unsupported", media, []));
        FhirBirthBundle? read = null;
        try
        {
            var bundle = await ReadBundleAsync(http.Request, ct);
            read = FhirBirthBundle.Read(bundle);
            foreach (var (facility, at) in read.Facilities)
                if (facility != context.FacilityId)
                    throw new RuleViolationException(new RuleViolation("birthNotification.otherFacility",
                        $"The bundle's Location is facility '{facility}'; your token notifies births for {context.FacilityId ?? "no facility"}.",
                        ViolationKind.Forbidden, at));
            var birth = Validator.Parse(read.Request, (r, v) => r.Parse(v));
            var receipt = await mediator.Send(new NotifyBirthCommand(birth, NotifyBirthCommand.Fhir), ct);
            http.Response.Headers.Location = $"/api/birth-notifications/{receipt.NotificationId}";
            return Answer(StatusCodes.Status201Created, Accepted(receipt));
        }
        catch (Exception e) when (Refusal.Of(e) is { IsServerFault: false } refusal)
        {
            if (refusal.Status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
            return Refused(refusal, read);
        }
    }

    /// <summary>Why the body's media type is not one this endpoint reads (FHIR JSON for R4), or null when it is.</summary>
    private static string? UnsupportedMedia(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not ("application/fhir+json" or "application/json"))
            return $"Send the Bundle as {MediaType} (or application/json), not {(contentType is { Length: > 0 } ? contentType : "without a Content-Type")}.";
        if (media.Parameters.FirstOrDefault(p => p.Name.Equals("fhirVersion", StringComparison.OrdinalIgnoreCase))?.Value.Value is { } version
            && !version.Trim('"').StartsWith("4.0", StringComparison.Ordinal))
            return $"This endpoint reads FHIR R4 ({FhirVersion}), not fhirVersion {version}.";
        if (media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            return "FHIR JSON is UTF-8.";
        return null;
    }

    /// <summary>The body as a Bundle; a ValidationException listing what Firely's parser found, or naming the resource that is no Bundle.</summary>
    private static async Task<Bundle> ReadBundleAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) throw TooLarge();
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + n > MaxBodyBytes) throw TooLarge();
            body.Write(buffer, 0, n);
        }
        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.GetBuffer(), 0, (int)body.Length);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid("", "fhir.invalidJson", "The body is not UTF-8.");
        }
        if (json.Length == 0) throw Invalid("", "request.bodyRequired", "The request needs a FHIR Bundle as its body.");
        Resource? resource;
        IEnumerable<CodedException> issues;
        try
        {
            Deserializer.TryDeserializeResource(json, out resource, out issues);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            throw Invalid("", "fhir.invalidJson", "The body is not FHIR JSON.");
        }
        var errors = issues.Select(i => new FieldError(
            i is ExtendedCodedException { InstancePath: { Length: > 0 } path } ? path : "",
            "fhir.parse." + i.ErrorCode,
            i is ExtendedCodedException extended ? extended.BaseErrorMessage : i.Message)).ToList();
        if (errors.Count > 0) throw new ValidationException(errors);
        return resource as Bundle
            ?? throw Invalid("", "fhir.notBundle", $"POST /fhir/Bundle takes a Bundle, not a {resource?.TypeName ?? "body without a resourceType"}.");
    }

    private static ValidationException Invalid(string expression, string code, string message) => new([new FieldError(expression, code, message)]);

    private static BadHttpRequestException TooLarge() =>
        new($"A birth's Bundle is at most {MaxBodyBytes / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);

    private static OperationOutcome Accepted(BirthNotificationReceipt receipt) => new()
    {
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Diagnostics = $"Birth notification {receipt.NotificationId} is recorded: certificate {receipt.CertificateNumber} of facility {receipt.FacilityId}, " +
                    $"mother {receipt.MotherNationalCode}. The parents complete it online or at the registry office.",
            },
        ],
    };

    /// <summary>
    /// A refusal as an OperationOutcome: one issue per field at fault (its FHIRPath in <c>expression</c>), or one for the whole
    /// request; the registry's stable code in <c>details.coding</c>.
    /// </summary>
    private static IResult Refused(Refusal refusal, FhirBirthBundle? read = null)
    {
        var issues = refusal.Errors.Count == 0
            ? [Issue(refusal.Status, refusal.Code, refusal.Detail, null)]
            : refusal.Errors.Select(e => Issue(refusal.Status, e.Code, e.Message, read?.ExpressionOf(e.Field) ?? e.Field)).ToList();
        return Answer(refusal.Status, new OperationOutcome { Issue = issues });
    }

    private static OperationOutcome.IssueComponent Issue(int status, string code, string message, string? expression) => new()
    {
        Severity = OperationOutcome.IssueSeverity.Error,
        Code = IssueType(status, code),
        Details = new CodeableConcept(RefusalSystem, code, message),
        Diagnostics = message,
        Expression = expression is { Length: > 0 } ? [expression] : [],
    };

    private static OperationOutcome.IssueType IssueType(int status, string code) => status switch
    {
        StatusCodes.Status400BadRequest when code.StartsWith("fhir.parse.", StringComparison.Ordinal) || code == "fhir.invalidJson" => OperationOutcome.IssueType.Structure,
        StatusCodes.Status400BadRequest when code is "field.required" or "request.bodyRequired" => OperationOutcome.IssueType.Required,
        StatusCodes.Status400BadRequest => OperationOutcome.IssueType.Invalid,
        StatusCodes.Status401Unauthorized => OperationOutcome.IssueType.Login,
        StatusCodes.Status403Forbidden => OperationOutcome.IssueType.Forbidden,
        StatusCodes.Status404NotFound => OperationOutcome.IssueType.NotFound,
        StatusCodes.Status409Conflict when code.EndsWith(".duplicate", StringComparison.Ordinal) => OperationOutcome.IssueType.Duplicate,
        StatusCodes.Status409Conflict => OperationOutcome.IssueType.Conflict,
        StatusCodes.Status413PayloadTooLarge => OperationOutcome.IssueType.TooLong,
        StatusCodes.Status415UnsupportedMediaType => OperationOutcome.IssueType.NotSupported,
        StatusCodes.Status429TooManyRequests => OperationOutcome.IssueType.Throttled,
        StatusCodes.Status503ServiceUnavailable => OperationOutcome.IssueType.Transient,
        _ => OperationOutcome.IssueType.Processing,
    };

    /// <summary>What the FHIR interface does, for clients that start by asking: create a Bundle, in JSON, with a bearer token.</summary>
    private static CapabilityStatement Capabilities(TimeProvider clock) => new()
    {
        Status = PublicationStatus.Active,
        Date = clock.GetUtcNow().ToString("yyyy-MM-dd"),
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = "VitalEvents" },
        Implementation = new CapabilityStatement.ImplementationComponent { Description = "VitalEvents civil-status registry: birth notifications" },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = "A facility notifies a live birth by posting a document or message Bundle (docs/fhir.md) with a bearer token of the hospital role.",
                Security = new CapabilityStatement.SecurityComponent
                {
                    Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "OAuth")],
                    Description = "A bearer token (JWT) with the hospital role and the facility claim.",
                },
                Resource =
                [
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "Bundle",
                        Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Create }],
                    },
                ],
            },
        ],
    };

    private static IResult Answer(int status, Resource resource) =>
        Results.Text(Serializer.SerializeToString(resource), $"{MediaType}; charset=utf-8", Encoding.UTF8, status);

    /// <summary>A problem the framework or a middleware answers on <c>/fhir</c> (401, 403, 404, 405, 429…), as an OperationOutcome.</summary>
    internal static Task WriteAsync(HttpContext http, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        var status = problem.Status ?? http.Response.StatusCode;
        var code = problem.Extensions.TryGetValue("code", out var c) && c is string text ? text : problem.Title ?? "request.refused";
        http.Response.StatusCode = status;
        return Answer(status, new OperationOutcome { Issue = [Issue(status, code, problem.Detail ?? code, null)] }).ExecuteAsync(http);
    }
}

/// <summary>
/// Writes the problems answered on <c>/fhir</c> before any endpoint runs (authentication's 401, authorization's 403, an unknown
/// address's 404, the rate limiter's 429) as OperationOutcomes, completed as every problem is (its code from the status). To
/// take effect it is registered before the framework's writer: <c>services.Insert(0, ServiceDescriptor.Singleton&lt;IProblemDetailsWriter,
/// FhirProblemWriter&gt;())</c>.
/// </summary>
public sealed class FhirProblemWriter(Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments("/fhir");

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(NotifyBirthFhirEndpoint.WriteAsync(context.HttpContext, context.ProblemDetails));
    }
}
