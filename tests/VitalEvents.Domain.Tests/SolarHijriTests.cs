namespace VitalEvents.Domain.Tests;

public class SolarHijriTests
{
    [Theory]
    [InlineData("1404/01/01", 2025, 3, 21)]
    [InlineData("1403/01/01", 2024, 3, 20)]
    [InlineData("1403/12/30", 2025, 3, 20)]
    [InlineData("1404/12/29", 2026, 3, 20)]
    [InlineData("1404/1/1", 2025, 3, 21)]
    [InlineData("\u06F1\u06F4\u06F0\u06F4/\u06F0\u06F1/\u06F0\u06F1", 2025, 3, 21)]
    [InlineData("\u0661\u0664\u0660\u0664/\u0660\u0661/\u0660\u0661", 2025, 3, 21)]
    [InlineData(" 1404/01/01 ", 2025, 3, 21)]
    [InlineData("2025-03-21", 2025, 3, 21)]
    public void GivenAValidDate_WhenParsing_ThenItIsTheGregorianDay(string input, int year, int month, int day)
    {
        SolarHijri.TryParse(input, out var date).Should().BeNull();
        date.Should().Be(new DateOnly(year, month, day));
    }

    [Fact]
    public void GivenEsfand30OfANonLeapYear_WhenParsing_ThenRefusedNaming29Days()
    {
        var error = SolarHijri.TryParse("1404/12/30", out var date);

        error.Should().NotBeNull().And.Contain("29");
        date.Should().Be(default(DateOnly));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("yesterday")]
    [InlineData("1404/01")]
    [InlineData("1404/01/01/01")]
    [InlineData("1404/aa/01")]
    [InlineData("1404/-1/01")]
    [InlineData("1404/13/01")]
    [InlineData("1404/00/10")]
    [InlineData("1404/07/31")]
    [InlineData("1404/01/00")]
    [InlineData("0/01/01")]
    [InlineData("9999/01/01")]
    [InlineData("2025-13-01")]
    [InlineData("2025-02-29")]
    [InlineData("21.03.2025")]
    public void GivenSomethingThatIsNotADate_WhenParsing_ThenRefused(string? input)
    {
        SolarHijri.TryParse(input, out var date).Should().NotBeNullOrWhiteSpace();
        date.Should().Be(default(DateOnly));
    }

    [Fact]
    public void GivenMonth13_WhenParsing_ThenTheMessageNamesTheMonth() =>
        SolarHijri.TryParse("1404/13/01", out _).Should().Contain("13");

    [Theory]
    [InlineData(2025, 3, 21, "1404/01/01")]
    [InlineData(2025, 3, 20, "1403/12/30")]
    [InlineData(2026, 3, 21, "1405/01/01")]
    [InlineData(2025, 6, 1, "1404/03/11")]
    public void GivenAGregorianDay_WhenFormatting_ThenItIsTheSolarHijriDay(int year, int month, int day, string expected) =>
        SolarHijri.Format(new DateOnly(year, month, day)).Should().Be(expected);

    [Fact]
    public void GivenNoDate_WhenFormatting_ThenNull() =>
        SolarHijri.Format((DateOnly?)null).Should().BeNull();

    [Fact]
    public void GivenEveryDayOf1403And1404_WhenParsingAndFormatting_ThenTheDaysAreConsecutiveAndRoundTrip()
    {
        // Months 1–6 have 31 days, 7–11 have 30, Esfand 30 in the leap year 1403 and 29 in 1404 (docs/domain.md, "Dates").
        var expected = new DateOnly(2024, 3, 20);
        foreach (var (year, esfand) in new[] { (1403, 30), (1404, 29) })
        for (var month = 1; month <= 12; month++)
        for (var day = 1; day <= (month <= 6 ? 31 : month <= 11 ? 30 : esfand); day++)
        {
            var text = $"{year:D4}/{month:D2}/{day:D2}";
            SolarHijri.TryParse(text, out var date).Should().BeNull("{0} exists", text);
            date.Should().Be(expected, "{0} follows the day before", text);
            SolarHijri.Format(date).Should().Be(text);
            expected = expected.AddDays(1);
        }
        expected.Should().Be(new DateOnly(2026, 3, 21), "1403 has 366 days and 1404 has 365");
    }

    [Fact]
    public void GivenEveryYearTheRegistryRecords_WhenFormatting_ThenTheDateIsPersianCalendars()
    {
        var calendar = new System.Globalization.PersianCalendar();
        var days = Enumerable.Range(0, SolarHijri.MaxDate.DayNumber - SolarHijri.MinDate.DayNumber + 1).Select(SolarHijri.MinDate.AddDays);
        // Every year's turn (the last days of Esfand, the first of Farvardin) and every seventh day between.
        foreach (var date in days.Where((d, i) => i % 7 == 0 || (d.Month == 3 && d.Day is >= 18 and <= 23)).Append(new DateOnly(1700, 1, 1)).Append(new DateOnly(2400, 6, 1)))
        {
            var dt = date.ToDateTime(TimeOnly.MinValue);
            var expected = $"{calendar.GetYear(dt):D4}/{calendar.GetMonth(dt):D2}/{calendar.GetDayOfMonth(dt):D2}";
            SolarHijri.Format(date).Should().Be(expected, $"{date:yyyy-MM-dd}");
            SolarHijri.Year(date).Should().Be(calendar.GetYear(dt));
        }
    }
}
