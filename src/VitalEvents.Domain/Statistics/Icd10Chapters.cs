namespace VitalEvents.Domain.Statistics;

/// <summary>
/// The chapters of ICD-10 (WHO, 2019 edition) by the first three characters of a code: chapter I is A00–B99, XXII (codes for
/// special purposes) U00–U85. Deaths are tabulated by the chapter of their underlying cause (docs/statistics.md).
/// </summary>
public static class Icd10Chapters
{
    /// <summary>Each chapter's Roman numeral and the first and last three-character category it covers.</summary>
    public static readonly IReadOnlyList<(string Chapter, string First, string Last)> All =
    [
        ("I", "A00", "B99"), ("II", "C00", "D48"), ("III", "D50", "D89"), ("IV", "E00", "E90"), ("V", "F00", "F99"),
        ("VI", "G00", "G99"), ("VII", "H00", "H59"), ("VIII", "H60", "H95"), ("IX", "I00", "I99"), ("X", "J00", "J99"),
        ("XI", "K00", "K93"), ("XII", "L00", "L99"), ("XIII", "M00", "M99"), ("XIV", "N00", "N99"), ("XV", "O00", "O99"),
        ("XVI", "P00", "P96"), ("XVII", "Q00", "Q99"), ("XVIII", "R00", "R99"), ("XIX", "S00", "T98"), ("XX", "V01", "Y98"),
        ("XXI", "Z00", "Z99"), ("XXII", "U00", "U85"),
    ];

    /// <summary>The chapter of a code (e.g. I21.9 → IX), or null when the code falls in none.</summary>
    public static string? Of(string? code)
    {
        if (code is null || code.Length < 3) return null;
        var category = code[..3].ToUpperInvariant();
        foreach (var (chapter, first, last) in All)
            if (string.CompareOrdinal(category, first) >= 0 && string.CompareOrdinal(category, last) <= 0) return chapter;
        return null;
    }
}
