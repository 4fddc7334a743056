using PreferenceStudio.Models;
using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests;

public class RewardTrainerTests
{
    // A tiny random model learns fast at a learning rate a pretrained one would not survive.
    private static readonly RewardConfig Tiny = new() { LearningRate = 3e-3, BatchSize = 16, Epochs = 4, MaxLength = 64, WarmupRatio = 0.05 };

    private static RewardModel Make(string architecture, ulong seed = 1)
    {
        manual_seed((long)seed);
        CausalLM backbone = architecture == "gpt2" ? new Gpt2LMHeadModel(TinyModels.Gpt2()) : new LlamaForCausalLM(TinyModels.Qwen2());
        return RewardModel.OnTopOf(backbone);
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("qwen2")]
    public void Train_SyntheticPreferences_HeldOutAccuracyGoesFromChanceToNearlyAll(string architecture)
    {
        using var model = Make(architecture);
        var trainer = new RewardTrainer(model, Tiny);
        var heldOut = SyntheticPreferences.Make(128, seed: 2);
        var before = trainer.Evaluate(heldOut);

        var result = trainer.Train(SyntheticPreferences.Make(512, seed: 1), heldOut);

        before["eval_rewards/accuracies"].ShouldBeInRange(0.2, 0.8);
        result.Eval["eval_rewards/accuracies"].ShouldBeGreaterThanOrEqualTo(0.95);
        result.Eval["eval_rewards/margins"].ShouldBeGreaterThan(before["eval_rewards/margins"] + 1);
        result.History.Count.ShouldBe(4 * 512 / 16);
        result.History.TakeLast(8).Average(s => s.Metrics["loss"]).ShouldBeLessThan(0.5 * result.History.Take(8).Average(s => s.Metrics["loss"]));
    }

    [Fact]
    public void Train_EveryStep_ReportsTrlMetricsAndTheSchedule()
    {
        using var model = Make("qwen2");
        var reported = new List<TrainingStep>();

        var result = new RewardTrainer(model, Tiny with { Epochs = 1 }).Train(SyntheticPreferences.Make(64, seed: 1), progress: new SyncProgress(reported));

        reported.Select(s => s.Step).ShouldBe([1L, 2, 3, 4]);
        reported.ShouldBe(result.History);
        reported[^1].Epoch.ShouldBe(1.0);
        foreach (var key in new[] { "loss", "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "learning_rate", "grad_norm" })
            reported[0].Metrics.Keys.ShouldContain(key);
        var first = reported[0].Metrics;
        first["rewards/margins"].ShouldBe(first["rewards/chosen"] - first["rewards/rejected"], 1e-5);
        first["learning_rate"].ShouldBe(Tiny.LearningRate);  // warmup of one step: ceil(0.05 × 4)
        reported[^1].Metrics["learning_rate"].ShouldBeLessThan(Tiny.LearningRate);  // cosine decay
    }

    [Fact]
    public void Train_SameSeedTwice_GivesTheSameRun()
    {
        var pairs = SyntheticPreferences.Make(48, seed: 3);
        IReadOnlyList<double> Run()
        {
            using var model = Make("gpt2", seed: 5);
            return new RewardTrainer(model, Tiny with { Epochs = 1 }).Train(pairs).History.Select(s => s.Metrics["loss"]).ToList();
        }

        var first = Run();
        Run().ShouldBe(first);
        using var other = Make("gpt2", seed: 6);
        new RewardTrainer(other, Tiny with { Epochs = 1 }).Train(pairs).History.Select(s => s.Metrics["loss"]).ShouldNotBe(first);
    }

    [Fact]
    public void Train_AfterHundredsOfSteps_LeavesOnlyTheModelsTensorsAlive()
    {
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var model = Make("qwen2"))
        {
            var withModel = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            new RewardTrainer(model, Tiny with { BatchSize = 4, Epochs = 2 }).Train(SyntheticPreferences.Make(400, seed: 1), SyntheticPreferences.Make(16, seed: 2));
            DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(withModel);
        }
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(before);
    }

    [Fact]
    public void Train_PairsLongerThanMaxLength_AreLeftOutAndCounted()
    {
        using var model = Make("qwen2");
        var pairs = SyntheticPreferences.Make(20, seed: 1);
        pairs.Add(new PreferencePair(Enumerable.Repeat(150L, 60).ToArray(), [11, 150, 151, 152, 153], [21]));

        var result = new RewardTrainer(model, Tiny with { Epochs = 1, BatchSize = 10 }).Train(pairs);

        result.SkippedTooLong.ShouldBe(1);
        result.History.Count.ShouldBe(2);
    }

    [Fact]
    public void Train_EmptyResponse_IsRefusedNamingThePair()
    {
        using var model = Make("qwen2");
        var pairs = SyntheticPreferences.Make(3, seed: 1);
        pairs.Add(new PreferencePair([150, 151], [], [21]));

        var error = Should.Throw<ArgumentException>(() => new RewardTrainer(model, Tiny).Train(pairs));

        error.Message.ShouldContain("train[3]");
    }

    [Fact]
    public void Train_CancelledAfterTwoSteps_StopsBeforeTheThird()
    {
        using var model = Make("qwen2");
        using var cancel = new CancellationTokenSource();
        var reported = new List<TrainingStep>();
        var progress = new SyncProgress(reported, after: s => { if (s.Step == 2) cancel.Cancel(); });

        Should.Throw<OperationCanceledException>(() =>
            new RewardTrainer(model, Tiny).Train(SyntheticPreferences.Make(64, seed: 1), progress: progress, cancellationToken: cancel.Token));

        reported.Count.ShouldBe(2);
    }

    [Fact]
    public void Constructor_InvalidConfig_NamesEveryBadFieldAndItsValue()
    {
        using var model = Make("qwen2");
        var error = Should.Throw<ArgumentException>(() => new RewardTrainer(model, Tiny with { LearningRate = 0, WarmupRatio = 1.5, BatchSize = 0 }));

        error.Message.ShouldContain("learning_rate must be in (0, 1), got 0");
        error.Message.ShouldContain("warmup_ratio must be in [0, 1), got 1.5");
        error.Message.ShouldContain("per_device_train_batch_size must be at least 1, got 0");
    }

    [Fact]
    public void Train_SwitchesToTrainingModeItselfAndLeavesTheModelInEvalMode()
    {
        using var model = Make("gpt2");
        model.Train(false);  // as loaded
        var modes = new List<bool>();
        var progress = new SyncProgress([], after: _ => modes.Add(model.Backbone.training && model.Head.training));

        new RewardTrainer(model, Tiny with { Epochs = 1 }).Train(SyntheticPreferences.Make(32, seed: 1), progress: progress);

        modes.ShouldAllBe(m => m);
        model.Backbone.training.ShouldBeFalse();
        model.Head.training.ShouldBeFalse();
    }

    [Fact]
    public void Train_ResumedFromACheckpoint_TakesTheSameStepsAsARunThatNeverStopped()
    {
        // Dropout on (0.1 everywhere, not disabled): the resumed run only matches if the generator's state came back too.
        var config = Tiny with { Epochs = 2, BatchSize = 8, DisableDropout = false };
        var pairs = SyntheticPreferences.Make(40, seed: 4);                                  // 5 steps an epoch, 10 in all
        RewardModel Dropout() { manual_seed(3); return RewardModel.OnTopOf(new Gpt2LMHeadModel(TinyModels.Gpt2() with { ResidPdrop = 0.1, EmbdPdrop = 0.1, AttnPdrop = 0.1 })); }
        var folder = Path.Combine(Path.GetTempPath(), $"ps-resume-{Guid.NewGuid():N}");
        try
        {
            List<double> straight;
            using (var model = Dropout())
                straight = new RewardTrainer(model, config).Train(pairs).History.Select(s => s.Metrics["loss"]).ToList();

            using (var model = Dropout())
            using (var cancel = new CancellationTokenSource())
            {
                var stopAfterSeven = new SyncProgress([], after: s => { if (s.Step == 7) cancel.Cancel(); });
                Should.Throw<OperationCanceledException>(() => new RewardTrainer(model, config)
                    .Train(pairs, null, stopAfterSeven, new TrainingCheckpoints(folder, SaveSteps: 3), cancel.Token));
            }
            TrainingCheckpoints.Latest(folder).ShouldBe(Path.Combine(folder, "checkpoint-6"));
            Directory.GetDirectories(folder).Length.ShouldBe(2);                                  // save_total_limit

            manual_seed(1234);  // a fresh process: another head, another generator state
            using var resumedModel = RewardModel.OnTopOf(new Gpt2LMHeadModel(TinyModels.Gpt2() with { ResidPdrop = 0.1, EmbdPdrop = 0.1, AttnPdrop = 0.1 }));
            var resumed = new RewardTrainer(resumedModel, config)
                .Train(pairs, null, null, new TrainingCheckpoints(folder, SaveSteps: 3, ResumeFrom: TrainingCheckpoints.Latest(folder)));

            resumed.History.Select(s => s.Step).ShouldBe(Enumerable.Range(1, 10).Select(i => (long)i));
            resumed.History.Select(s => s.Metrics["loss"]).ShouldBe(straight);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
