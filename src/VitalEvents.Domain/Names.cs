namespace VitalEvents.Domain;

/// <summary>Name matching on folded search keys, tolerant of a typo or two.</summary>
public static class Names
{
    /// <summary>The same name up to letter variants, or within a small edit distance (one edit for short names, two for longer).</summary>
    public static bool Similar(string a, string b)
    {
        var (x, y) = (PersianText.SearchKey(a), PersianText.SearchKey(b));
        if (x == y) return true;
        var allowed = Math.Min(x.Length, y.Length) >= 5 ? 2 : 1;
        return Math.Abs(x.Length - y.Length) <= allowed && EditDistance(x, y) <= allowed;
    }

    /// <summary>Levenshtein distance.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
