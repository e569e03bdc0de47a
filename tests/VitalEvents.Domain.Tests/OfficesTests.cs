namespace VitalEvents.Domain.Tests;

public class OfficesTests
{
    [Theory]
    [InlineData("001", "تهران", "تهران مرکزی", "Tehran", "tehran")]
    [InlineData("008", "تهران", "تهران مرکزی", "Tehran", "tehran")]
    [InlineData("011", "تهران", "تهران جنوب", "Tehran", "tehran")]
    [InlineData("020", "تهران", "تهران شرق", "Tehran", "tehran")]
    [InlineData("031", "البرز", "کرج", "Alborz", "alborz")]
    [InlineData("052", "مرکزی", "اراک", "Markazi", "markazi")]
    [InlineData("053", "مرکزی", "اراک", "Markazi", "markazi")]
    [InlineData("136", "آذربایجان شرقی", "تبریز", "East Azerbaijan", "east-azerbaijan")]
    [InlineData("138", "آذربایجان شرقی", "تبریز", "East Azerbaijan", "east-azerbaijan")]
    [InlineData("274", "آذربایجان غربی", "ارومیه", "West Azerbaijan", "west-azerbaijan")]
    [InlineData("275", "آذربایجان غربی", "ارومیه", "West Azerbaijan", "west-azerbaijan")]
    public void GivenTheOfficeTable_WhenFindingAKnownCountyCode_ThenItsCountyAndProvinceAreThoseTheCodeWasIssuedIn(
        string code, string province, string county, string provinceEnglish, string slug)
    {
        var office = Offices.Find(code)!;

        (office.Code, office.Province, office.County, office.ProvinceEnglish, office.ProvinceSlug).Should().Be((code, province, county, provinceEnglish, slug));
        office.Name.Should().EndWith($"({code})");
    }

    [Fact]
    public void GivenTheOfficeTable_ThenItHoldsEveryCountyCodeOfTheSourceListOnceWithAllThirtyOneProvinces()
    {
        Offices.List.Should().HaveCount(596);
        Offices.List.Select(o => o.Code).Should().OnlyHaveUniqueItems().And.OnlyContain(c => c.Length == 3 && c.All(char.IsAsciiDigit));
        Offices.ProvinceSlugs.Where(s => s != "foreign-affairs").Should().HaveCount(31);
        Offices.List.Should().OnlyContain(o => o.Province.Length > 0 && o.County.Length > 0 && o.ProvinceEnglish.Length > 0);
        Offices.List.Should().OnlyContain(o => o.ProvinceSlug.All(c => char.IsAsciiLetterLower(c) || c == '-'));
        Offices.List.Should().OnlyContain(o => PersianText.Normalize(o.County) == o.County && PersianText.Normalize(o.Province) == o.Province,
            "names are stored as the registry normalises them");
    }

    [Fact]
    public void GivenTheOfficeTable_WhenAnOfficeHasNoEnglishCountyName_ThenItsNameIsThePersianOne() =>
        Offices.List.Where(o => o.CountyEnglish is null).Should().NotBeEmpty()
            .And.OnlyContain(o => o.Name == $"{o.County} ({o.Code})");

    [Fact]
    public void GivenTheOfficeTable_WhenFindingAnOfficeInPersianOrArabicIndicDigits_ThenItIsTheSameOffice()
    {
        Offices.Find("\u06F1\u06F3\u06F6").Should().Be(Offices.Find("136")).And.NotBeNull();
        Offices.Find("\u0661\u0663\u0666").Should().Be(Offices.Find("136"));
    }

    [Theory]
    [InlineData("000")]
    [InlineData("999")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    public void GivenTheOfficeTable_WhenFindingACodeItDoesNotHold_ThenThereIsNone(string? code) =>
        Offices.Find(code).Should().BeNull();
}
