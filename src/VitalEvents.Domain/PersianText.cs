using System.Globalization;
using System.Text;

namespace VitalEvents.Domain;

/// <summary>Normalisation of Persian text as Iranian registry software must do it (docs/domain.md, "Persian text").</summary>
public static class PersianText
{
    private const char Zwnj = '\u200C';

    /// <summary>
    /// Normalises a name for storage (docs/domain.md, "Persian text"): NFC, Persian letters, ASCII digits, no presentation
    /// forms, no diacritics, no invisible format characters but ZWNJ, tidy spaces and ZWNJ.
    /// </summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return string.Empty;
        var s = WellFormed(text).Normalize(NormalizationForm.FormC);
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            if (IsPresentationForm(ch))
            {
                foreach (var baseChar in BaseOf(ch)) Append(sb, baseChar);
            }
            else
            {
                Append(sb, ch);
            }
        }
        return TidySpacing(sb.ToString());
    }

    /// <summary>
    /// The base letters of a presentation form (its compatibility decomposition). The isolated forms of diacritics (U+FE70–FE7F)
    /// and the shadda ligatures (U+FC5E–FC63) decompose to a space and marks: the space belongs to the glyph, not the text.
    /// </summary>
    private static string BaseOf(char presentationForm)
    {
        var expanded = presentationForm.ToString().Normalize(NormalizationForm.FormKC);
        var marks = expanded.TrimStart(' ');
        return marks.Length > 0 && marks.Length < expanded.Length && marks.All(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            ? marks
            : expanded;
    }

    /// <summary>Text with any lone surrogate replaced by U+FFFD, so that Unicode normalisation can read it.</summary>
    private static string WellFormed(string text)
    {
        char[]? chars = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) (chars ??= text.ToCharArray())[i] = '\uFFFD';
        }
        return chars is null ? text : new string(chars);
    }

    /// <summary>A folded key for matching names: the normalised text with letter variants and ZWNJ folded away.</summary>
    public static string SearchKey(string? text)
    {
        var normalized = Normalize(text);
        var sb = new StringBuilder(normalized.Length);
        foreach (var ch in normalized)
        {
            switch (ch)
            {
                case '\u0629' or '\u06C0': sb.Append('\u0647'); break;
                case '\u0623' or '\u0625': sb.Append('\u0627'); break;
                case Zwnj: break;
                default: sb.Append(char.ToLowerInvariant(ch)); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Whether normalised text is written in the Persian script alone: letters of the Arabic block (Persian's among them), spaces
    /// and ZWNJ. A name chosen for a newborn online must be.
    /// </summary>
    public static bool IsPersianScript(string normalized) =>
        normalized.Length > 0 && normalized.Any(ch => ch != ' ' && ch != Zwnj)
        && normalized.All(ch => ch is ' ' or Zwnj || (ch is >= '\u0600' and <= '\u06FF' && char.IsLetter(ch)));

    /// <summary>Replaces Persian (U+06F0–06F9) and Arabic-Indic (U+0660–0669) digits with ASCII digits.</summary>
    public static string AsciiDigits(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++) chars[i] = AsciiDigit(chars[i]);
        return new string(chars);
    }

    private static char AsciiDigit(char ch) => ch switch
    {
        >= '\u06F0' and <= '\u06F9' => (char)('0' + (ch - '\u06F0')),
        >= '\u0660' and <= '\u0669' => (char)('0' + (ch - '\u0660')),
        _ => ch,
    };

    private static bool IsPresentationForm(char ch) => ch is >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';

    private static bool IsDiacritic(char ch) => ch is >= '\u064B' and <= '\u0655' or '\u0670' or '\u0640';

    /// <summary>Invisible format characters (zero-width space and joiner, direction marks, embeddings and isolates, BOM) but ZWNJ.</summary>
    private static bool IsInvisibleFormat(char ch) => ch != Zwnj && CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.Format;

    private static void Append(StringBuilder sb, char ch)
    {
        if (IsDiacritic(ch) || IsInvisibleFormat(ch)) return;
        sb.Append(ch switch
        {
            '\u064A' or '\u0649' => '\u06CC',
            '\u0643' => '\u06A9',
            '\u00A0' => ' ',
            _ => AsciiDigit(ch),
        });
    }

    private static string TidySpacing(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            var last = sb.Length > 0 ? sb[^1] : '\0';
            if (char.IsWhiteSpace(ch) || CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.SpaceSeparator)
            {
                if (last == Zwnj) sb.Length--;
                if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
            }
            else if (ch == Zwnj)
            {
                if (sb.Length > 0 && last != ' ' && last != Zwnj) sb.Append(Zwnj);
            }
            else
            {
                sb.Append(ch);
            }
        }
        while (sb.Length > 0 && (sb[^1] == ' ' || sb[^1] == Zwnj)) sb.Length--;
        return sb.ToString();
    }
}
