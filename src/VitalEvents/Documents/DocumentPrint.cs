using System.Globalization;
using VitalEvents.Domain;
using VitalEvents.Domain.Documents;

namespace VitalEvents.Documents;

/// <summary>
/// How a document prints its fields, in Persian and in English: the labels, the sections of the shenasnameh, the registry's
/// words for its codes, and dates in Solar Hijri with the Gregorian twin.
/// </summary>
public static class DocumentPrint
{
    private static readonly Dictionary<string, (string Fa, string En)> Titles = new()
    {
        [DocumentKinds.BirthCertificate] = ("گواهی ولادت", "Birth certificate"),
        [DocumentKinds.MarriageCertificate] = ("گواهی ثبت ازدواج", "Marriage certificate"),
        [DocumentKinds.DivorceCertificate] = ("گواهی ثبت طلاق", "Divorce certificate"),
        [DocumentKinds.DeathCertificate] = ("گواهی فوت", "Death certificate"),
        [DocumentKinds.Shenasnameh] = ("شناسنامهٔ الکترونیکی", "Electronic identity booklet (shenasnameh)"),
    };

    private static readonly Dictionary<string, (string Fa, string En)> Labels = new()
    {
        ["nationalCode"] = ("شمارهٔ ملی", "National code"),
        ["givenName"] = ("نام", "Given name"),
        ["familyName"] = ("نام خانوادگی", "Family name"),
        ["sex"] = ("جنسیت", "Sex"),
        ["birthDate"] = ("تاریخ تولد", "Date of birth"),
        ["birthPlace"] = ("محل تولد", "Place of birth"),
        ["fatherName"] = ("نام پدر", "Father's name"),
        ["fatherNationalCode"] = ("شمارهٔ ملی پدر", "Father's national code"),
        ["motherName"] = ("نام مادر", "Mother's name"),
        ["motherNationalCode"] = ("شمارهٔ ملی مادر", "Mother's national code"),
        ["registeredAtOffice"] = ("ادارهٔ ثبت", "Registering office"),
        ["deathDate"] = ("تاریخ فوت", "Date of death"),
        ["deathPlace"] = ("محل فوت", "Place of death"),
        ["husbandNationalCode"] = ("شمارهٔ ملی زوج", "Husband's national code"),
        ["husbandName"] = ("نام زوج", "Husband"),
        ["wifeNationalCode"] = ("شمارهٔ ملی زوجه", "Wife's national code"),
        ["wifeName"] = ("نام زوجه", "Wife"),
        ["marriageDate"] = ("تاریخ ازدواج", "Date of marriage"),
        ["marriageKind"] = ("نوع ازدواج", "Kind of marriage"),
        ["termEnds"] = ("پایان مدت", "Term ends"),
        ["divorceDate"] = ("تاریخ طلاق", "Date of divorce"),
        ["divorceKind"] = ("نوع طلاق", "Kind of divorce"),
        ["spouseNationalCode"] = ("شمارهٔ ملی همسر", "Spouse's national code"),
        ["spouseName"] = ("نام همسر", "Spouse"),
        ["date"] = ("تاریخ ازدواج", "Date of marriage"),
        ["kind"] = ("نوع ازدواج", "Kind of marriage"),
        ["endedOn"] = ("تاریخ پایان", "Ended on"),
        ["endedBy"] = ("علت پایان", "Ended by"),
    };

    private static readonly Dictionary<string, (string Fa, string En)> Words = new()
    {
        [Vocabulary.Female] = ("زن", "Female"),
        [Vocabulary.Male] = ("مرد", "Male"),
        [Vocabulary.Permanent] = ("دائم", "Permanent"),
        [Vocabulary.Temporary] = ("موقت", "Temporary"),
        [Vocabulary.EndedByRevocableDivorce] = ("طلاق رجعی", "Revocable divorce"),
        [Vocabulary.EndedByIrrevocableDivorce] = ("طلاق بائن", "Irrevocable divorce"),
        [Vocabulary.EndedByDeath] = ("فوت", "Death"),
        [Vocabulary.EndedByTermWaiver] = ("بذل مدت", "Waiver of the term"),
        [Vocabulary.EndedByAnnulment] = ("فسخ", "Annulment"),
    };

    private static readonly HashSet<string> Dates = ["birthDate", "deathDate", "marriageDate", "termEnds", "divorceDate", "date", "endedOn"];
    private static readonly HashSet<string> CodedWords = ["sex", "marriageKind", "divorceKind", "kind", "endedBy"];

    public static (string Fa, string En) Title(string kind) => Titles[kind];

    public static PrintedDocument Of(IssuedDocument document, string verifyUrl)
    {
        var sections = new List<PrintedSection>();
        var byGroup = document.Fields.GroupBy(f => Group(f.Name)).ToList();
        foreach (var group in byGroup)
        {
            var (fa, en) = SectionTitle(document.Kind, group.Key);
            sections.Add(new PrintedSection(fa, en, [.. group.Select(Field)]));
        }
        var (titleFa, titleEn) = Title(document.Kind);
        return new PrintedDocument(document.Id, document.Kind, document.Language, titleFa, titleEn, document.SerialNumber,
            Instant(document.IssuedAt, persian: true), Instant(document.IssuedAt, persian: false), sections, document.Seal, verifyUrl);
    }

    /// <summary>A printed field, its label and value in both languages.</summary>
    public static PrintedField Field(DocumentField field)
    {
        var name = field.Name[(field.Name.LastIndexOf('.') + 1)..];
        var (labelFa, labelEn) = Labels.GetValueOrDefault(name, (name, name));
        var (valueFa, valueEn) = Value(name, field.Value);
        return new PrintedField(field.Name, labelFa, labelEn, valueFa, valueEn);
    }

    private static (string Fa, string En) Value(string name, string value)
    {
        if (Dates.Contains(name) && DateOnly.TryParseExact(value, "yyyy-MM-dd", out var date))
            return ($"{Digits(SolarHijri.Format(date))} ({Digits(value)})", $"{value} ({SolarHijri.Format(date)} SH)");
        if (CodedWords.Contains(name) && Words.TryGetValue(value, out var word)) return word;
        if (name == "registeredAtOffice" && Offices.Find(value) is { } office)
            return ($"{office.County} ({Digits(value)})", $"{office.CountyEnglish ?? office.County} ({value})");
        return (Digits(value), value);
    }

    private static string Group(string name) => name.Split('.') is [var section, var n, _] ? $"{section}.{n}" : "";

    private static (string Fa, string En) SectionTitle(string kind, string group)
    {
        if (group.Split('.') is [var section, var n])
        {
            var number = int.Parse(n, CultureInfo.InvariantCulture);
            return section == "marriage" ? ($"ازدواج {Digits(n)}", $"Marriage {number}") : ($"فرزند {Digits(n)}", $"Child {number}");
        }
        return kind switch
        {
            DocumentKinds.MarriageCertificate => ("مشخصات ازدواج", "The marriage"),
            DocumentKinds.DivorceCertificate => ("مشخصات طلاق", "The divorce"),
            DocumentKinds.DeathCertificate => ("مشخصات متوفی", "The deceased"),
            _ => ("مشخصات", "Particulars"),
        };
    }

    /// <summary>An instant as the registry prints it: the Solar Hijri date and the time in Tehran, with the Gregorian twin.</summary>
    public static string Instant(DateTimeOffset at, bool persian)
    {
        var tehran = at.ToOffset(Pipeline.Tehran.Offset);
        var date = DateOnly.FromDateTime(tehran.DateTime);
        var time = tehran.ToString("HH:mm", CultureInfo.InvariantCulture);
        return persian
            ? $"{Digits(SolarHijri.Format(date))} ساعت {Digits(time)} ({Digits(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))})"
            : $"{date:yyyy-MM-dd} {time} Tehran ({SolarHijri.Format(date)} SH)";
    }


    /// <summary>ASCII digits as Persian ones.</summary>
    public static string Digits(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++) span[i] = source[i] is >= '0' and <= '9' ? (char)('۰' + (source[i] - '0')) : source[i];
    });
}
