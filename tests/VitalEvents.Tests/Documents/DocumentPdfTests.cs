using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SkiaSharp;
using VitalEvents.Documents;
using ZXing;
using ZXing.Common;

namespace VitalEvents.Tests.Documents;

/// <summary>
/// A document as an A4 PDF, read back with Debian's poppler-utils as a person's tools would: its text (Persian extracted as the
/// words written, in logical order, never as presentation forms), its page size, its embedded fonts, and its QR code decoded
/// from the rendered page. No database.
/// </summary>
public sealed class DocumentPdfTests
{
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private const string Serial = "VE-1405-000123";

    private static PrintedField Field(string key, string labelFa, string labelEn, string valueFa, string valueEn) =>
        new(key, labelFa, labelEn, valueFa, valueEn);

    /// <summary>A shenasnameh: its holder, two marriages (the first ended in divorce), and children.</summary>
    private static PrintedDocument Shenasnameh(string language, int children = 3)
    {
        var sections = new List<PrintedSection>
        {
            new("مشخصات دارنده", "Holder", [
                Field("nationalCode", "کد ملی", "National code", "0010000089", "0010000089"),
                Field("givenName", "نام", "Given name", "علی‌رضا", "علی‌رضا"),
                Field("familyName", "نام خانوادگی", "Family name", "محمدی‌نیا", "محمدی‌نیا"),
                Field("fatherName", "نام پدر", "Father's name", "حسین", "حسین"),
                Field("motherName", "نام مادر", "Mother's name", "پریسا", "پریسا"),
                Field("birthDate", "تاریخ تولد", "Date of birth", "۱۳۶۸/۰۴/۲۱", "1989-07-12"),
                Field("birthPlace", "محل تولد", "Place of birth", "تهران", "Tehran"),
                Field("sex", "جنسیت", "Sex", "مرد", "Male"),
            ]),
            new("ازدواج اول", "First marriage", [
                Field("spouse", "همسر", "Spouse", "مریم رضایی", "مریم رضایی"),
                Field("marriedOn", "تاریخ ازدواج", "Date of marriage", "۱۳۹۲/۰۲/۱۵", "2013-05-05"),
                Field("office", "دفترخانه", "Registry office", "دفترخانه 12 تهران", "Marriage registry office 12, Tehran"),
                Field("divorcedOn", "تاریخ طلاق", "Date of divorce", "۱۳۹۶/۱۱/۰۳", "2018-01-23"),
            ]),
            new("ازدواج دوم", "Second marriage", [
                Field("spouse", "همسر", "Spouse", "نگار شاهرخی", "نگار شاهرخی"),
                Field("marriedOn", "تاریخ ازدواج", "Date of marriage", "۱۳۹۸/۰۶/۳۰", "2019-09-21"),
                Field("office", "دفترخانه", "Registry office", "دفترخانه 45 شیراز", "Marriage registry office 45, Shiraz"),
            ]),
        };
        string[] names = ["کیان", "ترانه", "آرمان", "سارا", "بردیا", "نیلوفر", "پارسا", "مهسا", "رها", "سینا", "یاسمن", "امید"];
        for (var i = 0; i < children; i++)
        {
            var name = names[i % names.Length];
            sections.Add(new($"فرزند {i + 1}", $"Child {i + 1}", [
                Field("givenName", "نام", "Given name", name, name),
                Field("nationalCode", "کد ملی", "National code", $"00100001{i:D2}", $"00100001{i:D2}"),
                Field("birthDate", "تاریخ تولد", "Date of birth", $"۱۴۰۰/۰{(char)('۱' + i % 9)}/۱۰", $"2021-0{i % 9 + 1}-01"),
            ]));
        }
        var id = Guid.Parse("0195f0a0-0000-7000-8000-0000000000c1");
        var payload = DocumentSeal.Seal(new SealedClaims("https://sabteahval.ir", new DateTimeOffset(2026, 12, 1, 10, 30, 0, TimeSpan.Zero),
            id, "shenasnameh", new Dictionary<string, string> { ["givenName"] = "علی‌رضا", ["familyName"] = "محمدی‌نیا", ["nationalCode"] = "0010000089" }),
            Key, "ve-2026-1");
        return new PrintedDocument(id, "shenasnameh", language, "شناسنامه", "Birth certificate (Shenasnameh)", Serial,
            "۱۴۰۵/۰۹/۱۰", "2026-12-01", sections, payload, $"https://sabteahval.ir/verify/{id}");
    }

    [Fact]
    public void A_Persian_document_extracts_its_words_as_written_in_logical_order_and_never_as_presentation_forms()
    {
        var text = Text(DocumentPdf.Render(Shenasnameh("fa")));

        text.Should().Contain(DocumentPdf.RegistryFa).And.Contain("شناسنامه").And.Contain(Serial);
        text.Should().Contain("علی‌رضا", "the ZWNJ is kept").And.Contain("محمدی‌نیا").And.Contain("پریسا").And.Contain("مریم رضایی");
        text.Should().Contain("نام خانوادگی").And.Contain("مشخصات دارنده").And.Contain("فرزند 3");
        // pdftotext sets a number within right-to-left text apart with embedding marks and moves the space before it.
        text.Should().MatchRegex("دفترخانه ?12 ?تهران", "a Persian value with ASCII digits keeps its order");
        text.Should().Contain("تاریخ طلاق", "a lam-alef ligature extracts as its two letters in order");
        text.Should().Contain("۱۳۶۸/۰۴/۲۱", "a Persian date reads first to last");
        text.Should().Contain(DocumentPdf.SignedFa);
        text.Should().NotContain("Holder").And.NotContain(DocumentPdf.RegistryEn, "fa prints Persian only");
        PresentationForms(text).Should().BeEmpty();
    }

    [Fact]
    public void An_English_document_prints_English_with_the_names_recorded_in_Persian_script_shaped_and_extracted_whole()
    {
        var text = Text(DocumentPdf.Render(Shenasnameh("en")));

        text.Should().Contain(DocumentPdf.RegistryEn).And.Contain("Birth certificate (Shenasnameh)").And.Contain(Serial);
        text.Should().Contain("Given name").And.Contain("Family name").And.Contain("Date of marriage").And.Contain("Child 3");
        text.Should().Contain("Marriage registry office 12, Tehran").And.Contain(DocumentPdf.SignedEn);
        text.Should().Contain("علی‌رضا").And.Contain("محمدی‌نیا").And.Contain("نگار شاهرخی");
        text.Should().NotContain("نام خانوادگی").And.NotContain(DocumentPdf.RegistryFa, "en prints English only");
        PresentationForms(text).Should().BeEmpty();
    }

    [Fact]
    public void A_document_in_both_languages_prints_each_line_in_Persian_and_in_English()
    {
        var text = Text(DocumentPdf.Render(Shenasnameh("both")));

        text.Should().Contain(DocumentPdf.RegistryFa).And.Contain(DocumentPdf.RegistryEn);
        text.Should().Contain("نام خانوادگی").And.Contain("Family name").And.Contain("محمدی‌نیا");
        text.Should().Contain("تاریخ ازدواج").And.Contain("Date of marriage").And.Contain("2013-05-05").And.Contain("۱۳۹۲/۰۲/۱۵");
        // The QR column's note shares its lines with the header's, so only whole lines are asked for.
        text.Should().Contain("این سند با رمزنگاری امضا شده است").And.Contain("This document is digitally signed").And.Contain(Serial);
        PresentationForms(text).Should().BeEmpty();
    }

    [Theory]
    [InlineData("fa")]
    [InlineData("en")]
    [InlineData("both")]
    public void The_PDF_is_A4_with_its_fonts_embedded(string language)
    {
        var pdf = DocumentPdf.Render(Shenasnameh(language));

        var info = Poppler("pdfinfo", pdf);
        info.Should().MatchRegex(@"Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)");
        var fonts = Poppler("pdffonts", pdf).Split('\n').Where(l => l.Contains("Vazirmatn")).ToList();
        fonts.Should().NotBeEmpty();
        // pdffonts' columns: name, type, encoding, emb, sub, uni, object, generation.
        fonts.Should().AllSatisfy(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^5].Should().Be("yes", line));
    }

    [Fact]
    public void A_long_shenasnameh_flows_onto_further_pages_each_counted_in_its_footer()
    {
        var pdf = DocumentPdf.Render(Shenasnameh("en", children: 12));

        var pages = int.Parse(Regex.Match(Poppler("pdfinfo", pdf), @"Pages:\s+(\d+)").Groups[1].Value);
        pages.Should().BeGreaterThan(1);
        var text = Text(pdf);
        text.Should().Contain("Child 12").And.Contain("امید", "the last child's name is printed");
        text.Should().Contain($"Page {pages} of {pages}");
        Text(pdf, "-f", "2", "-l", "2").Should().Contain("Birth certificate (Shenasnameh)", "a continuation page names its document")
            .And.NotContain(DocumentPdf.RegistryEn, "the header is on the first page only");
    }

    [Theory]
    [InlineData("fa")]
    [InlineData("en")]
    [InlineData("both")]
    public void The_QR_code_on_the_rendered_first_page_decodes_to_the_payload(string language)
    {
        var document = Shenasnameh(language);
        var png = FirstPage(DocumentPdf.Render(document), 100);

        using var bitmap = SKBitmap.Decode(png).Copy(SKColorType.Bgra8888);
        var reader = new BarcodeReaderGeneric { AutoRotate = false, Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true } };
        var result = reader.Decode(bitmap.Bytes, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.BGRA32);

        result.Should().NotBeNull("the QR code is read from the page rendered at 100 dpi");
        result.Text.Should().Be(document.QrPayload);
        DocumentSeal.Read(result.Text, id => id == "ve-2026-1" ? Key : null).SignatureValid.Should().BeTrue();
        var side = result.ResultPoints.Max(p => p.X) - result.ResultPoints.Min(p => p.X);
        (side / 100 * 25.4).Should().BeGreaterThan(30, "the finder patterns' centres span most of a code at least 35 mm wide");
    }

    private static string[] PresentationForms(string text) =>
        text.Where(c => c is >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF').Select(c => $"U+{(int)c:X4}").Distinct().ToArray();

    /// <summary>
    /// pdftotext's text with whitespace made single spaces, and without the embedding marks (U+202A-U+202E) it wraps
    /// right-to-left runs in; the letters are compared as they come.
    /// </summary>
    private static string Text(byte[] pdf, params string[] options)
    {
        var text = Poppler("pdftotext", pdf, [.. options, "-enc", "UTF-8"], "-");
        return Regex.Replace(Regex.Replace(text, "[\u202A-\u202E]", ""), @"\s+", " ");
    }

    private static byte[] FirstPage(byte[] pdf, int dpi)
    {
        var prefix = Path.Combine(Path.GetTempPath(), $"ve-pdf-{Guid.NewGuid():N}");
        Poppler("pdftoppm", pdf, ["-png", "-r", dpi.ToString(), "-f", "1", "-l", "1", "-singlefile"], prefix);
        try { return File.ReadAllBytes(prefix + ".png"); }
        finally { File.Delete(prefix + ".png"); }
    }

    private static string Poppler(string tool, byte[] pdf, string[]? options = null, string? output = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ve-pdf-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var option in options ?? []) start.ArgumentList.Add(option);
            start.ArgumentList.Add(file);
            if (output is not null) start.ArgumentList.Add(output);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (poppler-utils: scripts/setup.sh).");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            process.ExitCode.Should().Be(0, $"{tool} reads the PDF ({stderr})");
            return stdout.Result;
        }
        finally { File.Delete(file); }
    }
}
