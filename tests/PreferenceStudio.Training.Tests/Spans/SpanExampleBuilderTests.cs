using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Training.Tests.Spans;

/// <summary>Span offsets (UTF-16) become per-token tags through the tokenizer's offsets.</summary>
public class SpanExampleBuilderTests
{
    private static readonly SpanExampleBuilder Builder = new(SpanTestData.Tokenizer, SpanTestData.Categories);

    // The tags of the tokens that cover text[start..end), and of all the others.
    private static (List<int> Inside, List<int> Outside) TagsAround(string text, SpanExample example, int start, int end)
    {
        var (_, offsets) = SpanTestData.Tokenizer.EncodeWithOffsets(text);
        var inside = new List<int>();
        var outside = new List<int>();
        for (var t = 0; t < offsets.Length; t++)
            (offsets[t].Overlaps(start, end) ? inside : outside).Add(example.Tags[t]);
        return (inside, outside);
    }

    [Fact]
    public void Build_SpanOnTokenBoundaries_TagsExactlyItsTokens()
    {
        const string text = "the cat likes the book.";
        var (ids, offsets) = SpanTestData.Tokenizer.EncodeWithOffsets(text);
        // A span from the start of one token to the end of the next one.
        var (start, end) = (offsets[1].Start, offsets[2].End);

        var example = Builder.Build("e", "p", text, [new TextSpan(start, end, "style")]);

        example.Response.ShouldBe(ids);
        example.Tags.ShouldBe(ids.Select((_, t) => t is 1 or 2 ? 2 : 0).ToArray());
    }

    [Fact]
    public void Build_SpanInsideOneToken_TagsTheWholeTokenOnly()
    {
        const string text = "the cat likes the book.";
        var (ids, offsets) = SpanTestData.Tokenizer.EncodeWithOffsets(text);
        var longest = Enumerable.Range(0, ids.Length).MaxBy(t => offsets[t].End - offsets[t].Start);
        (offsets[longest].End - offsets[longest].Start).ShouldBeGreaterThan(2);

        // One character in the middle of the token.
        var example = Builder.Build("e", "p", text, [new TextSpan(offsets[longest].Start + 1, offsets[longest].Start + 2, "factual")]);

        example.Tags.ShouldBe(ids.Select((_, t) => t == longest ? 1 : 0).ToArray());
    }

    [Fact]
    public void Build_MultiByteCharacters_TagsEveryTokenOfTheMarkedCharactersAndNoOther()
    {
        // 🍕 is 2 UTF-16 units and 4 UTF-8 bytes (several byte tokens); é is decomposed (2 units, 1 after NFC).
        const string text = "Pizza 🍕 is good, cafe\u0301 too.";
        var pizza = text.IndexOf("🍕", StringComparison.Ordinal);
        var accent = text.IndexOf('\u0301', StringComparison.Ordinal);

        var example = Builder.Build("e", "p", text, [new TextSpan(pizza, pizza + 2, "style"), new TextSpan(accent, accent + 1, "factual")]);

        var (pizzaTags, _) = TagsAround(text, example, pizza, pizza + 2);
        pizzaTags.Count.ShouldBeGreaterThan(1);
        pizzaTags.ShouldAllBe(t => t == 2);
        var (accentTags, _) = TagsAround(text, example, accent, accent + 1);
        accentTags.ShouldNotBeEmpty();
        accentTags.ShouldAllBe(t => t == 1);
        example.Tags.Count(t => t != 0).ShouldBe(pizzaTags.Count + accentTags.Count);
        example.Response.ShouldBe(SpanTestData.Tokenizer.Encode(text));
    }

    [Fact]
    public void Build_OverlappingSpans_MoreSevereWinsThenTheCategoryListedFirst()
    {
        const string text = "the cat likes the book.";
        var (ids, offsets) = SpanTestData.Tokenizer.EncodeWithOffsets(text);
        var whole = new TextSpan(0, text.Length, "style", Severity: 3);
        var part = new TextSpan(offsets[1].Start, offsets[1].End, "factual", Severity: 1);

        // The critical style span covers everything, the minor factual one loses where they overlap.
        Builder.Build("e", "p", text, [part, whole]).Tags.ShouldAllBe(t => t == 2);
        // At equal severity, "factual" (listed first in the taxonomy) wins its token, whatever the spans' order.
        var even = whole with { Severity = 1 };
        var expected = ids.Select((_, t) => t == 1 ? 1 : 2).ToArray();
        Builder.Build("e", "p", text, [even, part]).Tags.ShouldBe(expected);
        Builder.Build("e", "p", text, [part, even]).Tags.ShouldBe(expected);
    }

    [Fact]
    public void Build_NoSpans_AllTokensNoErrorAndTheEndTokenAppended()
    {
        var builder = new SpanExampleBuilder(SpanTestData.Tokenizer, SpanTestData.Categories, SpanTestData.End);

        var example = builder.Build("e", "<|im_start|>user\nhi<|im_end|>\n", "the sky.", []);

        example.Response[^1].ShouldBe(SpanTestData.End);
        example.Response.Count.ShouldBe(SpanTestData.Tokenizer.Encode("the sky.").Length + 1);
        example.Tags.ShouldAllBe(t => t == 0);
        example.Prompt.ShouldBe(SpanTestData.Tokenizer.Encode("<|im_start|>user\nhi<|im_end|>\n"));
    }

    [Fact]
    public void Build_BadSpans_AreRefusedNamingTheExampleAndTheSpan()
    {
        Should.Throw<ArgumentException>(() => Builder.Build("label 7, response 3", "p", "short", [new TextSpan(0, 2, "style"), new TextSpan(2, 9, "factual")]))
            .Message.ShouldContain("label 7, response 3: span 1 [2, 9) 'factual' lies outside the response of 5 UTF-16 characters");
        Should.Throw<ArgumentException>(() => Builder.Build("r", "p", "short", [new TextSpan(3, 3, "style")]))
            .Message.ShouldContain("r: span 0 [3, 3) 'style' is not a non-empty range");
        Should.Throw<ArgumentException>(() => Builder.Build("r", "p", "short", [new TextSpan(0, 1, "tone")]))
            .Message.ShouldContain("the category is not in the taxonomy (factual, style)");
    }
}
