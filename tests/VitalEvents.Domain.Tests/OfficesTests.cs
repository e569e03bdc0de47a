namespace VitalEvents.Domain.Tests;

public class OfficesTests
{
    [Fact]
    public void GivenTheShippedOffices_WhenFindingOffice001_ThenItIsTehranCentral()
    {
        var office = Offices.Find("001");

        office.Should().NotBeNull();
        office!.Code.Should().Be("001");
        office.Name.Should().StartWith("Tehran-Central");
    }

    [Fact]
    public void GivenTheShippedOffices_WhenFindingAnOfficeInPersianDigits_ThenItIsTheSameOffice() =>
        Offices.Find("\u06F0\u06F0\u06F1").Should().Be(Offices.Find("001")).And.NotBeNull();

    [Theory]
    [InlineData("999")]
    [InlineData("")]
    [InlineData(null)]
    public void GivenTheShippedOffices_WhenFindingAnUnknownCode_ThenThereIsNone(string? code) =>
        Offices.Find(code).Should().BeNull();

    [Theory]
    [InlineData("001")] [InlineData("002")] [InlineData("003")] [InlineData("004")]
    [InlineData("005")] [InlineData("006")] [InlineData("007")] [InlineData("008")]
    [InlineData("011")] [InlineData("020")] [InlineData("052")] [InlineData("053")]
    [InlineData("136")] [InlineData("137")] [InlineData("138")] [InlineData("274")] [InlineData("275")]
    public void GivenTheShippedOffices_WhenFindingACountyCodeNamedInTheDomain_ThenItExists(string code)
    {
        Offices.Find(code).Should().NotBeNull().And.BeEquivalentTo(new { Code = code });
        Offices.List.Should().ContainSingle(o => o.Code == code);
    }
}
