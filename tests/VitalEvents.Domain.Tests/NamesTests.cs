namespace VitalEvents.Domain.Tests;

public class NamesTests
{
    [Theory]
    [InlineData("Sara", "Sara")]
    [InlineData("sara", "SARA")]
    [InlineData("\u0639\u0644\u06CC", "\u0639\u0644\u064A")] // علی / علي: Persian and Arabic Yeh
    [InlineData("\u0645\u0635\u0637\u0641\u06CC", "\u0645\u0635\u0637\u0641\u0649")] // مصطفی / مصطفى: Alef Maksura
    [InlineData("\u06A9\u0627\u0638\u0645", "\u0643\u0627\u0638\u0645")] // کاظم / كاظم: Keheh and Arabic Kaf
    [InlineData("\u0641\u0627\u0637\u0645\u0647", "\u0641\u0627\u0637\u0645\u0629")] // فاطمه / فاطمة: Heh and Teh Marbuta
    [InlineData("\u0639\u0644\u06CC\u200C\u0631\u0636\u0627", "\u0639\u0644\u06CC\u0631\u0636\u0627")] // علی‌رضا / علیرضا: ZWNJ
    [InlineData("\u0645\u064F\u062D\u0645\u0651\u062F", "\u0645\u062D\u0645\u062F")] // مُحمّد / محمد: diacritics
    [InlineData("Sara", "Zara")] // one substitution in a short name
    [InlineData("Sara", "Sarah")] // one insertion
    [InlineData("Ali", "Al")] // one deletion
    [InlineData("Maryam", "Mariam")]
    [InlineData("Mohammad", "Muhamad")] // two edits in a name of five letters or more
    [InlineData("Zahra", "Zahraa")]
    public void GivenTwoSpellingsOfOneName_WhenComparing_ThenTheyAreSimilar(string a, string b)
    {
        Names.Similar(a, b).Should().BeTrue();
        Names.Similar(b, a).Should().BeTrue("similarity is symmetric");
    }

    [Theory]
    [InlineData("Sara", "Siri")] // two edits in a short name
    [InlineData("Sara", "Mina")]
    [InlineData("Sara", "Sa")] // two letters shorter
    [InlineData("Ali", "Alireza")]
    [InlineData("Fatemeh", "Fatima")] // three edits
    [InlineData("Mohammad", "Mahmood")]
    [InlineData("\u0639\u0644\u06CC", "\u0631\u0636\u0627")] // علی / رضا
    public void GivenTwoDifferentNames_WhenComparing_ThenTheyAreNotSimilar(string a, string b)
    {
        Names.Similar(a, b).Should().BeFalse();
        Names.Similar(b, a).Should().BeFalse("similarity is symmetric");
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("Sara", "Sara", 0)]
    [InlineData("Sara", "Sarah", 1)]
    [InlineData("Sara", "Zara", 1)]
    [InlineData("Sarah", "Sara", 1)]
    [InlineData("abc", "acb", 2)] // no transpositions: two substitutions
    [InlineData("flaw", "lawn", 2)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Sara", "sara", 1)] // ordinal: case is folded by Similar, not here
    public void GivenTwoStrings_WhenMeasuringTheEditDistance_ThenItIsTheLevenshteinDistance(string a, string b, int expected)
    {
        Names.EditDistance(a, b).Should().Be(expected);
        Names.EditDistance(b, a).Should().Be(expected);
    }
}
