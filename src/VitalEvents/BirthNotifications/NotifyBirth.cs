using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.BirthNotifications;

/// <summary>The practitioner who certified the birth: name and professional identifier (its system defaults to the Medical Council's number).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CertifierInput(string? Name, string? Identifier, string? IdentifierSystem = null);

/// <summary>
/// A live birth as a facility notifies it (the medical birth certificate): the child's particulars, the mother's national code and,
/// if known, the father's. No name: the parents choose it when they confirm.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record NotifyBirthRequest(
    string? CertificateNumber, CertifierInput? Certifier, [property: OneOf(nameof(Vocabulary.Sexes))] string? Sex, string? BirthDate, string? MotherNationalCode,
    string? FatherNationalCode = null, string? BirthTime = null, int? Plurality = null, int? MultipleBirthOrder = null, int? BirthWeightGrams = null,
    int? GestationWeeks = null)
{
    public NotifyBirth Parse(Validator v)
    {
        var plurality = v.OptionalNumber("plurality", Plurality, 1, 9) ?? 1;
        var order = v.OptionalNumber("multipleBirthOrder", MultipleBirthOrder, 1, 9);
        if (plurality > 1 && order is null) v.Fail("multipleBirthOrder", "birthNotification.orderRequired", "A multiple birth gives each child's birth order (1 for the first born).");
        if (order > plurality) v.Fail("multipleBirthOrder", "birthNotification.orderAbovePlurality", $"multipleBirthOrder {order} is more than the plurality {plurality}.");
        if (plurality == 1 && order is > 1) v.Fail("multipleBirthOrder", "birthNotification.orderAbovePlurality", "A single birth has no birth order above 1.");
        var birth = new NotifyBirth(
            v.Text("certificateNumber", CertificateNumber, 50),
            new CertifierRecord(v.Name("certifier.name", Certifier?.Name), Certifier?.IdentifierSystem is { } system ? v.Text("certifier.identifierSystem", system, 200) : FhirSystems.MedicalCouncil,
                v.Text("certifier.identifier", Certifier?.Identifier, 50)),
            v.OneOf("sex", Sex, Vocabulary.Sexes),
            v.Date("birthDate", BirthDate),
            v.OptionalTime("birthTime", BirthTime),
            plurality,
            plurality == 1 ? null : order,
            v.OptionalNumber("birthWeightGrams", BirthWeightGrams, 200, 8000),
            v.OptionalNumber("gestationWeeks", GestationWeeks, 20, 45),
            v.NationalCode("motherNationalCode", MotherNationalCode),
            v.OptionalNationalCode("fatherNationalCode", FatherNationalCode));
        if (birth.MotherNationalCode.Length > 0 && birth.MotherNationalCode == birth.FatherNationalCode)
            v.Fail("fatherNationalCode", "parent.samePerson", "The mother and the father cannot be the same person.");
        return birth;
    }
}

/// <summary>The identifier systems the registry's FHIR interface uses (docs/fhir.md).</summary>
public static class FhirSystems
{
    /// <summary>A person's 10-digit national code (کد ملی), issued by the registry.</summary>
    public const string NationalCode = "https://sabteahval.ir/fhir/sid/national-code";

    /// <summary>A health facility's id as registered with the registry (the facility claim of its users' tokens).</summary>
    public const string Facility = "https://sabteahval.ir/fhir/sid/facility";

    /// <summary>A medical birth certificate's number, as the facility numbers them.</summary>
    public const string BirthCertificate = "https://sabteahval.ir/fhir/sid/birth-certificate";

    /// <summary>A physician's or midwife's Medical Council number (شماره نظام پزشکی).</summary>
    public const string MedicalCouncil = "https://irimc.org/fhir/sid/medical-council-number";
}

/// <summary>What a facility is told when a notification is accepted; the same notification sent again gets the same answer.</summary>
public sealed record BirthNotificationReceipt(Guid NotificationId, string FacilityId, string CertificateNumber, string MotherNationalCode);

/// <summary>A facility's notification, JSON or FHIR (<c>Format</c>), for the facility named in the caller's token.</summary>
public sealed record NotifyBirthCommand(NotifyBirth Birth, string Format) : ICommand<BirthNotificationReceipt>, IRetriedOnConflict
{
    public const string Json = "json";
    public const string Fhir = "fhir";
}

public sealed class NotifyBirthHandler(IDocumentSession session, RequestContext context, TimeProvider clock)
    : ICommandHandler<NotifyBirthCommand, BirthNotificationReceipt>
{
    public async ValueTask<BirthNotificationReceipt> Handle(NotifyBirthCommand command, CancellationToken cancellationToken)
    {
        var birth = command.Birth;
        var facility = await NotifyingFacilities.OfCallerAsync(session, context, cancellationToken);
        var id = Guid.CreateVersion7();
        var receipt = new BirthNotificationReceipt(id, facility.Id, birth.CertificateNumber, birth.MotherNationalCode);
        if (await NotificationKeys.ClaimAsync(session, facility.Id, birth, id, cancellationToken) is { } earlier)
        {
            context.Replayed = true;
            return receipt with { NotificationId = earlier };
        }
        var parents = await PersonStreams.FetchAsync(session, context, cancellationToken, birth.MotherNationalCode, birth.FatherNationalCode);
        parents.Append(session, BirthNotificationDecision.Notify(birth, facility.Notifying(), parents[birth.MotherNationalCode], parents[birth.FatherNationalCode],
            id, context.UserId, command.Format, clock.Today()));
        return receipt;
    }
}

/// <summary>The facility a hospital user acts for: named in the token, registered, and active.</summary>
public static class NotifyingFacilities
{
    public static async Task<Facility> OfCallerAsync(IQuerySession session, RequestContext context, CancellationToken ct)
    {
        var facility = context.FacilityId is { } id ? await session.LoadAsync<Facility>(id, ct) : null;
        if (facility is null)
            throw Refused("birthNotification.facilityUnknown", context.FacilityId is null
                ? "Your token names no facility (the facility claim): births are notified for a registered facility."
                : $"Your token's facility '{context.FacilityId}' is not registered to notify births.");
        if (!facility.IsActive) throw Refused("birthNotification.facilitySuspended", $"Facility {facility.Id} is suspended: it may not notify births until an admin resumes it.");
        return facility;
    }

    private static RuleViolationException Refused(string code, string message) => new(new RuleViolation(code, message, ViolationKind.Forbidden));
}

/// <summary>
/// Each facility's certificate numbers, each bound to the notification it was first sent with and a hash of its content. Taken
/// inside the notification's own transaction: the same notification sent twice (or at once) is recorded once and answered as the
/// first time; the same number with other content is refused.
/// </summary>
public static class NotificationKeys
{
    public const string TableName = "birth_notification_keys";

    public static string Sql(string schema) => $"""
        create table if not exists {schema}.{TableName} (
            facility_id text not null,
            certificate_number text not null,
            notification_id uuid not null,
            content_hash text not null,
            primary key (facility_id, certificate_number)
        );
        """;

    /// <summary>Claims the certificate number for a new notification; returns the earlier notification's id when the same one was sent before.</summary>
    public static async Task<Guid?> ClaimAsync(IDocumentSession session, string facilityId, NotifyBirth birth, Guid id, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var hash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(birth)));
        // A concurrent claim of the same number waits here until the other transaction ends; the earlier row is then read by a
        // statement of its own, whose snapshot sees it.
        await using var insert = new NpgsqlCommand(
            $"""
            insert into {schema}.{TableName} (facility_id, certificate_number, notification_id, content_hash) values (@facility, @certificate, @id, @hash)
            on conflict do nothing
            """, session.Connection);
        insert.Parameters.AddWithValue("facility", facilityId);
        insert.Parameters.AddWithValue("certificate", birth.CertificateNumber);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("hash", hash);
        if (await insert.ExecuteNonQueryAsync(ct) == 1) return null;
        await using var select = new NpgsqlCommand(
            $"select notification_id, content_hash from {schema}.{TableName} where facility_id = @facility and certificate_number = @certificate",
            session.Connection);
        select.Parameters.AddWithValue("facility", facilityId);
        select.Parameters.AddWithValue("certificate", birth.CertificateNumber);
        await using var reader = await select.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (notification, earlierHash) = (reader.GetGuid(0), reader.GetString(1));
        if (earlierHash != hash)
            throw new RuleViolationException(new RuleViolation("birthNotification.certificateReused",
                $"Certificate {birth.CertificateNumber} of facility {facilityId} was notified already with other particulars (notification {notification}).",
                Field: "certificateNumber"));
        return notification;
    }
}

public static class NotifyBirthEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/birth-notifications", async Task<Created<BirthNotificationReceipt>> (NotifyBirthRequest? request, IMediator mediator, CancellationToken ct) =>
            {
                var receipt = await mediator.Send(new NotifyBirthCommand(Validator.Parse(request, (r, v) => r.Parse(v)), NotifyBirthCommand.Json), ct);
                return TypedResults.Created($"/api/birth-notifications/{receipt.NotificationId}", receipt);
            })
            .RequireAuthorization(Roles.NotifyPolicy)
            .Writes()
            .WithName("NotifyBirth")
            .WithSummary("A facility notifies a live birth (its medical certificate): recorded on the mother's stream until the parents confirm online or a registrar completes it. The same facility and certificate number sent again changes nothing and gets the first answer.");
}
