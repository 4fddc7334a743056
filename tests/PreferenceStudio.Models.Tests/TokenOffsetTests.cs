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
}
