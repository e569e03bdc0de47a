using SkiaSharp;

namespace VitalEvents.Documents;

/// <summary>
/// A printed document as an A4 PDF: the registry's header with the title, serial number and issue date beside the QR code that
/// carries the signed claims (with the address to check it at), then each section as a titled block of label and value rows,
/// flowing onto further pages. <c>fa</c> is set right to left, <c>en</c> left to right, <c>both</c> with the Persian half on
/// the right and the English half on the left. The text is shaped (Persian joined, ZWNJ honoured) in the embedded Vazirmatn and
/// extracts as the words written.
/// </summary>
public static class DocumentPdf
{
    public const string RegistryFa = "سازمان ثبت احوال کشور";
    public const string RegistryEn = "National Organization for Civil Registration";
    public const string SignedFa = "این سند با رمزنگاری امضا شده است؛ اصالت آن را با رمزینه یا در نشانی زیر بسنجید.";
    public const string SignedEn = "This document is digitally signed; check it with its QR code or at the address below.";

    // A4 in points, 15 mm margins.
    private const float PageWidth = 595.2756f, PageHeight = 841.8898f, Margin = 42.5f;
    private const float Left = Margin, Right = PageWidth - Margin, ContentWidth = Right - Left;
    private const float ContentBottom = PageHeight - Margin - 14, FooterBaseline = PageHeight - Margin + 6;
    // 41 mm: well above the 35 mm a phone needs to read a QR code of this many modules from a printed page.
    private const float QrSize = 116f, QrColumn = 158f, ColumnGap = 16f;

    private static readonly SKColor Ink = new(0x1A, 0x1A, 0x1A), Muted = new(0x55, 0x5B, 0x63), Accent = new(0x1F, 0x3A, 0x5F);
    private static readonly SKColor RuleColour = new(0xC9, 0xCF, 0xD6), BandColour = new(0xE8, 0xED, 0xF3);

    private static readonly TextStyle RegistryFaStyle = new(13f, true, Accent), RegistryEnStyle = new(11f, true, Accent);
    private static readonly TextStyle TitleStyle = new(18f, true, Ink), SubtitleStyle = new(14f, true, Ink);
    private static readonly TextStyle MetaStyle = new(10f, false, Ink), NoteStyle = new(7.5f, false, Muted), UrlStyle = new(7.5f, false, Ink);
    private static readonly TextStyle SectionStyle = new(11.5f, true, Accent), LabelStyle = new(9f, false, Muted);
    private static readonly TextStyle ValueStyle = new(10.5f, false, Ink), RunningStyle = new(8.5f, false, Muted), FooterStyle = new(7.5f, false, Muted);

    public static byte[] Render(PrintedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!document.PrintsPersian && !document.PrintsEnglish)
            throw new ArgumentException($"A document prints in fa, en or both, not «{document.Language}».", nameof(document));

        using var type = new PdfTypesetter();
        var layout = new Layout(document, type);
        layout.Header();
        foreach (var section in document.Sections) layout.Section(section);

        using var output = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = document.PrintsPersian ? document.TitleFa : document.TitleEn,
            Subject = document.SerialNumber,
            // The QR payload again, as text a verifier reads from the file without decoding the image (DocumentVerifier.PayloadIn).
            Keywords = document.QrPayload,
            Author = document.PrintsPersian ? RegistryFa : RegistryEn,
            Creator = "VitalEvents",
            Producer = "VitalEvents",
        };
        using (var pdf = SKDocument.CreatePdf(output, metadata))
        {
            for (var i = 0; i < layout.Pages.Count; i++)
            {
                var canvas = pdf.BeginPage(PageWidth, PageHeight);
                foreach (var draw in layout.Pages[i]) draw(canvas);
                layout.Footer(canvas, i + 1, layout.Pages.Count);
                pdf.EndPage();
            }
            pdf.Close();
        }
        return output.ToArray();
    }

    private enum Align { Left, Right, Centre }

    /// <summary>Lays the document out page by page as drawing steps; the footer, which counts the pages, is drawn after.</summary>
    private sealed class Layout(PrintedDocument document, PdfTypesetter type)
    {
        public List<List<Action<SKCanvas>>> Pages { get; } = [[]];
        private float y = Margin;
        private readonly bool rtl = document.Language != "en";
        private readonly bool both = document.PrintsPersian && document.PrintsEnglish;

        private void Add(Action<SKCanvas> draw) => Pages[^1].Add(draw);

        private void Ensure(float height)
        {
            if (y + height <= ContentBottom) return;
            Pages.Add([]);
            y = Margin;
            // A continuation page names the document it belongs to.
            if (document.PrintsPersian) Lines([type.Line(document.TitleFa, true, RunningStyle)], RunningStyle, Left, Right, Align.Right, y);
            if (document.PrintsEnglish) Lines([type.Line(document.TitleEn, false, RunningStyle)], RunningStyle, Left, Right, Align.Left, y);
            y += type.LineHeight(RunningStyle) + 3;
            Rule(y, 0.6f, Accent);
            y += 10;
        }

        private void Text(TextLine line, float left, float right, Align align, float baseline)
        {
            var x = align switch
            {
                Align.Left => left,
                Align.Right => right - line.Width,
                _ => left + (right - left - line.Width) / 2,
            };
            Add(canvas => line.Draw(canvas, x, baseline));
        }

        /// <summary>Lines of one style, one under the other from <paramref name="top"/>; returns the height taken.</summary>
        private float Lines(IReadOnlyList<TextLine> lines, TextStyle style, float left, float right, Align align, float top)
        {
            var ascent = type.Ascent(style);
            var height = type.LineHeight(style);
            for (var i = 0; i < lines.Count; i++) Text(lines[i], left, right, align, top + i * height + ascent);
            return lines.Count * height;
        }

        private void Rule(float at, float thickness, SKColor colour) => Add(canvas =>
        {
            using var paint = new SKPaint { Color = colour, StrokeWidth = thickness, IsAntialias = true, Style = SKPaintStyle.Stroke };
            canvas.DrawLine(Left, at, Right, at, paint);
        });

        public void Header()
        {
            var qrLeft = rtl ? Left : Right - QrColumn;
            var textLeft = rtl ? Left + QrColumn + ColumnGap : Left;
            var textRight = rtl ? Right : Right - QrColumn - ColumnGap;
            var align = both ? Align.Centre : rtl ? Align.Right : Align.Left;
            var width = textRight - textLeft;

            var top = y;
            float Block(string text, bool persian, TextStyle style) =>
                Lines(type.Wrap(text, persian, style, width), style, textLeft, textRight, align, top);
            if (document.PrintsPersian) top += Block(RegistryFa, true, RegistryFaStyle);
            if (document.PrintsEnglish) top += Block(RegistryEn, false, RegistryEnStyle);
            top += 10;
            if (document.PrintsPersian) top += Block(document.TitleFa, true, TitleStyle);
            if (document.PrintsEnglish) top += Block(document.TitleEn, false, both ? SubtitleStyle : TitleStyle);
            top += 10;
            if (document.PrintsPersian) top += Block($"شماره سریال: {document.SerialNumber}", true, MetaStyle);
            if (document.PrintsEnglish) top += Block($"Serial number: {document.SerialNumber}", false, MetaStyle);
            if (document.PrintsPersian) top += Block($"تاریخ صدور: {document.IssuedAtFa}", true, MetaStyle);
            if (document.PrintsEnglish) top += Block($"Issued on: {document.IssuedAtEn}", false, MetaStyle);

            var qrTop = y;
            var qrX = qrLeft + (QrColumn - QrSize) / 2;
            var modules = QrModules(document.QrPayload);
            Add(canvas => DrawQr(canvas, modules, qrX, qrTop, QrSize));
            var below = qrTop + QrSize + 4;
            if (document.PrintsPersian)
                below += Lines(type.Wrap(SignedFa, true, NoteStyle, QrColumn), NoteStyle, qrLeft, qrLeft + QrColumn, Align.Centre, below) + 1;
            if (document.PrintsEnglish)
                below += Lines(type.Wrap(SignedEn, false, NoteStyle, QrColumn), NoteStyle, qrLeft, qrLeft + QrColumn, Align.Centre, below) + 1;
            below += Lines(type.Wrap(document.VerifyUrl, false, UrlStyle, QrColumn), UrlStyle, qrLeft, qrLeft + QrColumn, Align.Centre, below);

            y = Math.Max(top, below) + 8;
            Rule(y, 1.2f, Accent);
            y += 14;
        }

        public void Section(PrintedSection section)
        {
            var bandHeight = type.LineHeight(SectionStyle) + 6;
            var rows = section.Fields.Select(RowOf).ToList();
            Ensure(bandHeight + (rows.Count > 0 ? rows[0].Height : 0) + 4);

            var bandTop = y;
            Add(canvas =>
            {
                using var paint = new SKPaint { Color = BandColour, Style = SKPaintStyle.Fill };
                canvas.DrawRect(new SKRect(Left, bandTop, Right, bandTop + bandHeight), paint);
            });
            if (document.PrintsPersian)
                Lines([type.Line(section.TitleFa, true, SectionStyle)], SectionStyle, Left, Right - 8, Align.Right, y + 3);
            if (document.PrintsEnglish)
                Lines([type.Line(section.TitleEn, false, SectionStyle)], SectionStyle, Left + 8, Right, Align.Left, y + 3);
            y += bandHeight + 4;

            foreach (var row in rows)
            {
                Ensure(row.Height);
                var top = y;
                foreach (var cell in row.Cells) Lines(cell.Lines, cell.Style, cell.Left, cell.Right, cell.Align, top + 3);
                y += row.Height;
                Rule(y, 0.4f, RuleColour);
            }
            y += 14;
        }

        private sealed record Cell(IReadOnlyList<TextLine> Lines, TextStyle Style, float Left, float Right, Align Align);

        private sealed record Row(IReadOnlyList<Cell> Cells, float Height);

        private Row RowOf(PrintedField field)
        {
            var cells = new List<Cell>();
            // Persian on the right (the whole width for fa, the right half for both), English on the left.
            var half = both ? (ContentWidth - 24) / 2 : ContentWidth;
            if (document.PrintsPersian) cells.AddRange(Pair(field.LabelFa, field.ValueFa, true, Right - half, Right));
            if (document.PrintsEnglish) cells.AddRange(Pair(field.LabelEn, field.ValueEn, false, Left, Left + half));
            var height = cells.Max(c => c.Lines.Count * type.LineHeight(c.Style)) + 6;
            return new Row(cells, height);
        }

        private IEnumerable<Cell> Pair(string label, string value, bool persian, float left, float right)
        {
            var labelWidth = (right - left) * (both ? 0.42f : 0.32f);
            const float gap = 10;
            value = string.IsNullOrWhiteSpace(value) ? "—" : value;
            // A value in Persian script within an English column still reads right to left.
            var valueRtl = persian || PdfTypesetter.IsRightToLeft(value);
            var labelAlign = persian ? Align.Right : Align.Left;
            if (persian)
            {
                yield return new Cell(type.Wrap(label, true, LabelStyle, labelWidth), LabelStyle, right - labelWidth, right, labelAlign);
                yield return new Cell(type.Wrap(value, valueRtl, ValueStyle, right - left - labelWidth - gap), ValueStyle, left,
                    right - labelWidth - gap, Align.Right);
            }
            else
            {
                yield return new Cell(type.Wrap(label, false, LabelStyle, labelWidth), LabelStyle, left, left + labelWidth, labelAlign);
                yield return new Cell(type.Wrap(value, valueRtl, ValueStyle, right - left - labelWidth - gap), ValueStyle,
                    left + labelWidth + gap, right, Align.Left);
            }
        }

        public void Footer(SKCanvas canvas, int page, int pages)
        {
            var ascent = type.Ascent(FooterStyle);
            var top = FooterBaseline - ascent;
            using (var paint = new SKPaint { Color = RuleColour, StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke })
                canvas.DrawLine(Left, top - 4, Right, top - 4, paint);
            var serial = type.Line(document.SerialNumber, false, FooterStyle);
            var pageFa = type.Line($"صفحه {DocumentPrint.Digits(page.ToString(System.Globalization.CultureInfo.InvariantCulture))} از {DocumentPrint.Digits(pages.ToString(System.Globalization.CultureInfo.InvariantCulture))}", true, FooterStyle);
            var pageEn = type.Line($"Page {page} of {pages}", false, FooterStyle);
            if (both)
            {
                pageFa.Draw(canvas, Right - pageFa.Width, FooterBaseline);
                pageEn.Draw(canvas, Left, FooterBaseline);
                serial.Draw(canvas, Left + (ContentWidth - serial.Width) / 2, FooterBaseline);
            }
            else if (rtl)
            {
                serial.Draw(canvas, Right - serial.Width, FooterBaseline);
                pageFa.Draw(canvas, Left, FooterBaseline);
            }
            else
            {
                serial.Draw(canvas, Left, FooterBaseline);
                pageEn.Draw(canvas, Right - pageEn.Width, FooterBaseline);
            }
        }
    }


    private static bool[][] QrModules(string payload)
    {
        using var data = DocumentQr.Data(payload);
        // The matrix includes the four-module quiet zone a reader needs around the code.
        return data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()).ToArray();
    }

    /// <summary>The QR code as vector squares, each row's dark runs merged, in one path (no seams between modules).</summary>
    private static void DrawQr(SKCanvas canvas, bool[][] modules, float x, float y, float size)
    {
        var module = size / modules.Length;
        using var builder = new SKPathBuilder();
        for (var row = 0; row < modules.Length; row++)
        {
            for (var col = 0; col < modules[row].Length;)
            {
                if (!modules[row][col]) { col++; continue; }
                var end = col;
                while (end < modules[row].Length && modules[row][end]) end++;
                builder.AddRect(new SKRect(x + col * module, y + row * module, x + end * module, y + (row + 1) * module), SKPathDirection.Clockwise);
                col = end;
            }
        }
        using var path = builder.Detach();
        using var paint = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Fill };
        canvas.DrawPath(path, paint);
    }
}
