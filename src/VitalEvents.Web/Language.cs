using System.Globalization;

namespace VitalEvents.Web;

/// <summary>The console's languages: Persian (right to left, the default) and English.</summary>
public static class Language
{
    public const string Persian = "fa";
    public const string English = "en";
    public static readonly string[] All = [Persian, English];

    public static string Code => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == English ? English : Persian;
    public static bool IsPersian => Code == Persian;
    public static string Direction => IsPersian ? "rtl" : "ltr";
}
