using System.Reflection;

namespace VitalEvents.Domain;

/// <summary>
/// A registry office, known by the three-digit county code it issues national codes under: the county (شهرستان) and its
/// province, in Persian and English, and the province's ASCII slug for message subjects and query strings.
/// </summary>
public sealed record Office(string Code, string Province, string County, string ProvinceEnglish, string? CountyEnglish, string ProvinceSlug)
{
    /// <summary>The office's name for an English reader: the county's English name where one is recorded, else its Persian name.</summary>
    public string Name => $"{CountyEnglish ?? County} ({Code})";
}

/// <summary>
/// Every county code (the first three digits of a national code) with its county and province: the table in
/// <c>Data/county-codes.csv</c>, with the provinces in <c>Data/provinces.csv</c>. docs/county-codes.md names the public list it
/// comes from and the corrections made to it.
/// </summary>
public static class Offices
{
    private static readonly Office[] All = Load();
    private static readonly Dictionary<string, Office> ByCode = All.ToDictionary(o => o.Code);

    /// <summary>Every office, by code.</summary>
    public static IReadOnlyCollection<Office> List => All;

    /// <summary>Every province slug an office belongs to.</summary>
    public static IReadOnlySet<string> ProvinceSlugs { get; } = All.Select(o => o.ProvinceSlug).ToHashSet(StringComparer.Ordinal);

    /// <summary>Finds an office by its code (Persian digits accepted).</summary>
    public static Office? Find(string? code) =>
        code is null ? null : ByCode.GetValueOrDefault(PersianText.AsciiDigits(code.Trim()));

    private static Office[] Load()
    {
        var provinces = Rows("provinces.csv").ToDictionary(r => r[0], r => (English: r[1], Slug: r[2]));
        return Rows("county-codes.csv")
            .Select(r => new Office(r[0], r[1], r[2], r[3], r[4].Length == 0 ? null : r[4], provinces[r[1]].Slug))
            .ToArray();
    }

    /// <summary>The data rows of an embedded CSV file without quoting (its header skipped).</summary>
    private static IEnumerable<string[]> Rows(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"VitalEvents.Domain.Data.{file}")
            ?? throw new InvalidOperationException($"The office table Data/{file} is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        var rows = new List<string[]>();
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) rows.Add(line.Split(','));
        return rows;
    }
}
