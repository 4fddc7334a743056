using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Online;

namespace PreferenceStudio.Training.Tests;

/// <summary>The demo's base policy, pretrained once for the class (it takes the longest).</summary>
public sealed class DemoPolicyFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ps-online-" + Guid.NewGuid().ToString("N"));

    public DemoPolicyFolder() => DemoPolicy.Create(System.IO.Path.Combine(Path, "base"), seed: 0);

    public string Base => System.IO.Path.Combine(Path, "base");

    public BpeTokenizer Tokenizer => BpeTokenizer.FromFile(System.IO.Path.Combine(Base, "tokenizer.json"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

public sealed class OnlineRoundTests(DemoPolicyFolder demo) : IClassFixture<DemoPolicyFolder>
{
    private static readonly OnlineRoundConfig Config = new();

    // The demo's taste without the noise: how far an answer is from 40 words (the simulated annotator lives with the
    // database's use cases; the round only needs someone to say which answer of a pair is better).
    private static int Distance(string text) => Math.Abs(text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length - 40);

    private IReadOnlyList<SampledPrompt> Sample(string folder, IReadOnlyList<string> prompts, int k, ulong seed)
    {
        using var policy = CausalLM.FromPretrained(folder);
        return new PolicySampler(policy, demo.Tokenizer).Sample(prompts, k, Config.Temperature, Config.MaxNewTokens, seed);
    }

    [Fact]
    public void Sample_SameSeed_GivesTheSameAnswersGroupedByPrompt()
    {
        string[] prompts = ["Tell me about the cat.", "Describe a dog."];

        var first = Sample(demo.Base, prompts, k: 3, seed: 5);
        var second = Sample(demo.Base, prompts, k: 3, seed: 5);

        first.Select(p => p.Prompt).ShouldBe(prompts);
        first.ShouldAllBe(p => p.Responses.Count == 3);
        first.SelectMany(p => p.Responses.Select(r => r.Text)).ShouldBe(second.SelectMany(p => p.Responses.Select(r => r.Text)));
        first[1].Responses.ShouldAllBe(r => r.Text.StartsWith("A dog ", StringComparison.Ordinal));
        var end = demo.Tokenizer.TokenToId(ChatML.End);
        first[0].Responses.Where(r => r.Stopped).Select(r => r.Tokens[r.Tokens.Count - 1]).ShouldAllBe(token => token == end);
    }

    [Fact]
    public void OneRound_HalfLabelledHalfRanked_MovesTheAnswersTowardTheTaste()
    {
        var prompts = DemoPolicy.Prompts.Where((_, i) => i % 4 != 3).ToList();
        var heldOut = DemoPolicy.Prompts.Where((_, i) => i % 4 == 3).ToList();
        var sampled = Sample(demo.Base, [.. prompts, .. prompts, .. prompts], Config.ResponsesPerPrompt, seed: 11);
        var labelled = sampled.Count / 2;
        var labels = sampled.Take(labelled).Select(p => Distance(p.Responses[0].Text) <= Distance(p.Responses[1].Text) ? p.Pair(0, 1) : p.Pair(1, 0)).ToList();

        var (rewardModel, _) = OnlineRound.TrainRewardModel(demo.Base, labels, null, Config.Reward);
        List<PreferencePair> ranked;
        using (rewardModel)
            ranked = RewardRanker.BestVersusWorst(rewardModel, sampled.Skip(labelled).ToList()).OfType<PreferencePair>().ToList();
        var next = Path.Combine(demo.Path, "round-1");
        OnlineRound.TrainPolicy(demo.Base, next, labels.Concat(ranked).Select(DpoExample.From).ToList(), Config.Dpo);

        string Text(IReadOnlyList<long> tokens) => demo.Tokenizer.Decode(tokens, skipSpecialTokens: true);
        var rankedRight = ranked.Count(p => Distance(Text(p.Chosen)) < Distance(Text(p.Rejected)));
        var rankedWrong = ranked.Count(p => Distance(Text(p.Chosen)) > Distance(Text(p.Rejected)));
        rankedRight.ShouldBeGreaterThan(3 * rankedWrong, "the reward model learned the taste from the labels");
        double MeanDistance(string folder) => Sample(folder, heldOut, 16, seed: 21).SelectMany(p => p.Responses).Average(r => Distance(r.Text));
        var before = MeanDistance(demo.Base);
        var after = MeanDistance(next);
        after.ShouldBeLessThan(before - 5, $"answers {before:F1} words from 40 before the round, {after:F1} after");
    }

    [Fact]
    public void Validate_BadFields_NamesEachField()
    {
        var errors = (Config with { ResponsesPerPrompt = 1, HumanShare = 1.5, Dpo = Config.Dpo with { Beta = 0 } }).Validate();

        errors.ShouldContain(e => e.StartsWith("responses_per_prompt", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("human_share", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("dpo: beta", StringComparison.Ordinal));
        Config.Validate().ShouldBeEmpty();
    }
}
