using PreferenceStudio.Training.Principles;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Principles;

public class PrincipleRewardTrainerTests(ITestOutputHelper output)
{
    // A tiny random model learns at a learning rate a pretrained one would not survive.
    private static readonly PrincipleRewardConfig Tiny = new() { LearningRate = 3e-3, BatchSize = 16, Epochs = 3, MaxLength = 120, WarmupRatio = 0.05 };

    [Fact]
    public void Train_PlantedPrincipleRules_HeldOutAccuracyPerPrincipleGoesFromChanceToNearlyAll()
    {
        using var model = PlantedPrinciples.Model();
        var trainer = new PrincipleRewardTrainer(model, Tiny);
        var heldOutResponses = PlantedPrinciples.Responses(100, seed: 2);
        var heldOut = PlantedPrinciples.Examples(heldOutResponses);
        // Where the two verdicts differ, a model blind to the principle's text gets exactly half right.
        var disagreeing = PlantedPrinciples.Examples(heldOutResponses.Where(r => r.HasColour != r.IsShort));
        var before = trainer.Evaluate(heldOut);

        var result = trainer.Train(PlantedPrinciples.Examples(300, seed: 1), heldOut);
        var onDisagreeing = trainer.Evaluate(disagreeing);

        foreach (var (key, value) in result.Eval.OrderBy(kv => kv.Key)) output.WriteLine($"{key} = {value:0.000} (before {before.GetValueOrDefault(key):0.000})");
        output.WriteLine($"{result.History.Count} steps, loss {result.History.Take(10).Average(s => s.Metrics["loss"]):0.000} -> {result.History.TakeLast(10).Average(s => s.Metrics["loss"]):0.000}");
        output.WriteLine($"accuracy where the verdicts differ: {onDisagreeing["eval_accuracy"]:0.000} on {disagreeing.Count}");
        before["eval_accuracy"].ShouldBeInRange(0.3, 0.7);
        result.Eval["eval_accuracy/colour"].ShouldBeGreaterThanOrEqualTo(0.85);
        result.Eval["eval_accuracy/short"].ShouldBeGreaterThanOrEqualTo(0.85);
        result.Eval["eval_mean_p/yes"].ShouldBeGreaterThan(result.Eval["eval_mean_p/no"] + 0.5);
        result.Eval["eval_examples/colour"].ShouldBe(100);
        onDisagreeing["eval_accuracy"].ShouldBeGreaterThanOrEqualTo(0.85);
    }

    [Fact]
    public void Train_EveryStep_ReportsItsMetricsByName()
    {
        using var model = PlantedPrinciples.Model();
        var reported = new List<TrainingStep>();

        var result = new PrincipleRewardTrainer(model, Tiny with { Epochs = 1 }).Train(PlantedPrinciples.Examples(32, seed: 1), progress: new SyncProgress(reported));

        reported.Select(s => s.Step).ShouldBe([1L, 2, 3, 4]);
        reported.ShouldBe(result.History);
        reported[^1].Epoch.ShouldBe(1.0);
        foreach (var key in new[] { "loss", "accuracy", "mean_p", "learning_rate", "grad_norm" })
            reported[0].Metrics.Keys.ShouldContain(key);
        reported[^1].Metrics["learning_rate"].ShouldBeLessThan(Tiny.LearningRate);  // cosine decay
        result.Eval.ShouldBeEmpty();
    }

    [Fact]
    public void Train_AfterHundredsOfSteps_LeavesOnlyTheModelsTensorsAlive()
    {
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var model = PlantedPrinciples.Model())
        {
            var withModel = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            new PrincipleRewardTrainer(model, Tiny with { BatchSize = 2, Epochs = 2 }).Train(PlantedPrinciples.Examples(100, seed: 1), PlantedPrinciples.Examples(8, seed: 2));
            DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(withModel);
        }
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(before);
    }

    [Fact]
    public void Train_ExamplesLongerThanMaxLength_AreLeftOutAndCounted()
    {
        using var model = PlantedPrinciples.Model();
        var examples = PlantedPrinciples.Examples(10, seed: 1);
        examples.Add(new PrincipleExample(Enumerable.Repeat(150L, 200).ToArray(), PlantedPrinciples.Short, Satisfied: false));

        var result = new PrincipleRewardTrainer(model, Tiny with { Epochs = 1, BatchSize = 10 }).Train(examples);

        result.SkippedTooLong.ShouldBe(1);
        result.History.Count.ShouldBe(2);
    }

    [Fact]
    public void Train_BadExampleOrConfig_IsRefusedNamingIt()
    {
        using var model = PlantedPrinciples.Model();
        var examples = PlantedPrinciples.Examples(2, seed: 1);
        examples.Add(examples[0] with { Weight = 0 });

        Should.Throw<ArgumentException>(() => new PrincipleRewardTrainer(model, Tiny).Train(examples)).Message.ShouldContain("train[4]: weight");
        var error = Should.Throw<ArgumentException>(() => new PrincipleRewardTrainer(model, Tiny with { LearningRate = 0, WarmupRatio = 1.5, BatchSize = 0, MaxLength = 1 }));
        error.Message.ShouldContain("learning_rate must be in (0, 1), got 0");
        error.Message.ShouldContain("warmup_ratio must be in [0, 1), got 1.5");
        error.Message.ShouldContain("per_device_train_batch_size must be at least 1, got 0");
        error.Message.ShouldContain("max_length must be at least 2, got 1");
    }

    [Fact]
    public void Train_CancelledAfterTwoSteps_StopsBeforeTheThirdAndLeavesEvalMode()
    {
        using var model = PlantedPrinciples.Model();
        using var cancel = new CancellationTokenSource();
        var reported = new List<TrainingStep>();
        var modes = new List<bool>();
        var progress = new SyncProgress(reported, after: s => { modes.Add(model.training && model.Head.training); if (s.Step == 2) cancel.Cancel(); });

        Should.Throw<OperationCanceledException>(() =>
            new PrincipleRewardTrainer(model, Tiny).Train(PlantedPrinciples.Examples(64, seed: 1), progress: progress, cancellationToken: cancel.Token));

        reported.Count.ShouldBe(2);
        modes.ShouldAllBe(m => m);
        model.training.ShouldBeFalse();
    }

    [Fact]
    public void Train_ResumedFromACheckpoint_TakesTheSameStepsAsARunThatNeverStopped()
    {
        var config = Tiny with { Epochs = 2, BatchSize = 8 };
        var examples = PlantedPrinciples.Examples(20, seed: 4);                                // 5 steps an epoch, 10 in all
        var folder = Path.Combine(Path.GetTempPath(), $"ps-principle-resume-{Guid.NewGuid():N}");
        try
        {
            List<double> straight;
            using (var model = PlantedPrinciples.Model(seed: 3))
                straight = new PrincipleRewardTrainer(model, config).Train(examples).History.Select(s => s.Metrics["loss"]).ToList();

            using (var model = PlantedPrinciples.Model(seed: 3))
            using (var cancel = new CancellationTokenSource())
            {
                var stopAfterSeven = new SyncProgress([], after: s => { if (s.Step == 7) cancel.Cancel(); });
                Should.Throw<OperationCanceledException>(() => new PrincipleRewardTrainer(model, config)
                    .Train(examples, null, stopAfterSeven, new TrainingCheckpoints(folder, SaveSteps: 3), cancel.Token));
            }
            TrainingCheckpoints.Latest(folder).ShouldBe(Path.Combine(folder, "checkpoint-6"));

            using var resumedModel = PlantedPrinciples.Model(seed: 1234);  // a fresh process: other weights
            var resumed = new PrincipleRewardTrainer(resumedModel, config)
                .Train(examples, null, null, new TrainingCheckpoints(folder, SaveSteps: 3, ResumeFrom: TrainingCheckpoints.Latest(folder)));

            resumed.History.Select(s => s.Step).ShouldBe(Enumerable.Range(1, 10).Select(i => (long)i));
            resumed.History.Select(s => s.Metrics["loss"]).ShouldBe(straight);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
