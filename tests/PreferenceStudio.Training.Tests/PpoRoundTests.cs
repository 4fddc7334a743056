using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Online;
using PreferenceStudio.Training.Ppo;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Training.Tests;

public sealed class PpoRoundTests : IDisposable
{
    // The error demo policy's error words, as the test knows them (the demo's simulated annotator lives with the
    // database's use cases; the round only needs someone to say which words are errors).
    private static readonly string[] MadeUp = ["moon", "dragon"];
    private static readonly string[] Fillers = ["basically", "honestly"];
    private static readonly string[] Categories = ["made_up", "filler"];

    private readonly string folder = Path.Combine(Path.GetTempPath(), "ps-ppo-round-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    private static List<TextSpan> Errors(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\w+").Select(m => (m, Word: m.Value.ToLowerInvariant()))
            .Where(x => MadeUp.Contains(x.Word) || Fillers.Contains(x.Word))
            .Select(x => new TextSpan(x.m.Index, x.m.Index + x.m.Length, MadeUp.Contains(x.Word) ? Categories[0] : Categories[1])).ToList();

    private static IReadOnlyList<SampledPrompt> Sample(string policyFolder, BpeTokenizer tokenizer, IReadOnlyList<string> prompts, int k, ulong seed)
    {
        using var policy = CausalLM.FromPretrained(policyFolder);
        return new PolicySampler(policy, tokenizer).Sample(prompts, k, temperature: 1, maxNewTokens: 40, seed);
    }

    private static double ErrorRate(IReadOnlyList<SampledPrompt> sampled) =>
        sampled.SelectMany(p => p.Responses).Average(r => Errors(r.Text).Count > 0 ? 1.0 : 0.0);

    [Fact]
    public void Run_SpanRewardOnTheErrorDemoPolicy_CutsTheErrorRateAgainstTheBase()
    {
        var baseFolder = ErrorDemoPolicy.Create(Path.Combine(folder, "base"), MadeUp, Fillers, trainSteps: 300, seed: 0);
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(baseFolder, "tokenizer.json"));
        var training = ErrorDemoPolicy.Prompts.Where((_, i) => i % 4 != 3).ToList();
        var heldOut = ErrorDemoPolicy.Prompts.Where((_, i) => i % 4 == 3).ToList();
        var before = ErrorRate(Sample(baseFolder, tokenizer, heldOut, 16, seed: 1));
        // The span model learns from the base's answers with every error word marked.
        var builder = new SpanExampleBuilder(tokenizer, Categories, tokenizer.TokenToId(ChatML.End));
        var marked = Sample(baseFolder, tokenizer, training, 4, seed: 2)
            .SelectMany(p => p.Responses.Select(r => builder.Build(p.Prompt, DemoPolicy.ChatPrompt(p.Prompt), r.Text, Errors(r.Text)))).ToList();
        TorchSharp.torch.manual_seed(1);
        using var spanModel = new SpanRewardModel(CausalLM.FromPretrained(baseFolder), Categories);
        new SpanRewardTrainer(spanModel, new SpanRewardConfig { LearningRate = 1e-3, Epochs = 3, BatchSize = 16, ClassWeights = [1, 3, 3] }).Train(marked);
        var config = new PpoConfig
        {
            LearningRate = 5e-4, BatchSize = 64, MiniBatchSize = 16, KlCoef = 0.05, Temperature = 1, MaxNewTokens = 40,
            UseScoreScaling = true, UseScoreNorm = true, ScoreClip = 5,
        };
        var output = Path.Combine(folder, "ppo");

        var result = PpoRound.Run(baseFolder, output, training, t => SpanRewards.For(spanModel, new SegmentRewardConfig(), t), config, rolloutBatches: 4);

        var after = ErrorRate(Sample(output, tokenizer, heldOut, 16, seed: 1));
        Console.WriteLine($"answers with an error: base {before:P1}, after PPO {after:P1}; KL {result.Last("objective/kl"):F2}; " +
            $"rollout {result.RolloutTokensPerSecond:N0} tokens/s, training {result.TrainingTokensPerSecond:N0} tokens/s");
        before.ShouldBeGreaterThan(0.3);  // the base says error words often enough to measure
        after.ShouldBeLessThan(before * 0.6);
        result.Training.History.Count.ShouldBe(4);
        result.RolloutTokens.ShouldBeGreaterThan(4 * 64 * 10);   // four batches of 64 answers of three sentences
        result.TrainingTokens.ShouldBeGreaterThan(config.NumPpoEpochs * result.RolloutTokens);  // prompts too, every epoch
        result.RolloutTime.ShouldBeGreaterThan(TimeSpan.Zero);
        result.TrainingTime.ShouldBeGreaterThan(TimeSpan.Zero);
        File.Exists(Path.Combine(output, PolicyWithValueHead.ValueHeadFile)).ShouldBeTrue();  // the next round's critic
        File.Exists(Path.Combine(output, "tokenizer.json")).ShouldBeTrue();
    }
}
