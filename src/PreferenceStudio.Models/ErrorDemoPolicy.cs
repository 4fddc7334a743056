using System.Globalization;
using PreferenceStudio.Models.Llama;
using PreferenceStudio.Models.Tokenization;
using static TorchSharp.torch;

namespace PreferenceStudio.Models;

/// <summary>
/// The PPO demo's base policy: the same tiny Qwen2 and subjects as <see cref="DemoPolicy"/>, pretrained on a corpus
/// whose answers are always <see cref="Sentences"/> sentences, each of which sometimes carries an error: with
/// probability <see cref="ErrorRate"/> its object is a made-up one ("The cat reads the moon."), and independently
/// with the same probability it opens with a filler word ("Basically the cat reads the book."). About 28 % of
/// sentences carry an error, and 39 % of answers an error of each kind. The length is fixed so that a policy can
/// only cut its errors by not making them, not by saying less. The error words come from the caller (the demo's
/// simulated annotator knows them: Annotating.Simulation.DemoErrors). The same seed gives the same model.
/// </summary>
public static class ErrorDemoPolicy
{
    public const int Sentences = 3;

    /// <summary>Probability of each kind of error in each sentence, independently.</summary>
    public const double ErrorRate = 0.15;

    /// <summary>Every prompt: DemoPolicy's (16 subjects × 4 questions), in its order.</summary>
    public static IReadOnlyList<string> Prompts => DemoPolicy.Prompts;

    /// <summary>One conversation of the corpus: a prompt about a subject and <see cref="Sentences"/> sentences about it.</summary>
    public static (string Prompt, string Response) Conversation(Random random, IReadOnlyList<string> madeUpObjects, IReadOnlyList<string> fillers)
    {
        ArgumentNullException.ThrowIfNull(random);
        var subject = DemoPolicy.Subjects[random.Next(DemoPolicy.Subjects.Length)];
        var prompt = string.Format(CultureInfo.InvariantCulture, DemoPolicy.Questions[random.Next(DemoPolicy.Questions.Length)], subject);
        var sentences = Enumerable.Range(0, Sentences).Select(_ =>
        {
            var verb = DemoPolicy.Verbs[random.Next(DemoPolicy.Verbs.Length)];
            var obj = random.NextDouble() < ErrorRate ? "the " + madeUpObjects[random.Next(madeUpObjects.Count)] : DemoPolicy.Objects[random.Next(DemoPolicy.Objects.Length)];
            var sentence = $"{subject} {verb} {obj}.";
            if (random.NextDouble() < ErrorRate) sentence = fillers[random.Next(fillers.Count)] + " " + sentence;
            return char.ToUpperInvariant(sentence[0]) + sentence[1..];
        });
        return (prompt, string.Join(' ', sentences));
    }

    /// <summary>Writes the checkpoint folder (Hugging Face layout, ChatML template, eos = &lt;|im_end|&gt;); returns it.
    /// <paramref name="madeUpObjects"/> and <paramref name="fillers"/>: the error words, lower case.</summary>
    public static string Create(string folder, IReadOnlyList<string> madeUpObjects, IReadOnlyList<string> fillers,
        int trainSteps = DemoPolicy.DefaultTrainSteps, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(madeUpObjects);
        ArgumentNullException.ThrowIfNull(fillers);
        ArgumentOutOfRangeException.ThrowIfNegative(trainSteps);
        if (madeUpObjects.Count == 0 || fillers.Count == 0)
            throw new ArgumentException($"the error demo needs made-up objects and fillers, got {madeUpObjects.Count} and {fillers.Count}");
        Directory.CreateDirectory(folder);
        var random = new Random((int)seed);
        var corpus = Enumerable.Range(0, 2000).Select(_ => Conversation(random, madeUpObjects, fillers)).ToList();
        // More text and merges than DemoPolicy's: the error words are rarer and should still end up whole tokens.
        var tokenizerJson = BpeTrainer.TrainTokenizerJson(
            corpus.Take(800).SelectMany(c => new[] { c.Prompt, c.Response }).Append("user assistant"), merges: 200, TinyCheckpoints.SpecialTokens);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizerJson);
        var tokenizer = BpeTokenizer.FromJson(tokenizerJson);
        var eos = tokenizer.TokenToId(ChatML.End)!.Value;

        manual_seed((long)seed);
        using var model = new LlamaForCausalLM(TinyModels.Qwen2(tokenizer.VocabSize) with { BosTokenId = eos, EosTokenId = eos });
        var examples = corpus.Select(c => (Prompt: tokenizer.Encode(DemoPolicy.ChatPrompt(c.Prompt)), Response: tokenizer.Encode(c.Response + ChatML.End))).ToList();
        DemoPolicy.Train(model, examples, trainSteps, random);
        model.SavePretrained(folder);
        TinyCheckpoints.WriteTokenizerConfig(folder, tokenizer, eos, "Qwen2Tokenizer");
        return folder;
    }
}
