using PreferenceStudio.Models.Generation;
using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;
using TorchSharp;
using static TorchSharp.torch;
using Generator = PreferenceStudio.Models.Generation.Generator;

namespace PreferenceStudio.Models.Tests;

public class GenerationTests
{
    private static readonly long[][] Prompts = [[5, 6, 7, 8, 9], [10, 11], [300, 1, 2]];

    [Fact]
    public void Greedy_generation_gives_the_same_tokens_with_and_without_the_cache()
    {
        manual_seed(3);
        using var model = new LlamaForCausalLM(TinyModels.Qwen2());
        var options = new GenerationOptions { MaxNewTokens = 6, Temperature = 0 };
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var cached = Generator.Generate(model, Prompts, options);
        var uncached = Generator.Generate(model, Prompts, options with { UseCache = false });
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(live);  // the cache and every step's tensors are freed
        for (var i = 0; i < Prompts.Length; i++)
        {
            cached[i].Tokens.ShouldBe(uncached[i].Tokens);
            cached[i].Tokens.Length.ShouldBe(6);
        }
    }

    [Fact]
    public void Batched_generation_matches_each_prompt_alone()
    {
        manual_seed(4);
        using var model = new Gpt2LMHeadModel(TinyModels.Gpt2());
        var options = new GenerationOptions { MaxNewTokens = 5, Temperature = 0 };
        var batch = Generator.Generate(model, Prompts, options);
        for (var i = 0; i < Prompts.Length; i++)
            Generator.Generate(model, [Prompts[i]], options)[0].Tokens.ShouldBe(batch[i].Tokens);
    }

    [Fact]
    public void Log_probabilities_equal_the_models_own_for_the_sampled_tokens()
    {
        manual_seed(5);
        using var model = new LlamaForCausalLM(TinyModels.Llama());
        var result = Generator.Generate(model, [Prompts[0]], new GenerationOptions { MaxNewTokens = 4, Temperature = 0.7, Seed = 11 })[0];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var all = Prompts[0].Concat(result.Tokens).ToArray();
        var logits = model.forward(tensor(all, [1, all.Length]));                    // (1, T, V)
        var logProbs = (logits / 0.7).log_softmax(-1);
        for (var i = 0; i < result.Tokens.Length; i++)
        {
            var position = Prompts[0].Length - 1 + i;
            var expected = logProbs[0, position, result.Tokens[i]].item<float>();
            result.LogProbs[i].ShouldBe((float)expected, 1e-4f);
        }
    }

    [Fact]
    public void Token_log_probs_of_a_padded_batch_equal_the_generators()
    {
        manual_seed(9);
        using var model = new LlamaForCausalLM(TinyModels.Qwen2());
        var results = Generator.Generate(model, Prompts, new GenerationOptions { MaxNewTokens = 3, Temperature = 1.0, Seed = 2 });
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Left-pad prompt + completion rows to one length, as a trainer batches them.
        var rows = Prompts.Select((p, i) => p.Concat(results[i].Tokens).ToArray()).ToList();
        var width = rows.Max(r => r.Length);
        var ids = rows.SelectMany<long[], long>(r => Enumerable.Repeat(0L, width - r.Length).Concat(r)).ToArray();
        var mask = rows.SelectMany<long[], long>(r => Enumerable.Repeat(0L, width - r.Length).Concat(Enumerable.Repeat(1L, r.Length))).ToArray();
        var logProbs = model.TokenLogProbs(tensor(ids, [rows.Count, width]), tensor(mask, [rows.Count, width])); // (B, W-1)
        logProbs.shape.ShouldBe([(long)rows.Count, width - 1]);
        var all = logProbs.data<float>().ToArray();
        for (var i = 0; i < rows.Count; i++)
            for (var j = 0; j < 3; j++)
                all[i * (width - 1) + (width - 1 - 3 + j)].ShouldBe(results[i].LogProbs[j], 1e-4f);
    }

    [Fact]
    public void Seeded_sampling_is_reproducible_and_top_k_1_is_greedy()
    {
        manual_seed(6);
        using var model = new Gpt2LMHeadModel(TinyModels.Gpt2());
        var sampled = new GenerationOptions { MaxNewTokens = 8, Temperature = 1.0, TopP = 0.9, Seed = 99 };
        var a = Generator.Generate(model, Prompts, sampled);
        var b = Generator.Generate(model, Prompts, sampled);
        a.Select(s => s.Tokens).ShouldBe(b.Select(s => s.Tokens));
        var greedy = Generator.Generate(model, Prompts, new GenerationOptions { MaxNewTokens = 4, Temperature = 0 });
        var topK1 = Generator.Generate(model, Prompts, new GenerationOptions { MaxNewTokens = 4, Temperature = 1.0, TopK = 1, Seed = 1 });
        topK1.Select(s => s.Tokens).ShouldBe(greedy.Select(s => s.Tokens));
    }

    [Fact]
    public void A_stop_token_ends_its_sequence_and_others_go_on()
    {
        manual_seed(8);
        using var model = new Gpt2LMHeadModel(TinyModels.Gpt2());
        var greedy = Generator.Generate(model, Prompts, new GenerationOptions { MaxNewTokens = 6, Temperature = 0 });
        var stopAt = greedy[0].Tokens[1];  // the second token of the first completion becomes a stop token
        var stopped = Generator.Generate(model, Prompts, new GenerationOptions { MaxNewTokens = 6, Temperature = 0, StopTokens = [stopAt] });
        stopped[0].Stopped.ShouldBeTrue();
        stopped[0].Tokens.Last().ShouldBe(stopAt);
        stopped[0].Tokens.Length.ShouldBeLessThanOrEqualTo(2);
        stopped[0].LogProbs.Length.ShouldBe(stopped[0].Tokens.Length);
        stopped.ShouldContain(s => !s.Stopped || s.Tokens.Length <= 6);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_the_mass()
    {
        using var scope = NewDisposeScope();
        // probabilities 0.5, 0.3, 0.15, 0.05: top_p 0.7 keeps the first two
        var logits = tensor(new[] { 0.5f, 0.3f, 0.15f, 0.05f }, [1, 4]).log();
        var seen = new HashSet<long>();
        manual_seed(0);
        for (var i = 0; i < 200; i++)
            seen.Add(Generator.Sample(logits, new GenerationOptions { TopP = 0.7 }).Tokens.item<long>());
        seen.OrderBy(x => x).ShouldBe([0L, 1]);
    }
}
