using System.Text.Json.Nodes;
using VitalEvents.Domain;
using static VitalEvents.Tests.Verifications.VerificationTesting;

namespace VitalEvents.Tests.Verifications;

/// <summary>
/// Answers are matches only: over 1,000 random people asked with right, wrong and similar attributes, no stored given, family or
/// father's name and no stored birth date (ISO, Solar Hijri in ASCII and Persian digits) appears in any answer.
/// </summary>
public sealed class VerificationPropertyTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private const int People = 1000;
    private static readonly string[] Given = ["محمد", "علی", "حسین", "رضا", "مهدی", "فاطمه", "زهرا", "مریم", "زینب", "سارا", "نرگس", "کاوه"];
    private static readonly string[] Family = ["محمدی", "رضایی", "حسینی", "احمدی", "کریمی", "موسوی", "جعفری", "رحیمی", "صادقی", "کاظمی"];

    public Task InitializeAsync() => registry.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task No_stored_name_or_birth_date_leaves_in_any_answer()
    {
        var random = new Random(1404);
        var people = Enumerable.Range(1, People).Select(i => Birth(NationalCode.Issue("001", 500_000 + i)!,
            Requests.Numbered(Given[random.Next(Given.Length)], i), Requests.Numbered(Family[random.Next(Family.Length)], i),
            new DateOnly(1940, 1, 1).AddDays(random.Next(30_000)), random.Next(4) == 0 ? null : Requests.Numbered("پدر", i))).ToList();
        await registry.SeedAsync(people);
        using var bank = registry.AsVerifier(await registry.RegisterAgencyAsync());

        var outcomes = new Dictionary<string, int>();
        foreach (var person in people)
        {
            var answer = await bank.VerifyOk(Ask(person.NationalCode,
                birthDate: Pick(random, SolarHijri.Format(person.BirthDate), Persian(SolarHijri.Format(person.BirthDate)), person.BirthDate.ToString("yyyy-MM-dd"),
                    SolarHijri.Format(person.BirthDate.AddDays(1 + random.Next(400)))),
                givenName: Pick(random, person.GivenName, Typo(random, person.GivenName), "ناشناس"),
                familyName: Pick(random, person.FamilyName, person.FamilyName.Replace('ی', 'ي'), Typo(random, person.FamilyName), "غریبه"),
                fatherName: person.FatherName is { } father ? Pick(random, father, Typo(random, father), "بیگانه") : Pick(random, "بیگانه")));
            var body = answer.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            var stored = new[]
            {
                person.GivenName, person.FamilyName, person.FatherName, person.BirthDate.ToString("yyyy-MM-dd"), SolarHijri.Format(person.BirthDate),
                Persian(SolarHijri.Format(person.BirthDate)), SolarHijri.Format(person.BirthDate).Replace('/', '-'),
            };
            foreach (var value in stored.OfType<string>()) body.Should().NotContain(value, $"the answer for {person.NationalCode} must not show a stored value");
            foreach (var (key, match) in answer["match"]!.AsObject())
                outcomes[$"{key}:{match}"] = outcomes.GetValueOrDefault($"{key}:{match}") + 1;
        }

        // The asks were really mixed: every attribute was answered each way.
        outcomes.Keys.Should().Contain(["birthDate:true", "birthDate:false", "givenName:exact", "givenName:similar", "givenName:different",
            "familyName:exact", "familyName:similar", "familyName:different", "fatherName:exact", "fatherName:similar", "fatherName:different"]);
    }

    private static string? Pick(Random random, params string?[] choices) => random.Next(5) == 0 ? null : choices[random.Next(choices.Length)];

    /// <summary>One letter of the name replaced by another.</summary>
    private static string Typo(Random random, string name)
    {
        var at = random.Next(name.Length);
        return name[..at] + (name[at] == 'ب' ? 'پ' : 'ب') + name[(at + 1)..];
    }

    private static string Persian(string text) => new(text.Select(c => char.IsAsciiDigit(c) ? (char)('۰' + (c - '0')) : c).ToArray());
}
