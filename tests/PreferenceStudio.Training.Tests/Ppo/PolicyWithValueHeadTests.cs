using PreferenceStudio.Models;
using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;
using PreferenceStudio.Training.Ppo;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Ppo;

public class PolicyWithValueHeadTests
{
    internal static CausalLM Make(string architecture, ulong seed = 1, double dropout = 0)
    {
        manual_seed((long)seed);
        return architecture == "gpt2"
            ? new Gpt2LMHeadModel(TinyModels.Gpt2() with { ResidPdrop = dropout, EmbdPdrop = dropout, AttnPdrop = dropout })
            : new LlamaForCausalLM(TinyModels.Qwen2());
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("qwen2")]
    public void Forward_TokenBatch_GivesLogitsAndOneValuePerPosition(string architecture)
    {
        using var scope = NewDisposeScope();
        using var model = new PolicyWithValueHead(Make(architecture));
        var ids = randint(0, 320, [3, 7], dtype: ScalarType.Int64);

        var (logits, values) = model.Forward(ids);

        logits.shape.ShouldBe([3, 7, 320]);
        values.shape.ShouldBe([3, 7]);
        // The head is a registered submodule: the optimizer, train() and eval() reach it.
        model.named_parameters().Select(p => p.name).ShouldContain(n => n.Contains("score.weight"));
        model.parameters().Count().ShouldBe(model.Policy.parameters().Count() + 1);
        model.train();
        model.ValueHead.training.ShouldBeTrue();
        model.Policy.training.ShouldBeTrue();
        model.eval();
        model.ValueHead.training.ShouldBeFalse();
    }

    [Fact]
    public void DisableDropout_PolicyWithDropout_TrainingForwardPassesAgree()
    {
        using var scope = NewDisposeScope();
        using var model = new PolicyWithValueHead(Make("gpt2", dropout: 0.5));
        var ids = randint(0, 320, [2, 9], dtype: ScalarType.Int64);
        model.train();
        model.Forward(ids).Values.equal(model.Forward(ids).Values).all().item<bool>().ShouldBeFalse();   // dropout on: two passes differ

        model.DisableDropout();

        model.Forward(ids).Values.equal(model.Forward(ids).Values).all().item<bool>().ShouldBeTrue();
    }

    [Fact]
    public void SavePretrained_ThenFromPretrained_GivesTheSameValuesAndALoadablePolicy()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ps-ppo-vhead-{Guid.NewGuid():N}");
        try
        {
            using var scope = NewDisposeScope();
            using var model = new PolicyWithValueHead(Make("qwen2"));
            model.SavePretrained(folder);
            var ids = randint(0, 320, [2, 5], dtype: ScalarType.Int64);

            using var loaded = PolicyWithValueHead.FromPretrained(folder);
            using var fresh = new PolicyWithValueHead(Make("qwen2", seed: 2));

            loaded.training.ShouldBeFalse();
            using var noGrad = no_grad();
            loaded.Forward(ids).Values.equal(model.Forward(ids).Values).all().item<bool>().ShouldBeTrue();
            fresh.Forward(ids).Values.equal(model.Forward(ids).Values).all().item<bool>().ShouldBeFalse();
            CausalLM.FromPretrained(folder).Dispose();                                 // the policy alone loads as a causal LM
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Collate_SamplesOfDifferentLengths_GivesEachResponseTokensLogProbAsTheModelAloneDoes()
    {
        using var scope = NewDisposeScope();
        using var policy = Make("qwen2");
        PpoSample[] samples =
        [
            new(0, [5, 6, 7], [8, 9], true),
            new(1, [10], [11, 12, 13, 14], false),
            new(2, [15, 16, 17, 18, 19], [20], true),
        ];

        var batch = PpoBatch.Collate(samples, padTokenId: 3);
        using var noGrad = no_grad();
        var logProbs = batch.LogProbs(PpoBatch.ResponseLogits(policy, batch.ResponseHidden(policy), 1.0));

        batch.Mask.shape.ShouldBe([3, 4]);
        batch.Mask.sum().item<long>().ShouldBe(7);
        for (var i = 0; i < samples.Length; i++)
        {
            var s = samples[i];
            var alone = policy.TokenLogProbs(tensor(s.Prompt.Concat(s.Response).ToArray(), [1, s.Prompt.Length + s.Response.Length]));
            var expected = alone.select(0, 0).narrow(0, s.Prompt.Length - 1, s.Response.Length).data<float>().ToArray();
            logProbs.select(0, i).narrow(0, 0, s.Response.Length).data<float>().ToArray().ShouldBe(expected, 1e-5f);
        }
    }
}
