using PreferenceStudio.Models.Generation;
using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Models.Tests;

public class DemoPolicyTests
{
    [Fact]
    public void Create_SampledThroughTheChatTemplate_AnswersSpreadFromOneSentenceToEight()
    {
        using var folder = new TempFolder();
        DemoPolicy.Create(folder.Path, seed: 3);
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(folder.Path, "tokenizer.json"));
        using var model = CausalLM.FromPretrained(folder.Path);
        var stop = tokenizer.TokenToId(ChatML.End)!.Value;
        var prompts = DemoPolicy.Prompts.Take(8).SelectMany(p => Enumerable.Repeat(tokenizer.Encode(DemoPolicy.ChatPrompt(p)), 16)).ToList();

        var answers = Generator.Generate(model, prompts, new GenerationOptions
        {
            MaxNewTokens = 64, Temperature = 1, StopTokens = [stop], PadTokenId = stop, Seed = 1,
        });

        var texts = answers.Select(a => tokenizer.Decode(a.Tokens, skipSpecialTokens: true).Trim()).ToList();
        var words = texts.Select(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length).ToList();
        answers.Count(a => a.Stopped).ShouldBeGreaterThanOrEqualTo(124, "answers end with <|im_end|>");
        // Whole 5-word sentences, but for the slips of sampling a 64-wide model at temperature 1 (114 of 128 here).
        texts.Count(t => t.EndsWith('.') && t.Split(' ').Length % DemoPolicy.WordsPerSentence == 0).ShouldBeGreaterThanOrEqualTo(104);
        // The corpus draws 1 to 8 sentences uniformly: 5 to 40 words, standard deviation 11.5.
        words.Min().ShouldBeLessThanOrEqualTo(10);
        words.Max().ShouldBeGreaterThanOrEqualTo(35);
        var mean = words.Average();
        Math.Sqrt(words.Average(w => (w - mean) * (w - mean))).ShouldBeGreaterThan(8);
        words.Select(w => w / DemoPolicy.WordsPerSentence).Distinct().Count().ShouldBeGreaterThanOrEqualTo(7);
        texts[0].ShouldStartWith("The cat ");  // answers about the prompt's subject ("Tell me about the cat.")
    }

    [Fact]
    public void Create_SameSeedTwice_WritesTheSameWeights()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();

        DemoPolicy.Create(first.Path, trainSteps: 5, seed: 7);
        DemoPolicy.Create(second.Path, trainSteps: 5, seed: 7);

        File.ReadAllBytes(Path.Combine(first.Path, "model.safetensors"))
            .SequenceEqual(File.ReadAllBytes(Path.Combine(second.Path, "model.safetensors"))).ShouldBeTrue();
        File.ReadAllText(Path.Combine(first.Path, "tokenizer.json")).ShouldBe(File.ReadAllText(Path.Combine(second.Path, "tokenizer.json")));
    }
}
