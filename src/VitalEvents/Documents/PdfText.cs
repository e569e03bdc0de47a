using System.Text;
using HarfBuzzSharp;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace VitalEvents.Documents;

/// <summary>How a piece of text is set: its size, weight and colour.</summary>
internal readonly record struct TextStyle(float Size, bool Bold, SKColor Color);

/// <summary>A line of text shaped and ordered for the page, ready to draw at any point.</summary>
internal sealed class TextLine(float width, SKColor color, IReadOnlyList<TextLine.Piece> pieces)
{
    /// <summary>A word shaped in its own direction, <see cref="X"/> from the line's left edge; <see cref="Order"/> is its logical place.</summary>
    internal sealed record Piece(SKTextBlob Blob, float X, int Order);

    public float Width { get; } = width;

    public void Draw(SKCanvas canvas, float left, float baseline)
    {
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        // Drawn in logical order, so that a reader taking the text in content order (pdftotext -raw) reads it as written.
        foreach (var piece in pieces.OrderBy(p => p.Order)) canvas.DrawText(piece.Blob, left + piece.X, baseline, paint);
    }
}

/// <summary>
/// Sets Persian and English text with the embedded Vazirmatn: splits a line into directional runs (a reduced Unicode
/// bidirectional algorithm: strong letters, numbers and the separators between them, neutrals), shapes each word with HarfBuzz
/// and builds its text blob with the word's UTF-8 text and HarfBuzz's clusters, so that the PDF carries the text each glyph
/// stands for (contextual Arabic forms otherwise extract as presentation forms, or not at all).
/// </summary>
internal sealed class PdfTypesetter : IDisposable
{
    private static readonly Lazy<SKTypeface> RegularFace = new(() => Load("Vazirmatn-Regular.ttf"));
    private static readonly Lazy<SKTypeface> BoldFace = new(() => Load("Vazirmatn-Bold.ttf"));

    // HarfBuzz shapes with one font object from many threads (shaping does not change it): made once, for every document.
    private static readonly Lazy<SKShaper> Regular = new(() => new SKShaper(RegularFace.Value));
    private static readonly Lazy<SKShaper> Bold = new(() => new SKShaper(BoldFace.Value));
    private readonly SKShaper regular = Regular.Value;
    private readonly SKShaper bold = Bold.Value;
    private readonly Dictionary<(bool Bold, float Size), SKFont> fonts = [];
    private readonly List<IDisposable> owned = [];

    private static SKTypeface Load(string file)
    {
        using var stream = typeof(PdfTypesetter).Assembly.GetManifestResourceStream($"VitalEvents.Documents.{file}")
            ?? throw new InvalidOperationException($"The font {file} is not embedded in the assembly.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"The font {file} cannot be read.");
    }

    /// <summary>The distance from one baseline to the next.</summary>
    public float LineHeight(TextStyle style)
    {
        var metrics = Font(style).Metrics;
        return (metrics.Descent - metrics.Ascent) * 1.02f;
    }

    /// <summary>The distance from the top of a line to its baseline.</summary>
    public float Ascent(TextStyle style) => -Font(style).Metrics.Ascent;

    public static bool IsRightToLeft(string text) => text.Any(c => Classify(c) == Bidi.R);

    /// <summary>One line: <paramref name="rtl"/> is the paragraph's direction (labels and values of a Persian column are RTL).</summary>
    public TextLine Line(string text, bool rtl, TextStyle style)
    {
        var font = Font(style);
        var shaper = style.Bold ? bold : regular;
        var pieces = new List<TextLine.Piece>();
        float x = 0;
        foreach (var (start, length, level) in VisualRuns(text, rtl))
        {
            var runRtl = level % 2 == 1;
            var words = Words(text, start, length);
            if (runRtl) words.Reverse();
            foreach (var (offset, word) in words)
            {
                var (utf8, shaped) = Shape(shaper, font, word, runRtl);
                // Spaces are drawn too: a reader takes a space character as a word break more surely than a gap.
                pieces.Add(new TextLine.Piece(Blob(font, runRtl ? ReversedClusters(utf8, shaped.Clusters) : utf8, shaped, word), x, offset));
                x += shaped.Width;
            }
        }
        return new TextLine(x, style.Color, pieces);
    }

    /// <summary>
    /// Breaks text into lines no wider than <paramref name="width"/>, at spaces, or within a word (a long address) that alone is
    /// wider.
    /// </summary>
    public IReadOnlyList<TextLine> Wrap(string text, bool rtl, TextStyle style, float width)
    {
        var lines = new List<TextLine>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length == 0 || Line(candidate, rtl, style).Width <= width)
            {
                current = candidate;
                continue;
            }
            lines.Add(Line(current, rtl, style));
            current = word;
        }
        while (current.Length > 0)
        {
            var line = Line(current, rtl, style);
            if (line.Width <= width || current.Length == 1)
            {
                lines.Add(line);
                break;
            }
            var fits = current.Length - 1;
            while (fits > 1 && Line(current[..fits], rtl, style).Width > width) fits--;
            if (current.LastIndexOf(' ', fits - 1) is var space and > 0) fits = space + 1;
            lines.Add(Line(current[..fits].TrimEnd(), rtl, style));
            current = current[fits..].TrimStart();
        }
        if (lines.Count == 0) lines.Add(Line("", rtl, style));
        return lines;
    }

    private static List<(int Offset, string Word)> Words(string text, int start, int length)
    {
        var words = new List<(int, string)>();
        var end = start + length;
        for (var i = start; i < end;)
        {
            var space = char.IsWhiteSpace(text[i]);
            var j = i;
            while (j < end && char.IsWhiteSpace(text[j]) == space) j++;
            words.Add((i, text[i..j]));
            i = j;
        }
        return words;
    }

    private static (byte[] Utf8, SKShaper.Result Shaped) Shape(SKShaper shaper, SKFont font, string word, bool rtl)
    {
        var utf8 = Encoding.UTF8.GetBytes(word);
        using var buffer = new HarfBuzzSharp.Buffer();
        buffer.AddUtf8(utf8);
        buffer.Direction = rtl ? Direction.RightToLeft : Direction.LeftToRight;
        buffer.Language = new Language(rtl ? "fa" : "en");
        // The font's own zero-width glyph for a ZWNJ, rather than HarfBuzz's stand-in space: the space would map back to U+0020.
        buffer.Flags = BufferFlags.PreserveDefaultIgnorables;
        buffer.GuessSegmentProperties();
        return (utf8, shaper.Shape(buffer, font));
    }

    /// <summary>
    /// The text of a right-to-left word with the characters of each cluster (a lam-alef ligature, a letter and its marks) in
    /// reverse. Skia marks a right-to-left run as /ReversedChars, whose reader reverses the characters it reads in content order,
    /// those a glyph's ActualText stands for included; so a cluster's text must be given reversed to come back as written.
    /// </summary>
    private static byte[] ReversedClusters(byte[] utf8, uint[] clusters)
    {
        var starts = clusters.Distinct().Order().Select(c => (int)c).Append(utf8.Length).ToArray();
        var result = (byte[])utf8.Clone();
        for (var i = 0; i < starts.Length - 1; i++)
        {
            var span = Encoding.UTF8.GetString(utf8, starts[i], starts[i + 1] - starts[i]);
            var runes = span.EnumerateRunes().Reverse().Select(r => r.ToString());
            Encoding.UTF8.GetBytes(string.Concat(runes)).CopyTo(result, starts[i]);
        }
        return result;
    }

    private SKTextBlob Blob(SKFont font, byte[] utf8, SKShaper.Result shaped, string word)
    {
        using var builder = new SKTextBlobBuilder();
        var run = builder.AllocatePositionedTextRun(font, shaped.Codepoints.Length, utf8.Length);
        var glyphs = new ushort[shaped.Codepoints.Length];
        for (var i = 0; i < glyphs.Length; i++) glyphs[i] = (ushort)shaped.Codepoints[i];
        run.SetGlyphs(glyphs);
        run.SetPositions(shaped.Points);
        run.SetText(utf8);
        run.SetClusters(shaped.Clusters);
        var blob = builder.Build() ?? throw new InvalidOperationException($"No text blob for «{word}».");
        owned.Add(blob);
        return blob;
    }

    private SKFont Font(TextStyle style)
    {
        if (!fonts.TryGetValue((style.Bold, style.Size), out var font))
        {
            font = new SKFont(style.Bold ? BoldFace.Value : RegularFace.Value, style.Size) { Subpixel = true };
            fonts[(style.Bold, style.Size)] = font;
        }
        return font;
    }

    public void Dispose()
    {
        foreach (var item in owned) item.Dispose();
        foreach (var font in fonts.Values) font.Dispose();
    }

    private enum Bidi : byte { L, R, Number, Separator, Neutral }

    private static Bidi Classify(char c) => c switch
    {
        >= '0' and <= '9' or >= '\u0660' and <= '\u0669' or >= '\u06F0' and <= '\u06F9' => Bidi.Number,
        '/' or '.' or ',' or ':' or '-' or '\u060C' or '\u066B' or '\u066C' => Bidi.Separator,
        >= '\u0590' and <= '\u08FF' or >= '\uFB1D' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFC' => Bidi.R,
        _ when char.IsLetter(c) => Bidi.L,
        _ => Bidi.Neutral,
    };

    /// <summary>The line's runs of one embedding level, in visual order (left to right).</summary>
    internal static IReadOnlyList<(int Start, int Length, int Level)> VisualRuns(string text, bool rtl)
    {
        var paragraph = rtl ? Bidi.R : Bidi.L;
        var types = text.Select(Classify).ToArray();
        for (var i = 1; i < types.Length - 1; i++)
            if (types[i] == Bidi.Separator && types[i - 1] == Bidi.Number && types[i + 1] == Bidi.Number) types[i] = Bidi.Number;
        for (var i = 0; i < types.Length; i++)
            if (types[i] == Bidi.Separator) types[i] = Bidi.Neutral;

        // A number after Latin letters (or at the start of a left-to-right line) reads as Latin (UAX #9 W7).
        var strong = paragraph;
        for (var i = 0; i < types.Length; i++)
        {
            if (types[i] is Bidi.L or Bidi.R) strong = types[i];
            else if (types[i] == Bidi.Number && strong == Bidi.L) types[i] = Bidi.L;
        }

        // Neutrals between two of the same direction take it; others the line's (N1, N2), numbers counting as right-to-left.
        for (var i = 0; i < types.Length;)
        {
            if (types[i] != Bidi.Neutral) { i++; continue; }
            var j = i;
            while (j < types.Length && types[j] == Bidi.Neutral) j++;
            var before = i == 0 ? paragraph : Strength(types[i - 1]);
            var after = j == types.Length ? paragraph : Strength(types[j]);
            for (var k = i; k < j; k++) types[k] = before == after ? before : paragraph;
            i = j;
        }

        var levels = types.Select(t => (rtl, t) switch
        {
            (false, Bidi.L) => 0,
            (false, Bidi.R) => 1,
            (true, Bidi.R) => 1,
            _ => 2,
        }).ToArray();

        var runs = new List<(int Start, int Length, int Level)>();
        for (var i = 0; i < levels.Length;)
        {
            var j = i;
            while (j < levels.Length && levels[j] == levels[i]) j++;
            runs.Add((i, j - i, levels[i]));
            i = j;
        }
        if (runs.Count == 0) return runs;

        // UAX #9 L2: from the highest level down to the lowest odd one, reverse each sequence at that level or higher.
        var highest = runs.Max(r => r.Level);
        var lowestOdd = runs.Where(r => r.Level % 2 == 1).Select(r => r.Level).DefaultIfEmpty(highest + 1).Min();
        for (var level = highest; level >= lowestOdd; level--)
        {
            for (var i = 0; i < runs.Count;)
            {
                if (runs[i].Level < level) { i++; continue; }
                var j = i;
                while (j < runs.Count && runs[j].Level >= level) j++;
                runs.Reverse(i, j - i);
                i = j;
            }
        }
        return runs;
    }

    private static Bidi Strength(Bidi type) => type == Bidi.Number ? Bidi.R : type;
}
