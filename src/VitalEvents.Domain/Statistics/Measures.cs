namespace VitalEvents.Domain.Statistics;

/// <summary>
/// One tabulated statistic: the kind of vital event it counts, the breakdown it counts by (its categories, in the order tables
/// show them; a single empty category for a plain count), and whether it is also broken down by sex (the child's at a birth,
/// the deceased's at a death, each spouse's at a marriage).
/// </summary>
public sealed record Measure(string Name, string Event, IReadOnlyList<string> Categories, bool BySex)
{
    public bool IsTotal => Categories is [""];
}

/// <summary>The statistics the registry computes from its events (docs/statistics.md lists what each counts and when).</summary>
public static class Measures
{
    public const string Unknown = "unknown";
    public const string Other = "other";

    public const string Births = "births";
    public const string BirthsByMotherAge = "births.motherAge";
    public const string BirthsByOrder = "births.order";
    public const string BirthsByPlurality = "births.plurality";
    public const string BirthsByTimeliness = "births.late";
    public const string BirthsByPlace = "births.place";
    public const string Deaths = "deaths";
    public const string DeathsByAge = "deaths.age";
    public const string DeathsByCause = "deaths.cause";
    public const string DeathsByPlace = "deaths.place";
    public const string DeathsByTimeliness = "deaths.late";
    public const string FoetalDeaths = "foetalDeaths";
    public const string FoetalDeathsByGestation = "foetalDeaths.gestation";
    public const string Marriages = "marriages";
    public const string MarriagesByKind = "marriages.kind";
    public const string MarriagesByAge = "marriages.age";
    public const string FirstMarriagesByAge = "marriages.firstAge";
    public const string Divorces = "divorces";
    public const string DivorcesByKind = "divorces.kind";
    public const string DivorcesByDuration = "divorces.duration";
    public const string CorrectionsByField = "corrections.field";
    public const string CorrectionsByAuthority = "corrections.authority";
    public const string LateRegistrations = "lateRegistrations";

    public const string Single = "single";
    public const string Multiple = "multiple";
    public const string OnTime = "onTime";
    public const string Late = "late";
    public const string Birth = "birth";
    public const string Death = "death";

    /// <summary>Five-year groups of a mother's or a spouse's age, in completed years.</summary>
    public static readonly AgeGroups AdultAges = new([15, 20, 25, 30, 35, 40, 45, 50]);

    /// <summary>The age at death: under one, one to four, then five-year groups to 85 and over.</summary>
    public static readonly AgeGroups DeathAges = new([1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85]);

    /// <summary>Completed weeks of gestation of a foetal death.</summary>
    public static readonly AgeGroups Gestation = new([28, 32, 37]);

    /// <summary>Completed years a marriage lasted before the divorce.</summary>
    public static readonly AgeGroups MarriageYears = new([1, 5, 10, 15, 20]);

    /// <summary>Five-year groups of the living population's age, to 100 and over (the population pyramid).</summary>
    public static readonly AgeGroups PopulationAges = new([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100]);

    /// <summary>Single years of age at a first marriage (for the median), from 0 to 99 and 100 or more.</summary>
    public static readonly IReadOnlyList<string> SingleYears = [.. Enumerable.Range(0, 100).Select(a => a.ToString()), "100+", Unknown];

    public static string SingleYear(int? age) => age switch { null or < 0 => Unknown, >= 100 => "100+", _ => age.Value.ToString() };

    private static readonly string[] Total = [""];
    private static readonly string[] Places = [.. Offices.ProvinceSlugs.Order(StringComparer.Ordinal), Other];
    private static readonly string[] Timeliness = [OnTime, Late];

    public static readonly IReadOnlyList<Measure> All =
    [
        new(Births, Birth, Total, true),
        new(BirthsByMotherAge, Birth, [.. AdultAges.Names, Unknown], true),
        new(BirthsByOrder, Birth, ["1", "2", "3", "4", "5+", Unknown], true),
        new(BirthsByPlurality, Birth, [Single, Multiple], true),
        new(BirthsByTimeliness, Birth, Timeliness, true),
        new(BirthsByPlace, Birth, Places, true),
        new(Deaths, Death, Total, true),
        new(DeathsByAge, Death, [.. DeathAges.Names, Unknown], true),
        new(DeathsByCause, Death, [.. Icd10Chapters.All.Select(c => c.Chapter), Unknown], true),
        new(DeathsByPlace, Death, Places, true),
        new(DeathsByTimeliness, Death, Timeliness, true),
        new(FoetalDeaths, "foetalDeath", Total, true),
        new(FoetalDeathsByGestation, "foetalDeath", Gestation.Names, true),
        new(Marriages, "marriage", Total, false),
        new(MarriagesByKind, "marriage", Vocabulary.MarriageKinds, false),
        new(MarriagesByAge, "marriage", [.. AdultAges.Names, Unknown], true),
        new(FirstMarriagesByAge, "marriage", SingleYears, true),
        new(Divorces, "divorce", Total, false),
        new(DivorcesByKind, "divorce", Vocabulary.DivorceKinds, false),
        new(DivorcesByDuration, "divorce", [.. MarriageYears.Names, Unknown], false),
        new(CorrectionsByField, "correction", Vocabulary.CorrectableFields, true),
        new(CorrectionsByAuthority, "correction", Vocabulary.Authorities, true),
        new(LateRegistrations, "lateRegistration", [Birth, Death], true),
    ];

    private static readonly Dictionary<string, Measure> ByName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static Measure? Find(string? name) => name is null ? null : ByName.GetValueOrDefault(name);

    /// <summary>A place's province as a slug, where the recorded province names one the office table knows; else <see cref="Other"/>.</summary>
    public static string ProvinceOf(PlaceRecord? place) =>
        place is not null && (ProvinceNames.TryGetValue(place.Province, out var slug) || ProvinceNames.TryGetValue(PersianText.Normalize(place.Province), out slug))
            ? slug : Other;

    private static readonly Dictionary<string, string> ProvinceNames = Offices.List
        .SelectMany(o => new[] { (Name: PersianText.Normalize(o.Province), o.ProvinceSlug), (Name: o.ProvinceEnglish.ToLowerInvariant(), o.ProvinceSlug), (Name: o.ProvinceSlug, o.ProvinceSlug) })
        .DistinctBy(p => p.Name).ToDictionary(p => p.Name, p => p.ProvinceSlug, StringComparer.OrdinalIgnoreCase);
}

/// <summary>Groups of ages (or durations) by their lower bounds: below the first, each bound to the next, the last and over.</summary>
public sealed class AgeGroups(int[] bounds)
{
    public IReadOnlyList<string> Names { get; } =
    [
        bounds[0] == 1 ? "0" : $"<{bounds[0]}",
        .. bounds.Zip(bounds.Skip(1), (from, to) => to - from == 1 ? $"{from}" : $"{from}-{to - 1}"),
        $"{bounds[^1]}+",
    ];

    public string Of(int? value) => value is { } v && v >= 0 ? Names[IndexOf(v)] : Measures.Unknown;

    /// <summary>The position in <see cref="Names"/> of a value's group (0 or more).</summary>
    public int IndexOf(int value)
    {
        var index = Array.FindIndex(bounds, b => value < b);
        return index < 0 ? bounds.Length : index;
    }

    /// <summary>The lower bound of each group, in order (0 for the first).</summary>
    public IReadOnlyList<int> LowerBounds { get; } = [0, .. bounds];
}
