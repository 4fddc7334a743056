using System.Text.Json.Serialization;

namespace PreferenceStudio.Training;

/// <summary>How a policy is trained with DPO: β, the loss, and the optimizer fields of <see cref="OptimizerConfig"/>
/// (pairs per batch: each step runs 2 × batch_size sequences, chosen and rejected, in one batch). Names in errors are
/// TRL's DPOConfig field names.</summary>
public sealed record DpoConfig : OptimizerConfig
{
    /// <summary>
    /// DPO's own defaults for the optimizer fields. The learning rate: TRL's 5e-7 (Zephyr's) suits billion-parameter
    /// models; the tiny models trained on this CPU barely move at it. Measured on TinyCheckpoints' 64-wide 2-layer Qwen2
    /// (pretrained 300 steps), one epoch of 224 pairs of its corpus's sentences, those about the cat preferred (28 steps,
    /// β 0.1): held-out rewards/margins 0.004 at 5e-7, 0.08 at 1e-5, 0.56 at 1e-4, 2.4 at 1e-3. 1e-4 moves the policy
    /// clearly within an epoch without running away from the reference. Use 5e-7 to 1e-6 for a real pretrained model.
    /// The warmup: TRL's 0.1.
    /// </summary>
    public DpoConfig()
    {
        LearningRate = 1e-4;
        WarmupRatio = 0.1;
    }

    /// <summary>β: how far the policy may move from the reference; the implicit reward is β log π/π_ref. TRL's 0.1.</summary>
    [JsonPropertyOrder(-2)]
    public double Beta { get; init; } = 0.1;

    /// <summary>sigmoid, ipo or robust (<see cref="DpoLossType"/>).</summary>
    [JsonPropertyOrder(-2)]
    public string LossType { get; init; } = DpoLossType.Sigmoid;

    /// <summary>ε, the assumed probability that a label is flipped: cDPO's smoothing for sigmoid, robust DPO's noise
    /// rate for robust. In [0, 0.5); 0 trusts every label.</summary>
    [JsonPropertyOrder(-2)]
    public double LabelSmoothing { get; init; }

    /// <summary>α of RPO's NLL term on the chosen responses (Pang et al. 2024 use 1); null leaves the term out.</summary>
    [JsonPropertyOrder(-2)]
    public double? RpoAlpha { get; init; }

    /// <summary>Every problem of the config, each naming the field and its value; empty when it is valid.</summary>
    public override IReadOnlyList<string> Validate()
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
        errors.AddRange(base.Validate());
        return errors;
    }

    protected override string ConfigName => "DPO";
}
