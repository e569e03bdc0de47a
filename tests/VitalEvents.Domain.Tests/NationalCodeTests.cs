using System.Reflection;

namespace VitalEvents.Domain.Tests;

public class NationalCodeTests
{
    [Fact]
    public void GivenTheNationalCodesTheDecisionTestsUse_WhenValidating_ThenEachIsValidAndDistinct()
    {
        var codes = typeof(Sample).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name != nameof(Sample.OfficeCode))
            .Select(f => (string)f.GetRawConstantValue()!).ToList();

        codes.Should().HaveCountGreaterThan(10).And.OnlyHaveUniqueItems();
        codes.Should().AllSatisfy(code => NationalCode.Validate(code, out _).Should().BeNull("{0} is used as a national code", code));
    }

    [Theory]
    [InlineData("0012345679")]
    [InlineData("1361234563")]
    [InlineData("0011234520")]
    [InlineData("1361234581")]
    public void GivenAnExampleFromTheDomain_WhenValidating_ThenItIsValid(string code)
    {
        NationalCode.Validate(code, out var normalized).Should().BeNull();
        normalized.Should().Be(code);
        NationalCode.IsValid(code).Should().BeTrue();
    }

    [Theory]
    [InlineData('0')] [InlineData('1')] [InlineData('2')] [InlineData('3')] [InlineData('4')]
    [InlineData('5')] [InlineData('6')] [InlineData('7')] [InlineData('8')]
    public void GivenAWrongCheckDigit_WhenValidating_ThenInvalidChecksum(char checkDigit)
    {
        NationalCode.Validate("001234567" + checkDigit, out _).Should().Be("nationalCode.invalidChecksum");
        NationalCode.IsValid("001234567" + checkDigit).Should().BeFalse();
    }

    [Theory]
    [InlineData('0')] [InlineData('1')] [InlineData('2')] [InlineData('3')] [InlineData('4')]
    [InlineData('5')] [InlineData('6')] [InlineData('7')] [InlineData('8')] [InlineData('9')]
    public void GivenAnAllSameDigitCode_WhenValidating_ThenRepeatedDigits(char digit)
    {
        var code = new string(digit, 10);
        ReferenceCheckDigit(code[..9]).Should().Be(digit - '0', "every all-same-digit code passes the checksum");
        NationalCode.Validate(code, out _).Should().Be("nationalCode.repeatedDigits");
    }

    [Fact]
    public void GivenAZeroSerialWithACorrectCheckDigit_WhenValidating_ThenZeroSerial()
    {
        ReferenceCheckDigit("001000000").Should().Be(3);
        NationalCode.Validate("0010000003", out _).Should().Be("nationalCode.zeroSerial");
    }

    [Theory]
    [InlineData("001234567")]
    [InlineData("00123456a9")]
    [InlineData("abcdefghij")]
    [InlineData("00123456789")]
    [InlineData("001-234567")]
    public void GivenInputThatIsNotTenDigits_WhenValidating_ThenInvalidFormat(string input) =>
        NationalCode.Validate(input, out _).Should().Be("nationalCode.invalidFormat");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void GivenNoInput_WhenValidating_ThenRequired(string? input) =>
        NationalCode.Validate(input, out _).Should().Be("nationalCode.required");

    [Theory]
    [InlineData("\u06F0\u06F0\u06F1\u06F2\u06F3\u06F4\u06F5\u06F6\u06F7\u06F9")]
    [InlineData("\u0660\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0669")]
    public void GivenPersianOrArabicIndicDigits_WhenValidating_ThenValidAndNormalisedToAscii(string input)
    {
        NationalCode.Validate(input, out var normalized).Should().BeNull();
        normalized.Should().Be("0012345679");
    }

    [Fact]
    public void GivenCounty001AndSerial234567_WhenIssuing_ThenTheCodeIs0012345679() =>
        NationalCode.Issue("001", 234567).Should().Be("0012345679");

    [Fact]
    public void GivenASerialThatWouldGiveAnAllSameDigitCode_WhenIssuing_ThenNoCodeIsIssued()
    {
        ReferenceCheckDigit("111111111").Should().Be(1);
        NationalCode.Issue("111", 111111).Should().BeNull();
    }

    [Theory]
    [InlineData("01", 1)]
    [InlineData("0a1", 1)]
    [InlineData("001", 0)]
    [InlineData("001", NationalCode.MaxSerial + 1)]
    public void GivenAMalformedCountyOrSerial_WhenIssuing_ThenItThrows(string county, int serial) =>
        FluentActions.Invoking(() => NationalCode.Issue(county, serial)).Should().Throw<ArgumentException>();

    [Theory]
    [InlineData("001")]
    [InlineData("020")]
    [InlineData("136")]
    [InlineData("275")]
    [InlineData("555")]
    public void GivenThousandsOfSerials_WhenIssuing_ThenEveryIssuedCodeIsValidAndOnlyAllSameDigitCodesAreWithheld(string county)
    {
        // A deterministic spread over the whole serial range, plus both ends and the one serial that repeats the county's digit.
        var serials = Enumerable.Range(0, 3000).Select(i => 1 + (int)(i * 333_331L % NationalCode.MaxSerial))
            .Concat([1, NationalCode.MaxSerial, (county[0] - '0') * 111_111]).Where(s => s >= 1).Distinct().ToArray();
        serials.Should().HaveCountGreaterThan(2900);

        foreach (var serial in serials)
        {
            var nine = county + serial.ToString("D6");
            var expected = nine + ReferenceCheckDigit(nine);
            var issued = NationalCode.Issue(county, serial);
            if (expected.Distinct().Count() == 1)
            {
                issued.Should().BeNull("{0} is an all-same-digit code", expected);
                continue;
            }
            issued.Should().Be(expected);
            NationalCode.Validate(issued, out _).Should().BeNull("{0} was issued", issued);
        }
    }

    /// <summary>The formula of docs/domain.md, written independently of the code under test.</summary>
    private static int ReferenceCheckDigit(string nineDigits)
    {
        var sum = 0;
        for (var position = 1; position <= 9; position++) sum += (nineDigits[position - 1] - '0') * (11 - position);
        var r = sum % 11;
        return r < 2 ? r : 11 - r;
    }
}
