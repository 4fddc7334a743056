using PreferenceStudio.Models;
using PreferenceStudio.Models.Llama;
using PreferenceStudio.Training.Ppo;
using PreferenceStudio.Training.Spans;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Spans;

public class SpanRewardModelTests
{
    private static SpanRewardModel Make(ulong seed = 1)
    {
        manual_seed((long)seed);
        return new SpanRewardModel(new LlamaForCausalLM(TinyModels.Qwen2(SpanTestData.Tokenizer.VocabSize)), SpanTestData.Categories);
    }

    [Fact]
    public void Logits_OnePerClassPerPosition_AndTheHeadIsRegistered()
    {
        using var scope = NewDisposeScope();
        using var model = Make();

        model.Logits(tensor(new long[] { 5, 6, 7, 8, 9, 10 }, [2, 3])).shape.ShouldBe([2L, 3, 3]);
        model.named_parameters().Select(p => p.name).ShouldContain("score.weight");
        model.named_parameters().Select(p => p.name).ShouldContain("backbone.model.embed_tokens.weight");
        model.TrainableParameters().Count.ShouldBe(model.parameters().Count() - model.Backbone.named_parameters().Count(p => p.name.StartsWith("lm_head.")));
        model.eval();
        model.Backbone.training.ShouldBeFalse();
    }

    [Fact]
    public void SavePretrained_ThenFromPretrained_SameCategoriesAndLogits()
    {
        var folder = Path.Combine(Path.GetTempPath(), "span-model-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var scope = NewDisposeScope();
            using var model = Make();
            model.eval();
            model.SavePretrained(folder);
            using var loaded = SpanRewardModel.FromPretrained(folder);
            var ids = tensor(new long[] { 5, 6, 7, 8 }, [1, 4]);

            loaded.Categories.ShouldBe(SpanTestData.Categories);
            loaded.training.ShouldBeFalse();
            loaded.Logits(ids).eq(model.Logits(ids)).all().item<bool>().ShouldBeTrue();
            // The backbone is a plain causal-LM checkpoint, loadable alone.
            using var backbone = CausalLM.FromPretrained(folder);
            using var other = new SpanRewardModel(new LlamaForCausalLM(TinyModels.Qwen2(SpanTestData.Tokenizer.VocabSize)), ["tone"]);
            Should.Throw<InvalidDataException>(() => other.LoadWeights(folder)).Message.ShouldContain("categories [factual, style]");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void RewardFunction_TrainedModel_CostsTheSegmentsWithPlantedErrorsAndPlugsIntoPpo()
    {
        using var model = Make();
        new SpanRewardTrainer(model, new SpanRewardConfig { LearningRate = 3e-3, BatchSize = 16, Epochs = 2, MaxLength = 96 })
            .Train(SpanTestData.Planted(256, seed: 1));
        var tokenizer = SpanTestData.Tokenizer;
        var prompt = tokenizer.Encode("<|im_start|>user\nsay something 1<|im_end|>\n<|im_start|>assistant\n");
        // Sentence 1 has a factual error word ("robot"), sentence 2 none, sentence 3 a style one ("writes").
        const string text = "the robot likes a book. my dog reads good code. our team writes.";
        long[] response = [.. tokenizer.Encode(text), SpanTestData.End];
        var samples = new[] { new PpoSample(0, prompt, response, true), new PpoSample(1, prompt, [.. tokenizer.Encode("a dog sees the poem."), SpanTestData.End], true) };
        var config = new SegmentRewardConfig { CategoryWeights = new Dictionary<string, double> { ["style"] = 0.5 } };

        var rewards = PpoRewards.Check(SpanRewards.For(model, config, tokenizer)(samples), samples);

        var ends = SpanSegments.Ends(response, null, id => tokenizer.Decode([id]));
        ends.Length.ShouldBe(4);  // three sentences, then the end token alone
        Enumerable.Range(0, response.Length).Where(t => !ends.Contains(t)).ShouldAllBe(t => rewards[0][t] == 0);
        var (first, second, third) = (rewards[0][ends[0]], rewards[0][ends[1]], rewards[0][ends[2]]);
        // The mass counts tokens: " robot" is one token of factual error (weight 1), " writes" several of style (0.5 each).
        var at = text.IndexOf("writes", StringComparison.Ordinal);
        var writes = tokenizer.EncodeWithOffsets(text).Offsets.Count(o => o.Overlaps(at, at + "writes".Length));
        first.ShouldBeInRange(-1.2f, -0.8f);
        second.ShouldBeGreaterThan(-0.2f);
        third.ShouldBeInRange(-0.5f * writes - 0.2f, -0.5f * writes * 0.8f);
        rewards[1].Sum().ShouldBeGreaterThan(-0.2f);
        // Hand-made from the model's error mass: the same numbers.
        var mass = SpanRewards.ErrorMass(model, samples);
        rewards[0].ShouldBe(SpanSegments.Rewards(mass[0], ends, [1.0, 0.5]));
    }

    [Fact]
    public void PpoTrainer_TakesTheSpanRewardsAsItsRewardFunction()
    {
        using var spans = Make();
        var reward = SpanRewards.For(spans, new SegmentRewardConfig { SegmentLength = 3 }, SpanTestData.Tokenizer);
        manual_seed(5);
        using var model = new PolicyWithValueHead(new LlamaForCausalLM(TinyModels.Qwen2(SpanTestData.Tokenizer.VocabSize)));
        using var reference = new LlamaForCausalLM(TinyModels.Qwen2(SpanTestData.Tokenizer.VocabSize));
        var seen = new List<float[][]>();
        PpoRewardFunction recording = samples =>
        {
            var scores = reward(samples);
            seen.Add(scores);
            return scores;
        };
        var config = new PpoConfig { LearningRate = 1e-3, BatchSize = 4, MiniBatchSize = 2, NumPpoEpochs = 1, MaxNewTokens = 7, TotalEpisodes = 8, Seed = 3 };

        var result = new PpoTrainer(model, reference, recording, config).Train([[5, 6], [7, 8, 9]]);

        result.History.Count.ShouldBe(2);
        seen.Count.ShouldBe(2);
        // No stop token: every response is 7 tokens, segments of 3 end at tokens 2, 5 and 6, where the only rewards are.
        seen.SelectMany(x => x).Select(r => r.Length).ShouldBe(Enumerable.Repeat(7, 8));
        foreach (var row in seen.SelectMany(x => x))
            for (var t = 0; t < 7; t++)
                (t is 2 or 5 or 6 ? row[t] <= 0 : row[t] == 0).ShouldBeTrue($"token {t}: {row[t]}");
        result.History[0].Metrics["objective/scores"].ShouldBeLessThanOrEqualTo(0);
    }

    [Fact]
    public void ErrorMass_TokenOutsideTheVocabulary_IsRefusedSayingTheTokenizersDiffer_AndTheModeIsKept()
    {
        using var model = Make();
        model.train();
        var vocab = model.Backbone.VocabSize;

        Should.Throw<ArgumentException>(() => SpanRewards.ErrorMass(model, [new PpoSample(0, [5], [6], true), new PpoSample(0, [5], [vocab], true)]))
            .Message.ShouldContain($"sample 1 has a token outside the span model's vocabulary of {vocab}");
        SpanRewards.ErrorMass(model, [new PpoSample(0, [5], [6, 7], true)])[0].Length.ShouldBe(2);
        model.training.ShouldBeTrue();
    }
}
