using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Models.Tests;

/// <summary>
/// Ids from Hugging Face's own tokenizers library (Rust, through the npm package @anush008/tokenizers 0.6.0) for the
/// tiny Qwen2-style tokenizer.json that TinyCheckpoints writes (NFC, Split regex + ByteLevel, added tokens), computed
/// once and embedded here, so no reference implementation is needed when the tests run.
/// </summary>
public class ReferenceTokenizerTests
{
    public static TheoryData<string, long[]> Expected => new()
    {
        { "Hello, world! How's it going?", [72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 33, 32, 72, 111, 119, 39, 115, 32, 105, 116, 32, 300, 105, 110, 103, 63] },
        { "  leading spaces and\ttabs\n\nnewlines  ", [32, 32, 108, 266, 100, 105, 110, 103, 261, 112, 97, 99, 258, 259, 110, 100, 9, 116, 97, 98, 115, 10, 10, 110, 101, 119, 108, 105, 110, 258, 32, 32] },
        { "na\u00efve caf\u00e9 \u2014 \u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8", [110, 97, 195, 175, 118, 101, 263, 97, 102, 195, 169, 32, 226, 128, 148, 32, 230, 151, 165, 230, 156, 172, 232, 170, 158, 227, 129, 174, 227, 131, 134, 227, 130, 173, 227, 130, 185, 227, 131, 136] },
        { "emoji \ud83c\udf89\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67 and flags \ud83c\uddeb\ud83c\uddf7", [290, 111, 106, 105, 32, 240, 159, 142, 137, 240, 159, 145, 169, 226, 128, 141, 240, 159, 145, 169, 226, 128, 141, 240, 159, 145, 167, 259, 110, 100, 32, 102, 108, 97, 103, 115, 32, 240, 159, 135, 171, 240, 159, 135, 183] },
        { "x<|endoftext|>y<|im_start|>user\nhi<|im_end|>\n", [120, 317, 121, 318, 117, 115, 267, 10, 104, 105, 319, 10] },
        { "x 12345 6789", [120, 32, 49, 50, 51, 52, 53, 32, 54, 55, 56, 57] },
        { "line1\r\nline2\n\n\n  end", [108, 105, 110, 101, 49, 13, 10, 108, 105, 110, 101, 50, 10, 10, 10, 32, 32, 101, 110, 100] },
        { "CAPS'S WON'T I'LL", [67, 65, 80, 83, 39, 83, 32, 87, 79, 78, 39, 84, 32, 73, 39, 76, 76] },
    };

    private static readonly BpeTokenizer Tokenizer =
        BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(TinyCheckpoints.Corpus(), 61, TinyCheckpoints.SpecialTokens));

    [Theory]
    [MemberData(nameof(Expected))]
    public void Encodes_exactly_as_the_Hugging_Face_tokenizers_library(string text, long[] expected)
    {
        Tokenizer.Encode(text).ShouldBe(expected);
        Tokenizer.Decode(expected).ShouldBe(text);
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void The_embedded_ids_are_what_Hugging_Face_tokenizers_gives_today(string text, long[] expected)
    {
        // The same Rust library, live, through Tokenizers.DotNet 1.4.1: the embedded ids still stand.
        var path = Path.Combine(Path.GetTempPath(), $"ps-tokenizer-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, BpeTrainer.TrainTokenizerJson(TinyCheckpoints.Corpus(), 61, TinyCheckpoints.SpecialTokens));
        try
        {
            new Tokenizers.DotNet.Tokenizer(path).Encode(text).Select(id => (long)id).ShouldBe(expected);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
