using FluentAssertions;
using VitalEvents.Domain;
using VitalEvents.Domain.Verifications;
using Xunit;

namespace VitalEvents.Domain.Tests;

public sealed class VerificationMatchTests
{
    private static readonly StoredIdentity Ali = new("علی", "رضایی", "حسین", new DateOnly(1976, 4, 4), true, null);
    private static readonly StoredIdentity Hossein = new("حسین", "رضایی", null, new DateOnly(1946, 8, 3), false, new DateOnly(2019, 12, 22));

    [Theory]
    [InlineData("علی", "علی", NameMatch.Exact)]
    [InlineData(" علی ", "علی", NameMatch.Exact)]
    [InlineData("\u0639\u0644\u064A", "\u0639\u0644\u06CC", NameMatch.Exact)] // علي / علی: Arabic Yeh is normalised to Persian Yeh
    [InlineData("رضائی", "رضایی", NameMatch.Similar)] // one substitution
    [InlineData("رضایی", "رضای", NameMatch.Similar)] // one deletion
    [InlineData("فاطمة", "فاطمه", NameMatch.Similar)] // the same folded key
    [InlineData("\u0645\u062D\u0645\u062F\u200C\u0631\u0636\u0627", "\u0645\u062D\u0645\u062F\u0631\u0636\u0627", NameMatch.Similar)] // محمد‌رضا / محمدرضا: ZWNJ folded away
    [InlineData("رضایی", "رضا", NameMatch.Different)] // two deletions
    [InlineData("مریم", "زهرا", NameMatch.Different)]
    public void Given_an_asked_and_a_stored_name_When_matched_Then_exact_similar_or_different(string asked, string stored, string expected) =>
        IdentityMatching.MatchName(asked, stored).Should().Be(expected);

    [Fact]
    public void Given_no_stored_name_When_matched_Then_different() =>
        IdentityMatching.MatchName("حسین", null).Should().Be(NameMatch.Different);

    [Fact]
    public void Given_only_some_attributes_asked_When_matched_Then_only_those_are_answered()
    {
        var match = IdentityMatching.Match(new AskedIdentity(new DateOnly(1976, 4, 4), null, "رضائی", null), Ali);

        match.Should().Be(new AttributeMatch(true, null, NameMatch.Similar, null));
        match.All.Should().BeTrue();
    }

    [Fact]
    public void Given_an_unknown_person_When_matched_Then_it_is_answered_as_a_person_of_whom_nothing_matches()
    {
        var asked = new AskedIdentity(new DateOnly(1990, 1, 1), "سارا", "کریمی", "رضا");
        var unknown = IdentityMatching.Match(asked, null);
        var nothingMatches = IdentityMatching.Match(asked, Ali);

        unknown.Should().Be(nothingMatches).And.Be(new AttributeMatch(false, NameMatch.Different, NameMatch.Different, NameMatch.Different));
        IdentityMatching.Alive(unknown, null, mayAsk: true).Should().BeNull();
        IdentityMatching.Alive(nothingMatches, Ali, mayAsk: true).Should().BeNull();
    }

    [Fact]
    public void Given_every_attribute_matched_When_alive_is_asked_Then_it_is_answered_only_to_an_agency_that_may_ask_it()
    {
        var match = IdentityMatching.Match(new AskedIdentity(null, "حسين", null, null), Hossein);

        IdentityMatching.Alive(match, Hossein, mayAsk: true).Should().BeFalse();
        IdentityMatching.Alive(match, Hossein, mayAsk: false).Should().BeNull();
        IdentityMatching.DateOfDeath(match, Hossein, mayAsk: true).Should().Be(new DateOnly(2019, 12, 22));
        IdentityMatching.DateOfDeath(match, Hossein, mayAsk: false).Should().BeNull();
    }

    [Fact]
    public void Given_one_attribute_wrong_When_answered_Then_neither_alive_nor_the_date_of_death_is_given()
    {
        var match = IdentityMatching.Match(new AskedIdentity(new DateOnly(1946, 8, 4), "حسین", null, null), Hossein);

        match.All.Should().BeFalse();
        IdentityMatching.Alive(match, Hossein, mayAsk: true).Should().BeNull();
        IdentityMatching.DateOfDeath(match, Hossein, mayAsk: true).Should().BeNull();
    }

    [Fact]
    public void Given_a_father_name_asked_of_a_person_with_none_recorded_When_matched_Then_different() =>
        IdentityMatching.Match(new AskedIdentity(null, null, null, "حسین"), Hossein).FatherName.Should().Be(NameMatch.Different);

    [Fact]
    public void Given_attributes_asked_Then_their_names_are_listed_in_a_fixed_order() =>
        new AskedIdentity(new DateOnly(2000, 1, 1), null, "a", "b").Names.Should().Equal("birthDate", "familyName", "fatherName");
}
