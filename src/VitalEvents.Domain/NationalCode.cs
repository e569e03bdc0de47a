namespace VitalEvents.Domain;

/// <summary>The 10-digit Iranian national code (کد ملی): county code, serial, check digit (docs/domain.md, "National code").</summary>
public static class NationalCode
{
    /// <summary>Checks and normalises input (Persian and Arabic-Indic digits accepted). Returns an error code, or null when valid.</summary>
    public static string? Validate(string? input, out string normalized)
    {
        normalized = PersianText.AsciiDigits((input ?? string.Empty).Trim());
        if (normalized.Length == 0) return "nationalCode.required";
        if (normalized.Length != 10 || !normalized.All(char.IsAsciiDigit)) return "nationalCode.invalidFormat";
        if (normalized.Distinct().Count() == 1) return "nationalCode.repeatedDigits";
        if (normalized.AsSpan(3, 6).SequenceEqual("000000")) return "nationalCode.zeroSerial";
        if (CheckDigit(normalized.AsSpan(0, 9)) != normalized[9] - '0') return "nationalCode.invalidChecksum";
        return null;
    }

    /// <summary>True when the code is well formed and may be used.</summary>
    public static bool IsValid(string? input) => Validate(input, out _) is null;

    /// <summary>The check digit of the first nine digits: S = Σ d_i·(11−i); r = S mod 11; r if r &lt; 2, else 11 − r.</summary>
    public static int CheckDigit(ReadOnlySpan<char> nineDigits)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (nineDigits[i] - '0') * (10 - i);
        var r = sum % 11;
        return r < 2 ? r : 11 - r;
    }

    /// <summary>The code issued for a county's serial, or null when that serial gives a code that must never be issued.</summary>
    public static string? Issue(string countyCode, int serial)
    {
        if (countyCode.Length != 3 || !countyCode.All(char.IsAsciiDigit)) throw new ArgumentException("A county code has three digits.", nameof(countyCode));
        if (serial is < 1 or > MaxSerial) throw new ArgumentOutOfRangeException(nameof(serial));
        var nine = countyCode + serial.ToString("D6");
        var code = nine + CheckDigit(nine);
        return IsValid(code) ? code : null;
    }

    /// <summary>The largest serial a county can issue.</summary>
    public const int MaxSerial = 999_999;
}
