namespace VitalEvents.Domain.Tests;

public class PersianTextTests
{
    // Each row is one step of the normalisation in docs/domain.md; the data is written with \u escapes so nothing hides in it.
    [Theory]
    [InlineData("1 NFC composes Yeh + Hamza above into \u0626, before Yeh is mapped",
        "\u0645\u0633\u0627\u064A\u0654\u0644", "\u0645\u0633\u0627\u0626\u0644")]
    [InlineData("2 Arabic Yeh U+064A becomes Persian Yeh", "\u0639\u0644\u064A", "\u0639\u0644\u06CC")]
    [InlineData("2 Alef Maksura U+0649 becomes Persian Yeh", "\u0645\u0648\u0633\u0649", "\u0645\u0648\u0633\u06CC")]
    [InlineData("2 Arabic Kaf U+0643 becomes Keheh", "\u0643\u0631\u064A\u0645", "\u06A9\u0631\u06CC\u0645")]
    [InlineData("3 Persian digits become ASCII",
        "\u06F0\u06F1\u06F2\u06F3\u06F4\u06F5\u06F6\u06F7\u06F8\u06F9", "0123456789")]
    [InlineData("3 Arabic-Indic digits become ASCII",
        "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669", "0123456789")]
    [InlineData("4 presentation forms become base letters", "\uFEE3\uFEA4\uFEE4\uFEAA", "\u0645\u062D\u0645\u062F")]
    [InlineData("4 Persian presentation forms (Keheh, Farsi Yeh) become base letters", "\uFB8E\uFBFC", "\u06A9\u06CC")]
    [InlineData("4+2 a presentation form of Arabic Yeh ends as Persian Yeh", "\uFEDB\uFEE0\uFEF2", "\u06A9\u0644\u06CC")]
    [InlineData("5 diacritics are removed", "\u0645\u064F\u062D\u064E\u0645\u0651\u064E\u062F", "\u0645\u062D\u0645\u062F")]
    [InlineData("5 superscript Alef U+0670 is removed", "\u0631\u062D\u0645\u0670\u0646", "\u0631\u062D\u0645\u0646")]
    [InlineData("5 tatweel U+0640 is removed", "\u0645\u062D\u0640\u0640\u0645\u062F", "\u0645\u062D\u0645\u062F")]
    [InlineData("6 runs of whitespace collapse and the ends are trimmed",
        "  \u0639\u0644\u06CC \t\n  \u0631\u0636\u0627  ", "\u0639\u0644\u06CC \u0631\u0636\u0627")]
    [InlineData("6 no-break space U+00A0 becomes a space", "\u0639\u0644\u06CC\u00A0\u0631\u0636\u0627", "\u0639\u0644\u06CC \u0631\u0636\u0627")]
    [InlineData("6 repeated ZWNJ collapses to one",
        "\u0645\u062D\u0645\u062F\u200C\u200C\u200C\u0639\u0644\u06CC", "\u0645\u062D\u0645\u062F\u200C\u0639\u0644\u06CC")]
    [InlineData("6 ZWNJ next to a space is dropped",
        "\u0639\u0644\u06CC\u200C \u200C\u0631\u0636\u0627", "\u0639\u0644\u06CC \u0631\u0636\u0627")]
    [InlineData("6 ZWNJ at the edges of the text is dropped", "\u200C\u0639\u0644\u06CC\u200C", "\u0639\u0644\u06CC")]
    [InlineData("6 a single ZWNJ inside a word is kept",
        "\u0645\u062D\u0645\u062F\u200C\u0639\u0644\u06CC", "\u0645\u062D\u0645\u062F\u200C\u0639\u0644\u06CC")]
    public void GivenTextNeedingOneStep_WhenNormalising_ThenTheStepIsApplied(string step, string input, string expected) =>
        PersianText.Normalize(input).Should().Be(expected, step);

    [Theory]
    [InlineData('\u064B')] [InlineData('\u064C')] [InlineData('\u064D')] [InlineData('\u064E')] [InlineData('\u064F')]
    [InlineData('\u0650')] [InlineData('\u0651')] [InlineData('\u0652')] [InlineData('\u0653')] [InlineData('\u0654')]
    [InlineData('\u0655')] [InlineData('\u0670')] [InlineData('\u0640')]
    public void GivenADiacriticOrTatweelAfterBeh_WhenNormalising_ThenItIsRemoved(char mark) =>
        PersianText.Normalize("\u0628" + mark + "\u062F").Should().Be("\u0628\u062F");

    // The isolated forms of the diacritics (U+FE70–FE7F, every one that is not a tatweel form) and the shadda ligatures
    // (U+FC5E–FC63) decompose to a space and marks: the word must not split.
    [Theory]
    [InlineData('\uFE70')] [InlineData('\uFE72')] [InlineData('\uFE74')] [InlineData('\uFE76')] [InlineData('\uFE78')]
    [InlineData('\uFE7A')] [InlineData('\uFE7C')] [InlineData('\uFE7E')]
    [InlineData('\uFE71')] [InlineData('\uFE77')] [InlineData('\uFE79')] [InlineData('\uFE7B')] [InlineData('\uFE7D')] [InlineData('\uFE7F')]
    [InlineData('\uFC5E')] [InlineData('\uFC5F')] [InlineData('\uFC60')] [InlineData('\uFC61')] [InlineData('\uFC62')] [InlineData('\uFC63')]
    public void GivenAnIsolatedDiacriticFormInsideAWord_WhenNormalising_ThenTheWordStaysWholeWithoutTheMark(char form)
    {
        PersianText.Normalize("\u0628" + form + "\u062F").Should().Be("\u0628\u062F");
        PersianText.SearchKey("\u0628" + form + "\u062F").Should().Be("\u0628\u062F");
    }

    [Fact]
    public void GivenALigatureOfWords_WhenNormalising_ThenItsWordsKeepTheirSpaces() =>
        PersianText.Normalize("\uFDF2").Should().Be("\u0627\u0644\u0644\u0647", "a one-word ligature has no space to keep")
            .And.Subject.Should().NotContain(" ");

    // Invisible format characters would make two names that look the same differ, in storage and in search.
    [Theory]
    [InlineData('\u200B')] [InlineData('\u200D')] [InlineData('\u200E')] [InlineData('\u200F')]
    [InlineData('\u202A')] [InlineData('\u202B')] [InlineData('\u202C')] [InlineData('\u202D')] [InlineData('\u202E')]
    [InlineData('\u2066')] [InlineData('\u2067')] [InlineData('\u2068')] [InlineData('\u2069')]
    [InlineData('\uFEFF')] [InlineData('\u061C')] [InlineData('\u00AD')] [InlineData('\u2060')]
    public void GivenAnInvisibleFormatCharacterInAName_WhenNormalising_ThenItIsRemoved(char invisible)
    {
        PersianText.Normalize(invisible + "\u0639\u0644" + invisible + "\u06CC" + invisible).Should().Be("\u0639\u0644\u06CC");
        PersianText.SearchKey("\u0639\u0644" + invisible + "\u06CC").Should().Be(PersianText.SearchKey("\u0639\u0644\u06CC"));
    }

    [Fact]
    public void GivenZwnjAmongInvisibleMarks_WhenNormalising_ThenOnlyTheZwnjStays() =>
        PersianText.Normalize("\u0645\u06CC\u200F\u200C\u200B\u0631\u0648\u062F").Should().Be("\u0645\u06CC\u200C\u0631\u0648\u062F");

    [Fact]
    public void GivenALoneSurrogate_WhenNormalising_ThenItBecomesTheReplacementCharacterInsteadOfFailing() =>
        PersianText.Normalize("\u0639\uD800\u0644\uDC00").Should().Be("\u0639\uFFFD\u0644\uFFFD");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \u00A0\t ")]
    public void GivenNoText_WhenNormalising_ThenEmpty(string? input) =>
        PersianText.Normalize(input).Should().BeEmpty();

    [Theory]
    [InlineData("\u0629 folds to \u0647", "\u0641\u0627\u0637\u0645\u0629", "\u0641\u0627\u0637\u0645\u0647")]
    [InlineData("\u06C0 folds to \u0647", "\u062E\u0627\u0646\u06C0", "\u062E\u0627\u0646\u0647")]
    [InlineData("\u0623 folds to \u0627", "\u0623\u062D\u0645\u062F", "\u0627\u062D\u0645\u062F")]
    [InlineData("\u0625 folds to \u0627", "\u0625\u0628\u0631\u0627\u0647\u06CC\u0645", "\u0627\u0628\u0631\u0627\u0647\u06CC\u0645")]
    [InlineData("ZWNJ is removed", "\u0645\u062D\u0645\u062F\u200C\u0639\u0644\u06CC", "\u0645\u062D\u0645\u062F\u0639\u0644\u06CC")]
    [InlineData("the text is normalised first", "\u0641\u0627\u0637\u0645\u0629 \u0643\u0631\u064A\u0645\u064A", "\u0641\u0627\u0637\u0645\u0647 \u06A9\u0631\u06CC\u0645\u06CC")]
    public void GivenAName_WhenMakingItsSearchKey_ThenLetterVariantsAreFolded(string fold, string input, string expected) =>
        PersianText.SearchKey(input).Should().Be(expected, fold);

    [Fact]
    public void GivenTwoSpellingsOfOneName_WhenMakingSearchKeys_ThenTheKeysAreEqualButTheStoredNamesDiffer()
    {
        const string arabic = "\u0641\u0627\u0637\u0645\u0629";
        const string persian = "\u0641\u0627\u0637\u0645\u0647";

        PersianText.Normalize(arabic).Should().NotBe(PersianText.Normalize(persian));
        PersianText.SearchKey(arabic).Should().Be(PersianText.SearchKey(persian));
    }

    [Fact]
    public void GivenMixedDigits_WhenConvertingToAsciiDigits_ThenOnlyDigitsChange() =>
        PersianText.AsciiDigits("\u06F1\u06F4\u06F0\u06F4/\u0660\u0661/01 \u0639").Should().Be("1404/01/01 \u0639");

    // A name chosen online for a newborn must be in Persian script: Arabic-block letters, spaces and ZWNJ (docs/domain.md, "Given name").
    [Theory]
    [InlineData("\u0633\u0627\u0631\u0627")] // سارا
    [InlineData("\u0645\u062D\u0645\u062F\u200C\u0639\u0644\u06CC")] // محمد‌علی, with ZWNJ
    [InlineData("\u0641\u0627\u0637\u0645\u0647 \u0632\u0647\u0631\u0627")] // فاطمه زهرا, with a space
    [InlineData("\u0622\u0631\u0634 \u067E\u0698\u0645\u0627\u0646")] // آرش پژمان: Persian-only letters (Alef madda, Peh, Jeh)
    public void GivenANameInPersianLetters_WhenCheckingItsScript_ThenItIsPersian(string name) =>
        PersianText.IsPersianScript(PersianText.Normalize(name)).Should().BeTrue();

    [Theory]
    [InlineData("Sara")]
    [InlineData("123")]
    [InlineData("\u06F1\u06F2\u06F3")] // Persian digits, unnormalised: still not letters
    [InlineData("\u0633\u0627\u0631\u0627 Sara")] // mixed scripts
    [InlineData("\u0633\u0627\u0631\u06272")] // a letter-and-digit mix
    [InlineData("\u0633\u0627\u0631\u0627\u060C\u0645\u0631\u06CC\u0645")] // Arabic comma: of the block, but not a letter
    [InlineData("   ")]
    [InlineData(" \u200C ")]
    [InlineData("\u200C")]
    [InlineData("")]
    public void GivenTextNotInPersianLettersAlone_WhenCheckingItsScript_ThenItIsNotPersian(string text) =>
        PersianText.IsPersianScript(text).Should().BeFalse();
}
