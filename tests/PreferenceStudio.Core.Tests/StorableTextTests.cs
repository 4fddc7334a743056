using PreferenceStudio.Core;

namespace PreferenceStudio.Core.Tests;

public class StorableTextTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain text, tabs\tand\nlines")]
    [InlineData("emoji 👍🏽 and e\u0301 combining")]
    public void Problem_StorableText_IsNull(string? text) => StorableText.Problem(text).ShouldBeNull();

    [Theory]
    [InlineData("a\0b")]
    [InlineData("\0")]
    public void Problem_TextWithANul_SaysSo(string text) => StorableText.Problem(text).ShouldBe(StorableText.Nul);

    // Not a theory: attribute arguments are stored as UTF-8, which turns half a surrogate pair into U+FFFD.
    [Fact]
    public void Problem_HalfASurrogatePairAnywhere_SaysSo()
    {
        foreach (var text in new[] { "ends in half a pair \ud83d", "\udc4d low half first", "two highs \ud83d\ud83d", "\ud83d" })
            StorableText.Problem(text).ShouldBe(StorableText.LoneSurrogate, text);
    }

    [Fact]
    public void FirstProblem_SecondFieldHasANul_NamesThatField() =>
        StorableText.FirstProblem(("title", "fine"), ("comment", "bad\0"), ("other", "\ud800"))
            .ShouldBe($"comment: {StorableText.Nul}");
}
