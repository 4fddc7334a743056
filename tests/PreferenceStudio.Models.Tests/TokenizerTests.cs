using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Models.Tests;

public class TokenizerTests
{
    // A hand-made GPT-2-style tokenizer.json: bytes for 'a', 'b', 'h', 'e', 't', ' ' ('Ġ') plus merges.
    private const string SmallGpt2Json = """
    {
      "added_tokens": [ { "id": 100, "content": "<|endoftext|>", "special": true } ],
      "normalizer": null,
      "pre_tokenizer": { "type": "ByteLevel", "add_prefix_space": false, "use_regex": true },
      "decoder": { "type": "ByteLevel" },
      "model": {
        "type": "BPE",
        "vocab": { "a": 0, "b": 1, "e": 2, "h": 3, "t": 4, "Ġ": 5, "th": 6, "the": 7, "Ġt": 8, "Ġthe": 9, "!": 10 },
        "merges": [ "t h", "th e", "Ġ t", "Ġt he", "Ġt h", "Ġth e" ]
      }
    }
    """;

    [Fact]
    public void Known_encodings_of_a_small_tokenizer_json()
    {
        var tok = BpeTokenizer.FromJson(SmallGpt2Json);
        // "the": t h (rank 0) -> th e (rank 1) -> the.
        // " the": Ġ t h e; "t h" (0) outranks "Ġ t" (2), so -> Ġ th e -> Ġ the, and no merge joins Ġ with "the".
        tok.Encode("the the").ShouldBe([7L, 5, 7]);
        tok.Encode("ab!").ShouldBe([0L, 1, 10]);
        tok.Encode("the<|endoftext|>the").ShouldBe([7L, 100, 7]);
        tok.Decode([7, 9, 100]).ShouldBe("the the<|endoftext|>");
        tok.Decode([7, 9, 100], skipSpecialTokens: true).ShouldBe("the the");
        tok.VocabSize.ShouldBe(101);
    }

    [Fact]
    public void Merge_ranks_decide_the_order_not_the_position()
    {
        // With only "h e" learned before "t h", "the" becomes t + he, not th + e.
        var json = SmallGpt2Json.Replace("\"merges\": [ \"t h\", \"th e\",", "\"merges\": [ \"h e\", \"t h\", \"th e\",")
            .Replace("\"!\": 10", "\"!\": 10, \"he\": 11");
        BpeTokenizer.FromJson(json).Encode("the").ShouldBe([4L, 11]);
    }

    private static BpeTokenizer Trained() =>
        BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(TinyCheckpoints.Corpus(100), 40, TinyCheckpoints.SpecialTokens));

    [Theory]
    [InlineData("Hello, world!")]
    [InlineData("naïve café — 日本語のテキスト")]
    [InlineData("emoji 🎉👩‍👩‍👧 and flags 🇫🇷")]
    [InlineData("  leading, trailing   \n\n\t tabs and   runs  ")]
    [InlineData("I'm sure you'll SEE it's 12345 + 0.5")]
    [InlineData("")]
    public void Round_trip_is_exact_on_unicode_emoji_and_whitespace(string text)
    {
        var tok = Trained();
        tok.Decode(tok.Encode(text)).ShouldBe(text);
    }

    [Fact]
    public void Trained_merges_shorten_corpus_text_and_special_tokens_stay_whole()
    {
        var tok = Trained();
        var text = "the cat likes the book.";
        tok.Encode(text).Length.ShouldBeLessThan(text.Length * 2 / 3);
        var chat = ChatML.Format([new ChatMessage("user", "hi")]);
        chat.ShouldBe("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
        var ids = tok.Encode(chat);
        ids[0].ShouldBe(tok.TokenToId("<|im_start|>")!.Value);
        ids.Count(i => i == tok.TokenToId("<|im_end|>")).ShouldBe(1);
        tok.Decode(ids).ShouldBe(chat);
    }

    [Fact]
    public void Qwen2_pattern_splits_digits_singly_and_Llama3_in_threes()
    {
        System.Text.RegularExpressions.Regex.Matches("x 12345", PreTokenizerPatterns.Qwen2).Select(m => m.Value).ShouldBe(["x", " ", "1", "2", "3", "4", "5"]);
        System.Text.RegularExpressions.Regex.Matches("12345", PreTokenizerPatterns.Llama3).Select(m => m.Value).ShouldBe(["123", "45"]);
        System.Text.RegularExpressions.Regex.Matches("I'm here", PreTokenizerPatterns.Gpt2).Select(m => m.Value).ShouldBe(["I", "'m", " here"]);
    }

    [Fact]
    public void ChatML_rejects_control_tokens_inside_content()
    {
        Should.Throw<ArgumentException>(() => ChatML.Format([new ChatMessage("user", "x<|im_end|>")]));
        Should.Throw<ArgumentException>(() => ChatML.Format([new ChatMessage("robot", "x")]));
    }
}

public class TokenizerConcurrencyTests
{
    [Fact]
    public void One_tokenizer_encodes_from_many_threads_at_once()
    {
        var tok = BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(TinyCheckpoints.Corpus(50), 30, TinyCheckpoints.SpecialTokens));
        var lines = TinyCheckpoints.Corpus(400, seed: 3);
        var expected = lines.Select(l => BpeTokenizer.FromJson(tok.Json.ToJsonString()).Encode(l)).Take(5).ToList();
        Parallel.For(0, lines.Count, i => tok.Decode(tok.Encode(lines[i])).ShouldBe(lines[i]));
        for (var i = 0; i < 5; i++) tok.Encode(lines[i]).ShouldBe(expected[i]);
    }
}
