using PreferenceStudio.Models;
using PreferenceStudio.Models.Llama;
using PreferenceStudio.Training.Spans;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Spans;

public class SpanRewardTrainerTests
{
    // A tiny random model learns fast at a learning rate a pretrained one would not survive.
    private static readonly SpanRewardConfig Tiny = new() { LearningRate = 3e-3, BatchSize = 16, Epochs = 3, MaxLength = 96, WarmupRatio = 0.05 };

    private static SpanRewardModel Make(ulong seed = 1)
    {
        manual_seed((long)seed);
        return new SpanRewardModel(new LlamaForCausalLM(TinyModels.Qwen2(SpanTestData.Tokenizer.VocabSize)), SpanTestData.Categories);
    }

    [Fact]
    public void Train_PlantedErrorWords_HeldOutF1FromChanceToNearlyAll()
    {
        using var model = Make();
        var train = SpanTestData.Planted(384, seed: 1);
        var heldOut = SpanTestData.Planted(128, seed: 2);
        var trainer = new SpanRewardTrainer(model, Tiny);
        var before = trainer.Evaluate(heldOut);

        var result = trainer.Train(train, heldOut);

        // Chance: a tagger that flags each token as category c with c's share p_c of the tokens scores F1 = p_c.
        var tags = heldOut.SelectMany(e => e.Tags).ToList();
        var chance = Enumerable.Range(1, 2).Select(c => tags.Count(t => t == c) / (double)tags.Count).ToList();
        var eval = result.Eval;
        Console.WriteLine($"chance F1 {chance[0]:F3} / {chance[1]:F3}; before {before["eval_macro_f1"]:F3}; after: factual P {eval["eval_factual/precision"]:F3} R {eval["eval_factual/recall"]:F3} F1 {eval["eval_factual/f1"]:F3}, style P {eval["eval_style/precision"]:F3} R {eval["eval_style/recall"]:F3} F1 {eval["eval_style/f1"]:F3}, macro {eval["eval_macro_f1"]:F3}, loss {before["eval_loss"]:F3} -> {eval["eval_loss"]:F3}");
        chance.ShouldAllBe(p => p < 0.2);
        before["eval_macro_f1"].ShouldBeLessThan(0.3);
        eval["eval_macro_f1"].ShouldBeGreaterThanOrEqualTo(0.8);
        eval["eval_factual/f1"].ShouldBeGreaterThanOrEqualTo(0.8);
        eval["eval_style/f1"].ShouldBeGreaterThanOrEqualTo(0.8);
        eval["eval_loss"].ShouldBeLessThan(before["eval_loss"] / 4);
    }

    [Fact]
    public void Train_EveryStep_ReportsItsMetricsAndTheSchedule()
    {
        using var model = Make();
        var reported = new List<TrainingStep>();

        var result = new SpanRewardTrainer(model, Tiny with { Epochs = 1 }).Train(SpanTestData.Planted(64, seed: 1), progress: new SyncProgress(reported));

        reported.Select(s => s.Step).ShouldBe([1L, 2, 3, 4]);
        reported.ShouldBe(result.History);
        reported[^1].Epoch.ShouldBe(1.0);
        foreach (var key in new[] { "loss", "accuracy", "flagged_share", "learning_rate", "grad_norm" })
            reported[0].Metrics.Keys.ShouldContain(key);
        reported[0].Metrics["learning_rate"].ShouldBe(Tiny.LearningRate);  // warmup of one step: ceil(0.05 × 4)
        reported[^1].Metrics["learning_rate"].ShouldBeLessThan(Tiny.LearningRate);
        result.Eval.ShouldBeEmpty();
    }

    [Fact]
    public void Train_AfterManySteps_LeavesOnlyTheModelsTensorsAlive()
    {
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var model = Make())
        {
            var withModel = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            var trainer = new SpanRewardTrainer(model, Tiny with { BatchSize = 4, Epochs = 2, ClassWeights = [1, 5, 5] });
            trainer.Train(SpanTestData.Planted(64, seed: 1), SpanTestData.Planted(8, seed: 2));
            SpanRewards.ErrorMass(model, [new PreferenceStudio.Training.Ppo.PpoSample(0, [5, 6], [7, 8, 9], true)]);
            DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(withModel);
        }
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(before);
    }

    [Fact]
    public void Train_CancelledAfterTwoSteps_StopsBeforeTheThirdInEvalMode()
    {
        using var model = Make();
        using var cancel = new CancellationTokenSource();
        var reported = new List<TrainingStep>();
        var progress = new SyncProgress(reported, after: s =>
        {
            model.training.ShouldBeTrue();
            if (s.Step == 2) cancel.Cancel();
        });

        Should.Throw<OperationCanceledException>(() =>
            new SpanRewardTrainer(model, Tiny).Train(SpanTestData.Planted(64, seed: 1), progress: progress, cancellationToken: cancel.Token));

        reported.Count.ShouldBe(2);
        model.training.ShouldBeFalse();
        model.Backbone.training.ShouldBeFalse();
    }

    [Fact]
    public void Train_StoppedAndResumedFromACheckpoint_EndsWithTheSameWeights()
    {
        var folder = Path.Combine(Path.GetTempPath(), "span-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            var data = SpanTestData.Planted(48, seed: 4);
            var config = Tiny with { BatchSize = 8, Epochs = 1 };  // 6 steps
            using var straight = Make(seed: 3);
            var full = new SpanRewardTrainer(straight, config).Train(data);

            using var first = Make(seed: 3);
            using var cancel = new CancellationTokenSource();
            var stopAfterFour = new SyncProgress([], after: s => { if (s.Step == 4) cancel.Cancel(); });
            Should.Throw<OperationCanceledException>(() =>
                new SpanRewardTrainer(first, config).Train(data, null, stopAfterFour, new TrainingCheckpoints(folder, SaveSteps: 3), cancel.Token));
            using var resumed = Make(seed: 9);  // other weights: the checkpoint must bring them back
            var latest = TrainingCheckpoints.Latest(folder).ShouldNotBeNull();
            TrainingCheckpoints.StepOf(latest).ShouldBe(3);
            var rest = new SpanRewardTrainer(resumed, config).Train(data, null, null, new TrainingCheckpoints(folder, 3, ResumeFrom: latest));

            rest.History.Select(s => s.Metrics["loss"]).ShouldBe(full.History.Select(s => s.Metrics["loss"]));
            foreach (var (name, value) in straight.state_dict())
                value.eq(resumed.state_dict()[name]).all().item<bool>().ShouldBeTrue(name);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Constructor_InvalidConfig_NamesEveryBadFieldAndItsValue()
    {
        using var model = Make();
        var error = Should.Throw<ArgumentException>(() => new SpanRewardTrainer(model, Tiny with { LearningRate = 0, BatchSize = 0, ClassWeights = [1, -2, 1] }));

        error.Message.ShouldContain("learning_rate must be in (0, 1), got 0");
        error.Message.ShouldContain("per_device_train_batch_size must be at least 1, got 0");
        error.Message.ShouldContain("class_weights[1] must be positive and finite, got -2");
        Should.Throw<ArgumentException>(() => new SpanRewardTrainer(model, Tiny with { ClassWeights = [1, 5] }))
            .Message.ShouldContain("class_weights has 2 weights; the model has 3 classes");
    }

    [Fact]
    public void Train_TagsThatDoNotFitTheResponse_AreRefusedNamingTheExample()
    {
        using var model = Make();
        var examples = SpanTestData.Planted(3, seed: 1);
        examples.Add(new SpanExample([5], [6, 7], [0]));
        Should.Throw<ArgumentException>(() => new SpanRewardTrainer(model, Tiny).Train(examples)).Message.ShouldContain("train[3]: 1 tags for 2 response tokens");
        examples[3] = new SpanExample([5], [6, 7], [0, 3]);
        Should.Throw<ArgumentException>(() => new SpanRewardTrainer(model, Tiny).Train(examples)).Message.ShouldContain("train[3]: tag 3 is not a class of the model (0 to 2)");
    }

    [Fact]
    public void Train_ExamplesLongerThanMaxLength_AreLeftOutAndCounted()
    {
        using var model = Make();
        var examples = SpanTestData.Planted(20, seed: 1);
        examples.Add(new SpanExample(Enumerable.Repeat(150L, 120).ToArray(), [6], [0]));

        var result = new SpanRewardTrainer(model, Tiny with { Epochs = 1, BatchSize = 10 }).Train(examples);

        result.SkippedTooLong.ShouldBe(1);
        result.History.Count.ShouldBe(2);
    }
}
