using PreferenceStudio.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests;

/// <summary>The frame every supervised trainer runs in, on a model small enough to compare runs step by step.</summary>
public class TrainerLoopTests
{
    // 12 steps: warmup over the first 4 (ceil(0.3 × 12)), so a resumed run that restarted the schedule would warm up again.
    private static readonly RewardConfig Config = new()
    {
        LearningRate = 1e-2, BatchSize = 4, Epochs = 3, WarmupRatio = 0.3, WeightDecay = 0.01, DisableDropout = false,
    };

    private static readonly List<(float[] X, float Y)> Examples =
        Enumerable.Range(0, 16).Select(i => (new[] { i / 16f, (i % 3) / 3f, (i % 5) / 5f }, (float)Math.Sin(i))).ToList();

    private static nn.Module<Tensor, Tensor> Model(long seed)
    {
        manual_seed(seed);
        return nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Dropout(0.3), nn.Linear(16, 1));  // dropout: the generator must come back too
    }

    private static (TrainerLoop<(float[] X, float Y)> Loop, List<string> Calls) Loop(nn.Module<Tensor, Tensor> model)
    {
        var calls = new List<string>();
        var loop = new TrainerLoop<(float[] X, float Y)>(Config, model.parameters().ToList())
        {
            Forward = batch =>
            {
                var x = tensor(batch.Examples.SelectMany(e => e.X).ToArray(), [batch.Examples.Count, 3]);
                var y = tensor(batch.Examples.Select(e => e.Y).ToArray(), [batch.Examples.Count, 1]);
                var loss = nn.functional.mse_loss(model.forward(x), y);
                return (loss, new Dictionary<string, double> { ["loss"] = loss.item<float>(), ["first_index"] = batch.Indices[0] });
            },
            Train = () => { calls.Add("train"); model.train(); },
            Eval = () => { calls.Add("eval"); model.eval(); },
            DisableDropout = () => calls.Add("disable_dropout"),
            SaveModel = folder => SafeTensors.Save(Path.Combine(folder, "model.safetensors"), model.state_dict()),
            LoadModel = folder =>
            {
                var tensors = SafeTensors.Load(Path.Combine(folder, "model.safetensors"));
                try { model.load_state_dict(tensors); }
                finally { foreach (var t in tensors.Values) t.Dispose(); }
            },
            Starting = () => calls.Add("starting"),
            Resumed = folder => calls.Add("resumed " + Path.GetFileName(folder)),
        };
        return (loop, calls);
    }

    private static string Describe(TrainingStep s) =>
        $"{s.Step}/{s.TotalSteps} epoch {s.Epoch:R} " + string.Join(" ", s.Metrics.Select(kv => $"{kv.Key}={kv.Value:R}"));

    [Fact]
    public void Run_ResumedFromACheckpoint_ReplaysTheScheduleToTheSameStepsAndWeightsAsARunThatNeverStopped()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ps-loop-resume-{Guid.NewGuid():N}");
        try
        {
            using var straightModel = Model(seed: 3);
            var (straightLoop, straightCalls) = Loop(straightModel);
            var straight = straightLoop.Run(Examples, null, null, default);

            using (var stoppedModel = Model(seed: 3))
            using (var cancel = new CancellationTokenSource())
            {
                var stopAfterSeven = new SyncProgress([], after: s => { if (s.Step == 7) cancel.Cancel(); });
                Should.Throw<OperationCanceledException>(() => Loop(stoppedModel).Loop.Run(Examples, stopAfterSeven, new TrainingCheckpoints(folder, SaveSteps: 3), cancel.Token));
                stoppedModel.training.ShouldBeFalse();
            }
            manual_seed(1234);  // a fresh process: another generator state
            using var resumedModel = Model(seed: 99);  // and other weights
            var (resumedLoop, resumedCalls) = Loop(resumedModel);
            var resumed = resumedLoop.Run(Examples, null, new TrainingCheckpoints(folder, SaveSteps: 3, ResumeFrom: TrainingCheckpoints.Latest(folder)), default);

            straightCalls.ShouldBe(["starting", "train", "eval"]);
            resumedCalls.ShouldBe(["resumed checkpoint-6", "train", "eval"]);
            straight.Select(s => s.Metrics["learning_rate"]).Take(5).ShouldBe([2.5e-3, 5e-3, 7.5e-3, 1e-2, 1e-2], tolerance: 1e-12);  // the warmup, then the cosine
            resumed.Select(Describe).ShouldBe(straight.Select(Describe));  // every step's learning rate, batch, loss and grad_norm
            foreach (var (name, value) in straightModel.state_dict())
                value.eq(resumedModel.state_dict()[name]).all().item<bool>().ShouldBeTrue($"{name} differs");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Run_CheckpointOfARunWithAnotherSeed_IsRefusedNamingBothRuns()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ps-loop-seed-{Guid.NewGuid():N}");
        try
        {
            using var model = Model(seed: 3);
            var (loop, _) = Loop(model);
            loop.Run(Examples, null, new TrainingCheckpoints(folder, SaveSteps: 3), default);
            var other = new TrainerLoop<(float[] X, float Y)>(Config with { Seed = 7 }, model.parameters().ToList())
            {
                Forward = _ => throw new InvalidOperationException("no step expected"),
                Train = () => { }, Eval = () => { }, DisableDropout = () => { },
                SaveModel = _ => { }, LoadModel = _ => { },
            };

            var error = Should.Throw<InvalidOperationException>(() =>
                other.Run(Examples, null, new TrainingCheckpoints(folder, 3, ResumeFrom: TrainingCheckpoints.Latest(folder)), default));

            error.Message.ShouldContain("is of a run with 12 steps and seed 42; this one has 12 steps and seed 7");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Run_DisableDropoutOn_DisablesItAfterSwitchingToTrainingMode()
    {
        using var model = Model(seed: 3);
        var (loop, calls) = Loop(model);
        var config = Config with { DisableDropout = true, Epochs = 1 };
        var withDropoutOff = new TrainerLoop<(float[] X, float Y)>(config, model.parameters().ToList())
        {
            Forward = loop.Forward, Train = loop.Train, Eval = loop.Eval, DisableDropout = loop.DisableDropout,
            SaveModel = loop.SaveModel, LoadModel = loop.LoadModel, Starting = loop.Starting,
        };

        var history = withDropoutOff.Run(Examples, null, null, default);

        calls.ShouldBe(["starting", "train", "disable_dropout", "eval"]);
        history.Select(s => s.Epoch).ShouldBe([0.25, 0.5, 0.75, 1.0]);
    }
}
