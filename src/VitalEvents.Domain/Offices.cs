namespace VitalEvents.Domain;

/// <summary>A registry office, identified by the three-digit county code it issues national codes under. The province slug is
/// its ASCII name for message subjects and query strings.</summary>
public sealed record Office(string Code, string Name, string Province, string County, string ProvinceSlug);

/// <summary>
/// The offices this registry ships with. An office is known by its county code: the first three digits of the national
/// codes issued there. Source: the county codes given in the project's domain facts (shared/DOMAIN.md, "National
/// code": Tehran-Central 001–008, Tehran-South 011, Tehran-East 020, Arak 052–053, Tabriz 136–138, Urmia 274–275), which
/// are the prefixes NOCR assigns to those counties. Further offices are added here from NOCR's county-code list.
/// </summary>
public static class Offices
{
    private static readonly Office[] All =
    [
        .. Range(1, 8, "Tehran-Central", "تهران", "تهران مرکزی", "tehran"),
        new("011", "Tehran-South", "تهران", "تهران جنوب", "tehran"),
        new("020", "Tehran-East", "تهران", "تهران شرق", "tehran"),
        .. Range(52, 53, "Arak", "مرکزی", "اراک", "markazi"),
        .. Range(136, 138, "Tabriz", "آذربایجان شرقی", "تبریز", "east-azerbaijan"),
        .. Range(274, 275, "Urmia", "آذربایجان غربی", "ارومیه", "west-azerbaijan"),
    ];

    private static readonly Dictionary<string, Office> ByCode = All.ToDictionary(o => o.Code);

    /// <summary>Every office, by code.</summary>
    public static IReadOnlyCollection<Office> List => All;

    /// <summary>Finds an office by its code (Persian digits accepted).</summary>
    public static Office? Find(string? code) =>
        code is null ? null : ByCode.GetValueOrDefault(PersianText.AsciiDigits(code.Trim()));

    private static IEnumerable<Office> Range(int from, int to, string name, string province, string county, string provinceSlug) =>
        Enumerable.Range(from, to - from + 1).Select(c => new Office(c.ToString("D3"), $"{name} ({c:D3})", province, county, provinceSlug));
}
