using System.Globalization;

namespace PreferenceStudio.Training;

/// <summary>How a policy is trained with DPO. Names in errors are TRL's DPOConfig field names.</summary>
public sealed record DpoConfig : ITrainerConfig
{
    /// <summary>β: how far the policy may move from the reference; the implicit reward is β log π/π_ref. TRL's 0.1.</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>sigmoid, ipo or robust (<see cref="DpoLossType"/>).</summary>
    public string LossType { get; init; } = DpoLossType.Sigmoid;

    /// <summary>ε, the assumed probability that a label is flipped: cDPO's smoothing for sigmoid, robust DPO's noise
    /// rate for robust. In [0, 0.5); 0 trusts every label.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>α of RPO's NLL term on the chosen responses (Pang et al. 2024 use 1); null leaves the term out.</summary>
    public double? RpoAlpha { get; init; }

    /// <summary>
    /// Peak AdamW learning rate. TRL's 5e-7 (Zephyr's) suits billion-parameter models; the tiny models trained on
    /// this CPU barely move at it. Measured on TinyCheckpoints' 64-wide 2-layer Qwen2 (pretrained 300 steps), one
    /// epoch of 224 pairs of its corpus's sentences, those about the cat preferred (28 steps, β 0.1): held-out rewards/margins 0.004 at 5e-7, 0.08 at 1e-5, 0.56 at 1e-4,
    /// 2.4 at 1e-3. 1e-4 moves the policy clearly within an epoch without running away from the reference.
    /// Use 5e-7 to 1e-6 for a real pretrained model.
    /// </summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Pairs per optimizer step; each step runs 2 × this many sequences (chosen and rejected) in one batch.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Passes over the pairs.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Longest prompt + response in tokens. Longer pairs are left out (and counted), never truncated.</summary>
    public int MaxLength { get; init; } = 1024;

    /// <summary>Share of the steps spent warming the learning rate up from 0, before the cosine decay.</summary>
    public double WarmupRatio { get; init; } = 0.1;

    /// <summary>Decoupled weight decay on matrices (AdamW); 0 as in Hugging Face's Trainer.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradients are clipped to this joint 2-norm.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Sets every dropout of the policy to 0, as TRL's DPOConfig does by default: the loss compares the
    /// policy's log-probabilities with the reference's, and dropout noise would stand in the comparison.</summary>
    public bool DisableDropout { get; init; } = true;

    /// <summary>Seeds the order of the pairs (and dropout when on): the same seed gives the same run.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Every problem of the config, each naming the field and its value; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string message) { if (!ok) errors.Add(message); }
        Require(Beta > 0 && double.IsFinite(Beta), $"beta must be positive, got {F(Beta)}");
        Require(DpoLossType.All.Contains(LossType), $"loss_type must be one of {string.Join(", ", DpoLossType.All)}, got '{LossType}'");
        Require(LabelSmoothing is >= 0 and < 0.5, $"label_smoothing must be in [0, 0.5), got {F(LabelSmoothing)}");
        // TRL refuses the same: IPO's squared loss has no notion of a flipped label.
        Require(!(LossType == DpoLossType.Ipo && LabelSmoothing > 0),
            $"loss_type ipo does not support label_smoothing, got label_smoothing {F(LabelSmoothing)}");
        // TRL accepts it, but robust DPO at ε = 0 is exactly the sigmoid loss: a robust run that is not is a mistake.
        Require(!(LossType == DpoLossType.Robust && LabelSmoothing == 0),
            "loss_type robust needs label_smoothing > 0 (the assumed label noise; at 0 it is the sigmoid loss), got label_smoothing 0");
        Require(RpoAlpha is null || (RpoAlpha > 0 && double.IsFinite(RpoAlpha.Value)),
            $"rpo_alpha must be positive, or null to leave the NLL term out, got {F(RpoAlpha ?? 0)}");
        Require(LearningRate is > 0 and < 1, $"learning_rate must be in (0, 1), got {F(LearningRate)}");
        Require(BatchSize >= 1, $"per_device_train_batch_size must be at least 1, got {BatchSize}");
        Require(Epochs >= 1, $"num_train_epochs must be at least 1, got {Epochs}");
        Require(MaxLength >= 2, $"max_length must be at least 2 (a prompt token and a response token), got {MaxLength}");
        Require(WarmupRatio is >= 0 and < 1, $"warmup_ratio must be in [0, 1), got {F(WarmupRatio)}");
        Require(WeightDecay >= 0, $"weight_decay must not be negative, got {F(WeightDecay)}");
        Require(MaxGradNorm > 0, $"max_grad_norm must be positive, got {F(MaxGradNorm)}");
        return errors;
    }

    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid DPO config: " + string.Join("; ", errors));
    }

    private static string F(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
