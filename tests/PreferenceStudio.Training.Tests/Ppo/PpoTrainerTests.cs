using PreferenceStudio.Models;
using PreferenceStudio.Training.Ppo;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Ppo;

public class PpoTrainerTests(ITestOutputHelper output)
{
    // The planted preference: "good" tokens, a tenth of the vocabulary, which a random model samples a tenth of the time.
    private const long FirstGood = 100, GoodCount = 32;

    private static bool Good(long token) => token is >= FirstGood and < FirstGood + GoodCount;

    private static double ShareGood(long[] response) => response.Count(Good) / (double)response.Length;

    /// <summary>The share of good tokens, as one score at the end of the response (a reward model's shape).</summary>
    private static readonly PpoRewardFunction GoodShareAtEnd = PpoRewards.AtEnd(samples => samples.Select(s => ShareGood(s.Response)).ToList());

    /// <summary>The same total, dense: 1/n at each good token (a span model's shape).</summary>
    private static readonly PpoRewardFunction GoodShareDense = samples =>
        samples.Select(s => s.Response.Select(t => Good(t) ? 1f / s.Response.Length : 0f).ToArray()).ToArray();

    // Measured on this model and these prompts (seed 7, 40 iterations of 32, about 8 s on one thread): the held-out
    // share of good tokens went from 0.09 to 0.31 (scalar) at a KL of 2.4 nats per response; at kl_coef 0.5 it did
    // not move (KL held near 0.5): the penalty binds.
    private static readonly PpoConfig Tiny = new()
    {
        LearningRate = 1e-3, BatchSize = 32, MiniBatchSize = 8, NumPpoEpochs = 4, MaxNewTokens = 8, Temperature = 1.0,
        KlCoef = 0.05, TotalEpisodes = 32 * 40, Seed = 7,
    };

    private static readonly PpoConfig Quick = Tiny with { BatchSize = 8, MiniBatchSize = 4, NumPpoEpochs = 2, TotalEpisodes = 8 * 4 };

    private static List<long[]> Prompts(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, random.Next(2, 6)).Select(_ => (long)random.Next(10, 300)).ToArray()).ToList();
    }

    private static double HeldOutReward(CausalLM model, IReadOnlyList<long[]> prompts) =>
        Models.Generation.Generator.Generate(model, prompts, new Models.Generation.GenerationOptions { MaxNewTokens = 8, Temperature = 1.0, Seed = 11 })
            .Average(s => ShareGood(s.Tokens));

    private static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static void ShouldBeBitIdentical(nn.Module model, Dictionary<string, Tensor> snapshot)
    {
        foreach (var (name, value) in model.state_dict())
            value.eq(snapshot[name]).all().item<bool>().ShouldBeTrue($"{name} differs");
    }

    [Theory]
    [InlineData("scalar")]
    [InlineData("dense")]
    public void Train_PlantedReward_RaisesTheMeanRewardWhileTheKlStaysWithinItsBound(string rewardShape)
    {
        using var scope = NewDisposeScope();
        using var model = new PolicyWithValueHead(PolicyWithValueHeadTests.Make("qwen2"));
        using var reference = PolicyWithValueHeadTests.Make("qwen2");
        var heldOut = Prompts(64, seed: 2);
        var before = HeldOutReward(model.Policy, heldOut);

        var result = new PpoTrainer(model, reference, rewardShape == "dense" ? GoodShareDense : GoodShareAtEnd, Tiny).Train(Prompts(32, seed: 1));

        var after = HeldOutReward(model.Policy, heldOut);
        var last = result.History.TakeLast(5).ToList();
        var kl = last.Average(s => s.Metrics["objective/kl"]);
        output.WriteLine($"{rewardShape}: held-out reward {before:F3} -> {after:F3}; KL over the last 5 iterations {kl:F2} nats per response; " +
            $"in-batch scores {result.History[0].Metrics["objective/scores"]:F3} -> {last.Average(s => s.Metrics["objective/scores"]):F3}");
        before.ShouldBe(0.1, 0.03);                                                   // a tenth, by chance
        after.ShouldBeGreaterThan(before + 0.12);                                     // 512 held-out tokens: sd ≈ 0.013
        // PPO maximises score − β·KL; starting at KL 0, a policy that paid more KL than its gain in score had gone the
        // wrong way: the bound is KL ≤ (after − before) / β.
        kl.ShouldBeGreaterThan(0.1);
        kl.ShouldBeLessThan((after - before) / Tiny.KlCoef);
        result.History[0].Metrics["objective/kl"].ShouldBe(0, 1e-4);                  // π_θ = π_ref at the first rollout
        last.Average(s => s.Metrics["objective/scores"]).ShouldBeGreaterThan(result.History[0].Metrics["objective/scores"] + 0.1);
    }

    [Fact]
    public void Train_EveryIteration_ReportsTrlMetricsLeavesTheReferenceBitIdenticalAndThePolicyInEvalMode()
    {
        using var model = new PolicyWithValueHead(PolicyWithValueHeadTests.Make("gpt2", dropout: 0.1));
        using var reference = PolicyWithValueHeadTests.Make("gpt2");
        var frozen = Snapshot(reference);
        var reported = new List<TrainingStep>();

        var result = new PpoTrainer(model, reference, GoodShareAtEnd, Quick with { StopTokenId = 319, MissingEosPenalty = 0.5 })
            .Train(Prompts(16, seed: 3), new SyncProgress(reported));

        reported.Select(s => s.Step).ShouldBe([1L, 2, 3, 4]);
        reported.ShouldBe(result.History);
        reported[^1].Epoch.ShouldBe(2.0);                                             // 32 episodes over 16 prompts
        string[] keys =
        [
            "objective/kl", "objective/entropy", "objective/scores", "objective/rlhf_reward", "objective/non_score_reward",
            "objective/kl_coef", "policy/approxkl_avg", "policy/clipfrac_avg", "policy/entropy_avg", "loss/policy_avg",
            "loss/value_avg", "val/clipfrac_avg", "val/ratio", "val/ratio_var", "val/num_eos_tokens", "grad_norm", "learning_rate",
        ];
        foreach (var step in reported)
        {
            foreach (var key in keys) double.IsFinite(step.Metrics[key]).ShouldBeTrue(key);
            step.Metrics["objective/rlhf_reward"].ShouldBe(step.Metrics["objective/scores"] + step.Metrics["objective/non_score_reward"], 1e-6);
            step.Metrics["objective/non_score_reward"].ShouldBe(-Quick.KlCoef * step.Metrics["objective/kl"], 1e-6);
            step.Metrics["policy/entropy_avg"].ShouldBeInRange(0, Math.Log(320) + 1e-4);
        }
        ShouldBeBitIdentical(reference, frozen);
        reference.training.ShouldBeFalse();
        model.training.ShouldBeFalse();
        model.Policy.training.ShouldBeFalse();
    }

    [Fact]
    public void Train_AdaptiveKl_MovesBetaAsTheControllerSaysAfterEachIteration()
    {
        using var model = new PolicyWithValueHead(PolicyWithValueHeadTests.Make("qwen2"));
        using var reference = PolicyWithValueHeadTests.Make("qwen2");
        var config = Quick with { AdapKlCtrl = true, KlCoef = 0.1, Target = 0.05, Horizon = 40, TotalEpisodes = 8 * 5 };

        var result = new PpoTrainer(model, reference, GoodShareAtEnd, config).Train(Prompts(16, seed: 4));

        var beta = 0.1;
        foreach (var step in result.History)
        {
            step.Metrics["objective/kl_coef"].ShouldBe(beta, 1e-12);
            beta *= 1 + Math.Clamp(step.Metrics["objective/kl"] / config.Target - 1, -0.2, 0.2) * config.BatchSize / config.Horizon;
        }
        result.FinalKlCoef.ShouldBe(beta, 1e-12);
        result.FinalKlCoef.ShouldNotBe(0.1);
    }

    [Fact]
    public void Train_SomeIterations_LeavesOnlyTheModelsTensorsAlive()
    {
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var model = new PolicyWithValueHead(PolicyWithValueHeadTests.Make("qwen2")))
        using (var reference = PolicyWithValueHeadTests.Make("qwen2"))
        {
            var withModels = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            new PpoTrainer(model, reference, GoodShareDense, Quick with { WhitenRewards = true, UseScoreScaling = true, ScoreClip = 1 }).Train(Prompts(8, seed: 5));
            DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(withModels);
        }
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(before);
    }

    [Fact]
    public void Train_CancelledAfterTwoIterations_StopsBeforeTheThird()
    {
        using var model = new PolicyWithValueHead(PolicyWithValueHeadTests.Make("qwen2"));
        using var reference = PolicyWithValueHeadTests.Make("qwen2");
        using var cancel = new CancellationTokenSource();
        var reported = new List<TrainingStep>();
        var progress = new SyncProgress(reported, after: s => { if (s.Step == 2) cancel.Cancel(); });

        Should.Throw<OperationCanceledException>(() =>
            new PpoTrainer(model, reference, GoodShareAtEnd, Quick).Train(Prompts(8, seed: 6), progress, cancel.Token));

        reported.Count.ShouldBe(2);
        model.training.ShouldBeFalse();
    }

    [Fact]
    public void Train_ResumedFromACheckpoint_GivesTheSameMetricsAndWeightsAsARunThatNeverStopped()
    {
        var config = Quick with { AdapKlCtrl = true, Target = 0.05, Horizon = 40, UseScoreScaling = true, TotalEpisodes = 8 * 5 };
        var prompts = Prompts(12, seed: 8);
        var folder = Path.Combine(Path.GetTempPath(), $"ps-ppo-resume-{Guid.NewGuid():N}");
        try
        {
            PpoTrainingResult straight;
            Dictionary<string, Tensor> straightWeights;
            using (var model = new PolicyWithValueHead(PolicyWithValueHeadTests.Make("qwen2", seed: 3)))
            using (var reference = PolicyWithValueHeadTests.Make("qwen2", seed: 3))
            {
                straight = new PpoTrainer(model, reference, GoodShareAtEnd, config).Train(prompts);
                straightWeights = Snapshot(model);
            }

            using (var model = new PolicyWithValueHead(PolicyWithValueHeadTests.Make("qwen2", seed: 3)))
            using (var reference = PolicyWithValueHeadTests.Make("qwen2", seed: 3))
            using (var cancel = new CancellationTokenSource())
            {
                var stopAfterThree = new SyncProgress([], after: s => { if (s.Step == 3) cancel.Cancel(); });
                Should.Throw<OperationCanceledException>(() => new PpoTrainer(model, reference, GoodShareAtEnd, config)
                    .Train(prompts, stopAfterThree, new TrainingCheckpoints(folder, SaveSteps: 2), cancel.Token));
            }
            var latest = TrainingCheckpoints.Latest(folder);
            latest.ShouldBe(Path.Combine(folder, "checkpoint-2"));
            File.Exists(Path.Combine(latest!, PolicyWithValueHead.ValueHeadFile)).ShouldBeTrue();
            File.Exists(Path.Combine(latest!, PpoState.FileName)).ShouldBeTrue();

            // A fresh process: other weights and another generator state; the reference is the run's (PPO reads it every iteration).
            using var resumedModel = new PolicyWithValueHead(PolicyWithValueHeadTests.Make("qwen2", seed: 1234));
            using var resumedReference = PolicyWithValueHeadTests.Make("qwen2", seed: 3);
            var resumed = new PpoTrainer(resumedModel, resumedReference, GoodShareAtEnd, config)
                .Train(prompts, null, new TrainingCheckpoints(folder, SaveSteps: 2, ResumeFrom: latest));

            resumed.History.Select(s => s.Step).ShouldBe([1L, 2, 3, 4, 5]);
            foreach (var (a, b) in straight.History.Zip(resumed.History))
                b.Metrics.ShouldBe(a.Metrics);
            resumed.FinalKlCoef.ShouldBe(straight.FinalKlCoef);
            ShouldBeBitIdentical(resumedModel, straightWeights);
            Should.Throw<InvalidOperationException>(() => new PpoTrainer(resumedModel, resumedReference, GoodShareAtEnd, config with { Seed = 8 })
                    .Train(prompts, null, new TrainingCheckpoints(folder, SaveSteps: 2, ResumeFrom: latest)))
                .Message.ShouldEndWith("is of a run with 5 iterations and seed 7; this one has 5 iterations and seed 8");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Train_RewardWithTheWrongNumberOfScores_IsRefusedNamingTheResponse()
    {
        using var model = new PolicyWithValueHead(PolicyWithValueHeadTests.Make("qwen2"));
        using var reference = PolicyWithValueHeadTests.Make("qwen2");
        PpoRewardFunction oneScoreEach = samples => samples.Select(_ => new[] { 1f }).ToArray();

        var error = Should.Throw<InvalidOperationException>(() => new PpoTrainer(model, reference, oneScoreEach, Quick).Train(Prompts(8, seed: 1)));

        error.Message.ShouldBe("the reward gave response 0 1 scores for its 8 tokens");
    }

    [Fact]
    public void Constructor_PolicyAsItsOwnReferenceOrABadConfig_IsRefused()
    {
        using var model = new PolicyWithValueHead(PolicyWithValueHeadTests.Make("qwen2"));
        using var reference = PolicyWithValueHeadTests.Make("qwen2");

        Should.Throw<ArgumentException>(() => new PpoTrainer(model, model.Policy, GoodShareAtEnd, Quick)).Message.ShouldContain("separate model");
        Should.Throw<ArgumentException>(() => new PpoTrainer(model, reference, GoodShareAtEnd, Quick with { MiniBatchSize = 16 }))
            .Message.ShouldContain("got mini_batch_size 16 and batch_size 8");
    }
}
