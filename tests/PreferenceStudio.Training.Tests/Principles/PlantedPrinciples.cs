using PreferenceStudio.Models;
using PreferenceStudio.Models.Llama;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Principles;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Principles;

/// <summary>
/// Two principles with rules a tiny model can learn, judged on the same responses, so the model must read which
/// principle it is asked about: "colour" is satisfied iff the response contains a colour word; "short" iff it has
/// fewer than five words (responses have 2-3 or 6-8 words, so no verdict hangs on one word). Each response gets a
/// colour word with probability one half, independently of its length.
/// </summary>
internal static class PlantedPrinciples
{
    public const string Colour = "colour", Short = "short";
    public const string ColourText = "Mentions a colour.";
    public const string ShortText = "Is short: fewer than five words.";
    public const int ShortBelowWords = 5;

    private static readonly string[] Fillers = ["the", "cat", "dog", "sees", "a", "big", "small", "house", "tree", "runs", "sits", "on", "near", "road"];
    private static readonly string[] Colours = ["red", "blue", "green", "yellow"];
    private static readonly string[] Prompts = ["Say something.", "Tell me a thing.", "Describe a scene."];

    private static readonly Lazy<BpeTokenizer> LazyTokenizer = new(() =>
    {
        // The words, the prompts and the template's text, so that most of them become single tokens.
        var corpus = Fillers.Concat(Colours).Concat(Prompts).Concat([ColourText, ShortText, PrincipleTemplate.PrincipleLabel + PrincipleTemplate.Question])
            .SelectMany(line => Enumerable.Repeat(line, 3)).ToList();
        return BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(corpus, merges: 200, TinyCheckpoints.SpecialTokens));
    });

    public static BpeTokenizer Tokenizer => LazyTokenizer.Value;

    public static PrincipleTemplate Template => new(Tokenizer);

    public static PrincipleRewardModel Model(ulong seed = 1)
    {
        manual_seed((long)seed);
        return new PrincipleRewardModel(new LlamaForCausalLM(TinyModels.Qwen2(Tokenizer.VocabSize)));
    }

    public sealed record Response(string Prompt, string Text, bool HasColour, bool IsShort);

    public static List<Response> Responses(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var words = Enumerable.Range(0, random.Next(2) == 0 ? random.Next(2, 4) : random.Next(6, 9))
                .Select(_ => Fillers[random.Next(Fillers.Length)]).ToList();
            var hasColour = random.Next(2) == 0;
            if (hasColour) words[random.Next(words.Count)] = Colours[random.Next(Colours.Length)];
            return new Response(Prompts[random.Next(Prompts.Length)], string.Join(' ', words), hasColour, words.Count < ShortBelowWords);
        }).ToList();
    }

    /// <summary>Every response judged on both principles.</summary>
    public static List<PrincipleExample> Examples(IEnumerable<Response> responses)
    {
        var template = Template;
        return responses.SelectMany(r => new[]
        {
            PrincipleExample.From(template, [new ChatMessage("user", r.Prompt)], r.Text, Colour, ColourText, r.HasColour),
            PrincipleExample.From(template, [new ChatMessage("user", r.Prompt)], r.Text, Short, ShortText, r.IsShort),
        }).ToList();
    }

    public static List<PrincipleExample> Examples(int responses, int seed) => Examples(Responses(responses, seed));
}
