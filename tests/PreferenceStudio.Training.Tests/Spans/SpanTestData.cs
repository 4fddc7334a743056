using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Training.Tests.Spans;

/// <summary>The tiny checkpoints' tokenizer and a planted token-level error pattern written as span labels.</summary>
internal static class SpanTestData
{
    public static readonly BpeTokenizer Tokenizer =
        BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(TinyCheckpoints.Corpus(), merges: 61, TinyCheckpoints.SpecialTokens));

    public static readonly long End = Tokenizer.TokenToId(ChatML.End)!.Value;

    public static readonly string[] Categories = ["factual", "style"];

    // The planted rule: these words are errors of their category wherever they occur, whatever is around them.
    private static readonly Dictionary<string, string> ErrorWords = new()
    {
        ["cat"] = "factual", ["robot"] = "factual", ["sky"] = "factual",
        ["writes"] = "style", ["answers"] = "style",
    };

    private static readonly string[] Words =
        ["the", "a", "my", "our", "cat", "dog", "friend", "model", "team", "robot", "likes", "reads", "writes", "sees",
         "helps", "answers", "book", "question", "good", "code", "answer", "small", "poem", "sky"];

    /// <summary>Responses of 1–3 sentences of random words, each error word marked as a span of its category.</summary>
    public static List<SpanExample> Planted(int count, int seed)
    {
        var random = new Random(seed);
        var builder = new SpanExampleBuilder(Tokenizer, Categories, End);
        var examples = new List<SpanExample>(count);
        for (var n = 0; n < count; n++)
        {
            var text = "";
            var spans = new List<TextSpan>();
            var sentences = random.Next(1, 4);
            for (var s = 0; s < sentences; s++)
            {
                var length = random.Next(3, 7);
                for (var w = 0; w < length; w++)
                {
                    if (text.Length > 0) text += " ";
                    var word = Words[random.Next(Words.Length)];
                    if (ErrorWords.TryGetValue(word, out var category)) spans.Add(new TextSpan(text.Length, text.Length + word.Length, category));
                    text += word;
                }
                text += ".";
            }
            var prompt = ChatML.Format([new ChatMessage("user", $"say something {n % 7}")]);
            examples.Add(builder.Build($"example {n}", prompt, text, spans));
        }
        return examples;
    }
}
