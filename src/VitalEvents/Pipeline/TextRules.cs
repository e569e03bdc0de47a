namespace VitalEvents.Pipeline;

/// <summary>
/// Text the registry accepts anywhere (bodies, query strings, paths, the headers it keeps): well-formed UTF-16 with no NUL,
/// no other control character but tab, line feed and carriage return, and no noncharacter (U+FDD0–U+FDEF and every code
/// point ending in FFFE or FFFF). PostgreSQL's jsonb refuses NUL outright; the rest is only ever a mistake or an attack
/// (docs/domain.md, "Text").
/// </summary>
public static class TextRules
{
    public const string InvalidTextCode = "validation.invalidText";

    public static bool IsAcceptable(string text) => FirstProblem(text) is null;

    /// <summary>What is wrong with the text (the first unacceptable character and where), or null when it is acceptable.</summary>
    public static string? FirstProblem(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(ch, text[++i]);
                if (IsNoncharacter(codePoint)) return $"the noncharacter U+{codePoint:X} at position {i - 1}";
            }
            else if (char.IsSurrogate(ch)) return $"a lone surrogate U+{(int)ch:X4} at position {i}";
            else if ((ch < ' ' && ch is not ('\t' or '\n' or '\r')) || ch is >= '\u007F' and <= '\u009F')
                return $"the control character U+{(int)ch:X4} at position {i}";
            else if (IsNoncharacter(ch)) return $"the noncharacter U+{(int)ch:X4} at position {i}";
        }
        return null;
    }

    private static bool IsNoncharacter(int codePoint) => codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;
}
