using PreferenceStudio.Models;
using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests;

public class DpoTrainerTests
{
    // A tiny random model moves at a learning rate a pretrained one would not survive.
    private static readonly DpoConfig Tiny = new() { LearningRate = 1e-3, BatchSize = 8, Epochs = 1, MaxLength = 64, WarmupRatio = 0 };

    private static CausalLM Make(string architecture, ulong seed = 1, double dropout = 0)
    {
        manual_seed((long)seed);
        return architecture == "gpt2"
            ? new Gpt2LMHeadModel(TinyModels.Gpt2() with { ResidPdrop = dropout, EmbdPdrop = dropout, AttnPdrop = dropout })
            : new LlamaForCausalLM(TinyModels.Qwen2());
    }

    private static List<DpoExample> Examples(int count, int seed) =>
        SyntheticPreferences.Make(count, seed).Select(DpoExample.From).ToList();

    private static Dictionary<string, Tensor> Snapshot(CausalLM model) =>
        model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static void ShouldBeBitIdentical(CausalLM model, Dictionary<string, Tensor> snapshot)
    {
        foreach (var (name, value) in model.StateDict())
            value.eq(snapshot[name]).all().item<bool>().ShouldBeTrue($"{name} changed");
    }

    [Theory]
    [InlineData("gpt2", DpoLossType.Sigmoid)]
    [InlineData("qwen2", DpoLossType.Sigmoid)]
    [InlineData("qwen2", DpoLossType.Ipo)]
    [InlineData("qwen2", DpoLossType.Robust)]
    public void Train_FixedBatchForSomeSteps_RaisesMarginsAndLeavesTheReferenceBitIdentical(string architecture, string lossType)
    {
        using var scope = NewDisposeScope();
        using var policy = Make(architecture);
        using var reference = Make(architecture);           // the same start: π_θ = π_ref before the first step
        var frozen = Snapshot(reference);
        var batch = Examples(8, seed: 1);
        var config = Tiny with { LossType = lossType, LabelSmoothing = lossType == DpoLossType.Robust ? 0.1 : 0, Epochs = 12 };

        var result = new DpoTrainer(policy, reference, config).Train(batch);

        var first = result.History[0].Metrics;
        first["rewards/margins"].ShouldBe(0, 1e-6);                                  // policy = reference at step 1
        first["loss"].ShouldBe(lossType == DpoLossType.Ipo ? Math.Pow(1 / (2 * config.Beta), 2) : Math.Log(2), 1e-5);
        var last = result.History[^1].Metrics;
        last["rewards/margins"].ShouldBeGreaterThan(0.05);
        last["rewards/accuracies"].ShouldBe(1.0);
        last["loss"].ShouldBeLessThan(first["loss"]);
        ShouldBeBitIdentical(reference, frozen);
        reference.training.ShouldBeFalse();
        policy.training.ShouldBeFalse();                                             // back in eval mode
    }

    [Fact]
    public void Train_EveryStep_ReportsTrlMetricsAndTheSchedule()
    {
        using var policy = Make("qwen2");
        using var reference = Make("qwen2");
        var reported = new List<TrainingStep>();
        var config = Tiny with { WarmupRatio = 0.25, RpoAlpha = 1.0 };

        var result = new DpoTrainer(policy, reference, config).Train(Examples(32, seed: 1), Examples(8, seed: 2), new SyncProgress(reported));

        reported.Select(s => s.Step).ShouldBe([1L, 2, 3, 4]);
        reported.ShouldBe(result.History);
        reported[^1].Epoch.ShouldBe(1.0);
        string[] keys = ["loss", "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen", "logps/rejected", "nll_loss", "grad_norm", "learning_rate"];
        foreach (var key in keys) reported[0].Metrics.Keys.ShouldContain(key);
        var first = reported[0].Metrics;
        first["rewards/margins"].ShouldBe(first["rewards/chosen"] - first["rewards/rejected"], 1e-5);
        first["logps/chosen"].ShouldBeLessThan(0);
        first["loss"].ShouldBe(Math.Log(2) + first["nll_loss"], 1e-5);               // RPO: DPO loss + α · NLL, α = 1
        first["learning_rate"].ShouldBe(config.LearningRate);                         // warmup of one step: ceil(0.25 × 4)
        reported[^1].Metrics["learning_rate"].ShouldBeLessThan(config.LearningRate);  // cosine decay
        foreach (var key in keys.Take(8)) result.Eval.Keys.ShouldContain("eval_" + key);
    }

    [Theory]
    [InlineData(DpoLossType.Sigmoid, 0.0, null)]
    [InlineData(DpoLossType.Sigmoid, 0.2, 0.5)]
    [InlineData(DpoLossType.Robust, 0.2, null)]
    [InlineData(DpoLossType.Ipo, 0.0, 1.0)]
    public void Evaluate_TwoDifferentModels_MatchesTheLossWrittenOutPerExample(string lossType, double epsilon, double? alpha)
    {
        using var policy = Make("qwen2", seed: 1);
        using var reference = Make("qwen2", seed: 2);
        var config = Tiny with { LossType = lossType, LabelSmoothing = epsilon, RpoAlpha = alpha, Beta = 0.5, BatchSize = 3 };
        var examples = Examples(5, seed: 3).Select((e, i) => e with { Weight = i == 1 ? 1 / 3.0 : 1 }).ToList();

        var eval = new DpoTrainer(policy, reference, config).Evaluate(examples);

        // Each example alone through each model, then the paper's formula in doubles.
        (double C, double R, double Nc, double Nr) LogProbs(CausalLM model, DpoExample e)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var v = SequenceLogProbs.Of(model, DpoBatch.Collate([e], 0)).data<float>().ToArray();
            return (v[0], v[1], e.Chosen.Count, e.Rejected.Count);
        }
        double total = 0, weights = 0, nllSum = 0, nllTokens = 0, margins = 0;
        foreach (var e in examples)
        {
            var (pc, pr, nc, nr) = LogProbs(policy, e);
            var (rc, rr, _, _) = LogProbs(reference, e);
            var ipo = lossType == DpoLossType.Ipo;
            var h = ipo ? (pc / nc - pr / nr) - (rc / nc - rr / nr) : (pc - pr) - (rc - rr);
            double LogSigmoid(double x) => -Math.Log(1 + Math.Exp(-x));
            var loss = lossType switch
            {
                DpoLossType.Ipo => Math.Pow(h - 1 / (2 * config.Beta), 2),
                DpoLossType.Robust => (-(1 - epsilon) * LogSigmoid(config.Beta * h) + epsilon * LogSigmoid(-config.Beta * h)) / (1 - 2 * epsilon),
                _ => -(1 - epsilon) * LogSigmoid(config.Beta * h) - epsilon * LogSigmoid(-config.Beta * h),
            };
            total += e.Weight * loss;
            weights += e.Weight;
            margins += e.Weight * config.Beta * h;
            nllSum -= e.Weight * pc;
            nllTokens += e.Weight * nc;
        }
        // The trainer adds α·NLL per batch (3 + 2 examples) before averaging; written out per batch below when on.
        var expected = total / weights;
        if (alpha is { } a)
        {
            double BatchNll(IEnumerable<DpoExample> batch)
            {
                var list = batch.ToList();
                return -list.Sum(e => e.Weight * LogProbs(policy, e).C) / list.Sum(e => e.Weight * e.Chosen.Count);
            }
            var w1 = examples.Take(3).Sum(e => e.Weight);
            var w2 = examples.Skip(3).Sum(e => e.Weight);
            expected += a * (w1 * BatchNll(examples.Take(3)) + w2 * BatchNll(examples.Skip(3))) / (w1 + w2);
        }
        eval["eval_loss"].ShouldBe(expected, 1e-4);
        eval["eval_rewards/margins"].ShouldBe(margins / weights, 1e-4);
        Math.Abs(margins).ShouldBeGreaterThan(1e-3);                                  // the two models really differ
    }

    [Fact]
    public void Train_AfterHundredsOfSteps_LeavesOnlyTheModelsTensorsAlive()
    {
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var policy = Make("qwen2"))
        using (var reference = Make("qwen2"))
        {
            var withModels = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            new DpoTrainer(policy, reference, Tiny with { BatchSize = 4, Epochs = 2, RpoAlpha = 1 }).Train(Examples(200, seed: 1), Examples(16, seed: 2));
            DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(withModels);
        }
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(before);
    }

    [Fact]
    public void Train_ExamplesLongerThanMaxLength_AreLeftOutAndCounted()
    {
        using var policy = Make("qwen2");
        using var reference = Make("qwen2");
        var examples = Examples(20, seed: 1);
        examples.Add(new DpoExample(Enumerable.Repeat(150L, 60).ToArray(), [11, 150, 151, 152, 153], [21]));

        var result = new DpoTrainer(policy, reference, Tiny with { BatchSize = 10 }).Train(examples);

        result.SkippedTooLong.ShouldBe(1);
        result.History.Count.ShouldBe(2);
    }

    [Fact]
    public void Train_CancelledAfterTwoSteps_StopsBeforeTheThird()
    {
        using var policy = Make("qwen2");
        using var reference = Make("qwen2");
        using var cancel = new CancellationTokenSource();
        var reported = new List<TrainingStep>();
        var progress = new SyncProgress(reported, after: s => { if (s.Step == 2) cancel.Cancel(); });

        Should.Throw<OperationCanceledException>(() =>
            new DpoTrainer(policy, reference, Tiny).Train(Examples(64, seed: 1), progress: progress, cancellationToken: cancel.Token));

        reported.Count.ShouldBe(2);
        policy.training.ShouldBeFalse();
    }

    [Fact]
    public void Train_ResumedFromACheckpoint_GivesTheSameLossesAndWeightsAsARunThatNeverStopped()
    {
        // Dropout on (0.1 everywhere, not disabled): the resumed run only matches if the generator's state came back too.
        var config = Tiny with { Epochs = 2, BatchSize = 8, DisableDropout = false, WarmupRatio = 0.2, RpoAlpha = 0.5 };
        var examples = Examples(40, seed: 4);                                            // 5 steps an epoch, 10 in all
        var folder = Path.Combine(Path.GetTempPath(), $"ps-dpo-resume-{Guid.NewGuid():N}");
        try
        {
            List<double> straight;
            Dictionary<string, Tensor> straightWeights;
            using (var policy = Make("gpt2", seed: 3, dropout: 0.1))
            using (var reference = Make("gpt2", seed: 3))
            {
                straight = new DpoTrainer(policy, reference, config).Train(examples).History.Select(s => s.Metrics["loss"]).ToList();
                straightWeights = Snapshot(policy);
            }

            using (var policy = Make("gpt2", seed: 3, dropout: 0.1))
            using (var reference = Make("gpt2", seed: 3))
            using (var cancel = new CancellationTokenSource())
            {
                var stopAfterSeven = new SyncProgress([], after: s => { if (s.Step == 7) cancel.Cancel(); });
                Should.Throw<OperationCanceledException>(() => new DpoTrainer(policy, reference, config)
                    .Train(examples, null, stopAfterSeven, new TrainingCheckpoints(folder, SaveSteps: 3), cancel.Token));
            }
            TrainingCheckpoints.Latest(folder).ShouldBe(Path.Combine(folder, "checkpoint-6"));
            File.Exists(Path.Combine(folder, "checkpoint-6", ReferenceLogProbs.FileName)).ShouldBeTrue();
            CausalLM.FromPretrained(Path.Combine(folder, "checkpoint-6")).Dispose();      // the checkpoint is a loadable policy

            // A fresh process: other weights, another generator state, and a reference that is NOT the run's: the
            // resumed run must take π_ref from the checkpoint rather than recompute it.
            using var resumedPolicy = Make("gpt2", seed: 1234, dropout: 0.1);
            using var wrongReference = Make("gpt2", seed: 99);
            var resumed = new DpoTrainer(resumedPolicy, wrongReference, config)
                .Train(examples, null, null, new TrainingCheckpoints(folder, SaveSteps: 3, ResumeFrom: TrainingCheckpoints.Latest(folder)));

            resumed.History.Select(s => s.Step).ShouldBe(Enumerable.Range(1, 10).Select(i => (long)i));
            resumed.History.Select(s => s.Metrics["loss"]).ShouldBe(straight);
            ShouldBeBitIdentical(resumedPolicy, straightWeights);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Train_TrainedPolicy_SavesAsAHuggingFaceFolderThatLoadsWithTheSameLogProbs()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ps-dpo-save-{Guid.NewGuid():N}");
        try
        {
            using var scope = NewDisposeScope();
            using var policy = Make("qwen2");
            using var reference = Make("qwen2");
            var examples = Examples(16, seed: 5);
            new DpoTrainer(policy, reference, Tiny).Train(examples);
            policy.SavePretrained(folder);

            using var loaded = CausalLM.FromPretrained(folder);
            using var noGrad = no_grad();
            var batch = DpoBatch.Collate(examples, 0);
            SequenceLogProbs.Of(loaded, batch).data<float>().ToArray().ShouldBe(SequenceLogProbs.Of(policy, batch).data<float>().ToArray());
            SequenceLogProbs.Of(reference, batch).data<float>().ToArray().ShouldNotBe(SequenceLogProbs.Of(policy, batch).data<float>().ToArray());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Constructor_InvalidConfig_NamesEveryBadFieldAndItsValue()
    {
        using var policy = Make("qwen2");
        using var reference = Make("qwen2");
        var error = Should.Throw<ArgumentException>(() =>
            new DpoTrainer(policy, reference, Tiny with { Beta = 0, LossType = "hinge", LabelSmoothing = 0.5, RpoAlpha = -1, BatchSize = 0 }));

        error.Message.ShouldContain("beta must be positive, got 0");
        error.Message.ShouldContain("loss_type must be one of sigmoid, ipo, robust, got 'hinge'");
        error.Message.ShouldContain("label_smoothing must be in [0, 0.5), got 0.5");
        error.Message.ShouldContain("rpo_alpha must be positive, or null to leave the NLL term out, got -1");
        error.Message.ShouldContain("per_device_train_batch_size must be at least 1, got 0");
    }

    [Theory]
    [InlineData(DpoLossType.Ipo, 0.1, "loss_type ipo does not support label_smoothing, got label_smoothing 0.1")]
    [InlineData(DpoLossType.Robust, 0.0, "loss_type robust needs label_smoothing > 0")]
    public void Validate_ConflictingLossTypeAndLabelSmoothing_NamesBoth(string lossType, double epsilon, string expected)
    {
        var errors = (Tiny with { LossType = lossType, LabelSmoothing = epsilon }).Validate();

        errors.ShouldHaveSingleItem().ShouldContain(expected);
    }

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        new DpoConfig().Validate().ShouldBeEmpty();
        (new DpoConfig() with { LossType = DpoLossType.Robust, LabelSmoothing = 0.1, RpoAlpha = 1 }).Validate().ShouldBeEmpty();
    }

    [Fact]
    public void Constructor_PolicyAsItsOwnReference_IsRefused()
    {
        using var policy = Make("qwen2");
        Should.Throw<ArgumentException>(() => new DpoTrainer(policy, policy, Tiny)).Message.ShouldContain("separate model");
    }

    [Fact]
    public void Train_BadExample_IsRefusedNamingIt()
    {
        using var policy = Make("qwen2");
        using var reference = Make("qwen2");
        var examples = Examples(3, seed: 1);
        examples.Add(new DpoExample([150], [11], [21], Weight: 0));

        Should.Throw<ArgumentException>(() => new DpoTrainer(policy, reference, Tiny).Train(examples)).Message.ShouldContain("train[3]: weight");
    }
}
