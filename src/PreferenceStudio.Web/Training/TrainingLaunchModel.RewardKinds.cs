using System.Globalization;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training.Principles;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Web.Training;

/// <summary>The launch form's span and principle reward model runs: the shared fields, plus the span model's class weights.</summary>
public sealed partial class TrainingLaunchModel
{
    /// <summary>
    /// Span models only: the cross-entropy weight per class, comma-separated, "no error" first then each span label in
    /// the project's order; empty weighs all alike.
    /// </summary>
    public string ClassWeights { get; set; } = "";

    private static bool IsRewardKind(TrainingKind kind) => kind is TrainingKind.SpanRewardModel or TrainingKind.PrincipleRewardModel;

    /// <summary>Takes a span or principle run's defaults; false for the other kinds, whose defaults the caller takes.</summary>
    private bool TakeRewardKindDefaults(TrainingKind kind)
    {
        if (kind == TrainingKind.SpanRewardModel)
        {
            var run = new SpanRewardRunConfig();
            var t = run.Trainer;
            (EvalShare, SaveSteps) = (run.EvalShare, run.SaveSteps);
            (LearningRate, BatchSize, Epochs, MaxLength, WarmupRatio, WeightDecay, MaxGradNorm, DisableDropout, Seed) =
                (t.LearningRate, t.BatchSize, t.Epochs, t.MaxLength, t.WarmupRatio, t.WeightDecay, t.MaxGradNorm, t.DisableDropout, t.Seed);
            ClassWeights = "";
            return true;
        }
        if (kind == TrainingKind.PrincipleRewardModel)
        {
            var run = new PrincipleRewardRunConfig();
            var t = run.Trainer;
            (EvalShare, SaveSteps) = (run.EvalShare, run.SaveSteps);
            (LearningRate, BatchSize, Epochs, MaxLength, WarmupRatio, WeightDecay, MaxGradNorm, DisableDropout, Seed) =
                (t.LearningRate, t.BatchSize, t.Epochs, t.MaxLength, t.WarmupRatio, t.WeightDecay, t.MaxGradNorm, t.DisableDropout, t.Seed);
            return true;
        }
        return false;
    }

    public SpanRewardRunConfig ToSpanConfig() => new()
    {
        Trainer = new SpanRewardConfig
        {
            LearningRate = LearningRate, BatchSize = BatchSize, Epochs = Epochs, MaxLength = MaxLength, WarmupRatio = WarmupRatio,
            WeightDecay = WeightDecay, MaxGradNorm = MaxGradNorm, DisableDropout = DisableDropout, Seed = Seed,
            ClassWeights = ParseClassWeights().Weights,
        },
        EvalShare = EvalShare,
        SaveSteps = SaveSteps,
    };

    public PrincipleRewardRunConfig ToPrincipleConfig() => new()
    {
        Trainer = new PrincipleRewardConfig
        {
            LearningRate = LearningRate, BatchSize = BatchSize, Epochs = Epochs, MaxLength = MaxLength, WarmupRatio = WarmupRatio,
            WeightDecay = WeightDecay, MaxGradNorm = MaxGradNorm, DisableDropout = DisableDropout, Seed = Seed,
        },
        EvalShare = EvalShare,
        SaveSteps = SaveSteps,
    };

    /// <summary>The config's problems for a span or principle run; null for the other kinds.</summary>
    private IReadOnlyList<string>? RewardKindProblems()
    {
        if (!IsRewardKind(Kind))
            return null;
        if (Kind == TrainingKind.PrincipleRewardModel)
            return ToPrincipleConfig().Validate();
        var (_, error) = ParseClassWeights();
        return error is null ? ToSpanConfig().Validate() : [.. ToSpanConfig().Validate(), error];
    }

    /// <summary>The weights typed, or null for none, and what is wrong with the text (naming the field), if anything.</summary>
    private (IReadOnlyList<double>? Weights, string? Error) ParseClassWeights()
    {
        if (string.IsNullOrWhiteSpace(ClassWeights))
            return (null, null);
        var parts = ClassWeights.Split(',', StringSplitOptions.TrimEntries);
        var weights = new List<double>();
        foreach (var part in parts)
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
                return (null, $"class_weights: '{part}' is not a number; write the weights separated by commas, e.g. 1, 5, 5");
            weights.Add(weight);
        }
        return (weights, null);
    }
}
