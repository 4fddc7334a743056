using PreferenceStudio.Models.Llama;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Ppo;
using PreferenceStudio.Training.Principles;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Principles;

public class PrincipleRewardTests
{
    private static readonly WeightedPrinciple[] Run = [new(PlantedPrinciples.ColourText, 2.0), new(PlantedPrinciples.ShortText, 0.5)];

    private static long[] Prompt => PlantedPrinciples.Tokenizer.Encode(ChatML.Format([new ChatMessage("user", "Say something.")]));

    [Fact]
    public void Score_IsTheWeightedSumOfPYesMinusAHalfOverTheRunsPrinciples()
    {
        using var model = PlantedPrinciples.Model();
        using (no_grad()) model.Head.Score.bias!.fill_(0.3);  // so that p is not near 0.5 everywhere
        var template = PlantedPrinciples.Template;
        var responses = new[] { "the red cat", "a dog runs on the big road near a tree" }
            .Select(t => ((IReadOnlyList<long>)Prompt, (IReadOnlyList<long>)PlantedPrinciples.Tokenizer.Encode(t))).ToList();

        var scores = PrincipleReward.Score(model, template, Run, responses, batchSize: 3, maxLength: 120);

        for (var i = 0; i < responses.Count; i++)
        {
            var p = PrincipleScoring.Probabilities(model, Run.Select(r => template.Encode(responses[i].Item1, responses[i].Item2, r.Text)).ToList(), 1, 120);
            scores[i].ShouldBe(2.0 * (p[0] - 0.5) + 0.5 * (p[1] - 0.5), 1e-6);
        }
        scores[0].ShouldNotBe(scores[1]);
    }

    [Fact]
    public void ForPpo_GivesEachResponseItsScoreAtTheLastToken()
    {
        using var model = PlantedPrinciples.Model();
        var template = PlantedPrinciples.Template;
        var end = PlantedPrinciples.Tokenizer.TokenToId(ChatML.End)!.Value;
        var samples = new[]
        {
            new PpoSample(0, Prompt, [.. PlantedPrinciples.Tokenizer.Encode("the red cat"), end], Stopped: true),
            new PpoSample(0, Prompt, PlantedPrinciples.Tokenizer.Encode("a dog runs on the big road"), Stopped: false),
        };

        var rewards = PrincipleReward.ForPpo(model, template, Run, batchSize: 4, maxLength: 120)(samples);

        var expected = PrincipleReward.Score(model, template, Run, samples.Select(s => ((IReadOnlyList<long>)s.Prompt, (IReadOnlyList<long>)s.Response)).ToList(), 4, 120);
        for (var i = 0; i < samples.Length; i++)
        {
            rewards[i].Length.ShouldBe(samples[i].Response.Length);
            rewards[i][^1].ShouldBe((float)expected[i], 1e-6f);
            rewards[i][..^1].ShouldAllBe(r => r == 0);
        }
    }

    [Fact]
    public void PpoTrainer_TakesThePrincipleReward_AndRunsOnIt()
    {
        using var scope = NewDisposeScope();
        using var judge = PlantedPrinciples.Model(seed: 2);
        var vocab = PlantedPrinciples.Tokenizer.VocabSize;
        manual_seed(5);
        using var policy = new PolicyWithValueHead(new LlamaForCausalLM(TinyModels.Qwen2(vocab)));
        manual_seed(5);
        using var reference = new LlamaForCausalLM(TinyModels.Qwen2(vocab));
        var config = new PpoConfig
        {
            LearningRate = 1e-3, BatchSize = 4, MiniBatchSize = 2, NumPpoEpochs = 1, MaxNewTokens = 6, Temperature = 1.0, TotalEpisodes = 8,
            StopTokenId = PlantedPrinciples.Tokenizer.TokenToId(ChatML.End), Seed = 3,
        };
        var reward = PrincipleReward.ForPpo(judge, PlantedPrinciples.Template, Run, batchSize: 8, maxLength: 120);

        var result = new PpoTrainer(policy, reference, reward, config).Train([Prompt, Prompt[1..]]);

        result.History.Count.ShouldBe(2);
        // Each response's score is Σ w (p − 0.5), within ±Σ w / 2.
        result.History.ShouldAllBe(s => double.IsFinite(s.Metrics["objective/scores"]) && Math.Abs(s.Metrics["objective/scores"]) <= 1.25);
    }
}
