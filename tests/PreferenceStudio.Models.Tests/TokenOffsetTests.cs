using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Models.Tests;

/// <summary>EncodeWithOffsets gives Encode's ids, each with the characters it came from.</summary>
public class TokenOffsetTests
{
    // The tiny checkpoints' tokenizer: byte-level BPE with NFC and ChatML added tokens, learned on a small corpus.
    private static readonly BpeTokenizer Tiny =
        BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(TinyCheckpoints.Corpus(), merges: 61, TinyCheckpoints.SpecialTokens));

    private static readonly string[] Texts =
    [
        "the cat likes the book.",
        "  my friend\n\nwrites good code!  ",
        "Pizza 🍕 is good, cafe\u0301 too 👩‍👩‍👧 ok.",
        "naïve 東京 δοκιμή",
        "<|im_start|>user\nthe sky<|im_end|>\n",
        "lone \ud83d surrogate",
        "",
    ];

    [Fact]
    public void EncodeWithOffsets_EveryText_GivesTheIdsOfEncode()
    {
        foreach (var text in Texts)
            Tiny.EncodeWithOffsets(text).Ids.ShouldBe(Tiny.Encode(text), text);
    }

    [Fact]
    public void EncodeWithOffsets_AsciiText_EachTokenDecodesToItsCharacters()
    {
        foreach (var text in Texts.Take(2).Append("<|im_start|>user\nthe sky<|im_end|>\n"))
        {
            var (ids, offsets) = Tiny.EncodeWithOffsets(text);
            for (var i = 0; i < ids.Length; i++)
                Tiny.Decode([ids[i]]).ShouldBe(text[offsets[i].Start..offsets[i].End], $"token {i} of '{text}'");
            // The tokens tile the text: each starts where the previous ended.
            offsets.Select(o => o.Start).ShouldBe(offsets.Select(o => o.End).Prepend(0).Take(offsets.Length));
            offsets[^1].End.ShouldBe(text.Length);
        }
    }

    [Fact]
    public void EncodeWithOffsets_MultiByteCharacters_EveryTokenCoversTheCharactersOfItsBytes()
    {
        foreach (var text in Texts)
        {
            var (ids, offsets) = Tiny.EncodeWithOffsets(text);
            for (var i = 0; i < ids.Length; i++)
            {
                var (start, end) = (offsets[i].Start, offsets[i].End);
                (start >= 0 && start < end && end <= text.Length).ShouldBeTrue($"token {i} of '{text}': [{start}, {end})");
                // Never splits a surrogate pair.
                char.IsLowSurrogate(text[start]).ShouldBeFalse();
                if (end < text.Length) char.IsLowSurrogate(text[end]).ShouldBeFalse();
            }
            for (var i = 1; i < ids.Length; i++) offsets[i].Start.ShouldBeGreaterThanOrEqualTo(offsets[i - 1].Start);
        }
    }

    [Fact]
    public void EncodeWithOffsets_EmojiSplitAcrossTokens_BothTokensCoverIt()
    {
        // 🍕 is four UTF-8 bytes the tiny vocabulary has no merge for: four tokens, all on its two UTF-16 units.
        const string text = "a 🍕";
        var (ids, offsets) = Tiny.EncodeWithOffsets(text);
        var pizza = offsets.Where(o => o.Overlaps(2, 4)).ToList();
        pizza.Count.ShouldBeGreaterThan(1);
        pizza.ShouldAllBe(o => o.Start <= 2 && o.End == 4);
        Tiny.Decode(ids.Skip(ids.Length - pizza.Count)).Trim().ShouldBe("🍕");
    }

    [Fact]
    public void EncodeWithOffsets_DecomposedAccent_MapsTheComposedCharacterToBothOriginalOnes()
    {
        // NFC turns e + U+0301 (2 units) into é (1): its tokens cover both original units.
        const string text = "cafe\u0301 ok";
        var (_, offsets) = Tiny.EncodeWithOffsets(text);
        offsets.ShouldContain(o => o.Overlaps(3, 5) && o.End == 5);
        offsets.Where(o => o.Overlaps(5, text.Length)).ShouldAllBe(o => o.Start >= 5);
        offsets[^1].End.ShouldBe(text.Length);
    }

    [Theory]
    [MemberData(nameof(ReferenceTokenizerTests.Expected), MemberType = typeof(ReferenceTokenizerTests))]
    public void EncodeWithOffsets_ReferenceTexts_GivesTheHuggingFaceIds(string text, long[] expected)
    {
        var (ids, offsets) = Tiny.EncodeWithOffsets(text);

        ids.ShouldBe(expected);
        offsets.ShouldAllBe(o => o.Start >= 0 && o.Start < o.End && o.End <= text.Length);
    }

    [Fact]
    public void EncodeWithOffsets_AddedPrefixSpace_CoversNoCharacter()
    {
        // GPT-2-style with add_prefix_space: "the the" is encoded as " the the"; no merge joins Ġ with "the", so each
        // word is Ġ + the, and the first Ġ is the added space.
        const string json = """
        {
          "added_tokens": [],
          "normalizer": null,
          "pre_tokenizer": { "type": "ByteLevel", "add_prefix_space": true, "use_regex": true },
          "model": {
            "type": "BPE",
            "vocab": { "e": 2, "h": 3, "t": 4, "Ġ": 5, "th": 6, "the": 7, "Ġt": 8, "Ġthe": 9 },
            "merges": [ "t h", "th e", "Ġ t", "Ġt he", "Ġt h", "Ġth e" ]
          }
        }
        """;
        var tokenizer = BpeTokenizer.FromJson(json);

        var (ids, offsets) = tokenizer.EncodeWithOffsets("the the");

        ids.ShouldBe(tokenizer.Encode("the the"));
        ids.ShouldBe([5L, 7, 5, 7]);
        offsets.ShouldBe([new TokenOffset(0, 0), new TokenOffset(0, 3), new TokenOffset(3, 4), new TokenOffset(4, 7)]);
        offsets[0].Overlaps(0, 7).ShouldBeFalse();
    }
}
