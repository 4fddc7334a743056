using PreferenceStudio.Models.Generation;
using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Models.Tests;

public class TinyCheckpointTests
{
    [Fact]
    public void A_briefly_trained_tiny_checkpoint_loads_like_a_real_one_and_continues_the_corpus()
    {
        using var folder = new TempFolder();
        TinyCheckpoints.Create(folder.Path, "qwen2", trainSteps: 150, seed: 1);
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json" })
            File.Exists(Path.Combine(folder.Path, file)).ShouldBeTrue(file);

        var tokenizer = BpeTokenizer.FromFile(Path.Combine(folder.Path, "tokenizer.json"));
        using var model = CausalLM.FromPretrained(folder.Path);
        model.VocabSize.ShouldBe(tokenizer.VocabSize);

        var stop = tokenizer.TokenToId("<|endoftext|>")!.Value;
        var prompt = tokenizer.Encode("the cat");
        var result = Generator.Generate(model, [prompt], new GenerationOptions { MaxNewTokens = 12, Temperature = 0, StopTokens = [stop] })[0];
        var text = tokenizer.Decode(prompt.Concat(result.Tokens), skipSpecialTokens: true);
        text.ShouldStartWith("the cat ");
        text.ShouldEndWith(".");  // a whole learned sentence: subject verb object.
        result.Stopped.ShouldBeTrue();
    }
}
