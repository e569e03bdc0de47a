using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using VitalEvents.Domain;

namespace VitalEvents.Tests.Verifications;

/// <summary>Agencies, people and verifications the Hoda tests arrange again and again.</summary>
public static class VerificationTesting
{
    public static readonly string[] AllAnswers = ["birthDate", "givenName", "familyName", "fatherName", "alive", "dateOfDeath", "existence"];

    /// <summary>A fresh agency id: the daily quota an instance holds is per agency, so no test shares one with another.</summary>
    public static string NewAgencyId(string stem = "bank") => $"{stem}-{Guid.NewGuid():N}"[..(stem.Length + 9)];

    public static object AgencyBody(string id, string[]? purposes = null, string[]? answers = null, int dailyQuota = 100_000, int ratePerSecond = 10_000,
        string name = "بانک ملی ایران", string nameEnglish = "Bank Melli Iran") => new
    {
        id, name, nameEnglish, purposes = purposes ?? ["account-opening"], answers = answers ?? AllAnswers, dailyQuota, ratePerSecond,
    };

    public static async Task<string> RegisterAgencyAsync(this RegistryFactory registry, string? id = null, string[]? purposes = null, string[]? answers = null,
        int dailyQuota = 100_000, int ratePerSecond = 10_000)
    {
        id ??= NewAgencyId();
        using var admin = registry.As("admin", office: null, user: "admin-1");
        await admin.PostOk("/api/agencies", AgencyBody(id, purposes, answers, dailyQuota, ratePerSecond));
        return id;
    }

    public static object Ask(string nationalCode, string purpose = "account-opening", string? birthDate = null, string? givenName = null,
        string? familyName = null, string? fatherName = null) => new { nationalCode, purpose, birthDate, givenName, familyName, fatherName };

    public static Task<HttpResponseMessage> VerifyAsync(this HttpClient verifier, object ask) => verifier.PostAsJsonAsync("/api/verifications", ask);

    public static async Task<JsonNode> VerifyOk(this HttpClient verifier, object ask) => await verifier.PostOk("/api/verifications", ask);

    /// <summary>A national code no one can have been issued in a test: county 999 is not in the list of county codes offices issue under.</summary>
    public static string Unissued(int serial) => NationalCode.Issue("999", serial)!;

    /// <summary>Registers people straight through Marten (their births as events, projected inline), much faster than over HTTP.</summary>
    public static async Task SeedAsync(this RegistryFactory registry, IEnumerable<Domain.BirthRegistered> births)
    {
        await using var session = registry.Store.LightweightSession();
        foreach (var birth in births) session.Events.StartStream(birth.NationalCode, birth);
        await session.SaveChangesAsync();
    }

    public static Domain.BirthRegistered Birth(string nationalCode, string givenName, string familyName, DateOnly birthDate, string? fatherName = null) =>
        new(nationalCode, givenName, familyName, "female", birthDate, new PlaceRecord("تهران", "تهران", "تهران"), null, null, "001",
            new EvidenceRecord("medicalCertificate", "MC-1"), FatherName: fatherName);
}
