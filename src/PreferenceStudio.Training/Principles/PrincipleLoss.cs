using static TorchSharp.torch;

namespace PreferenceStudio.Training.Principles;

/// <summary>The principle model's loss: binary cross-entropy of the verdicts, from the logits.</summary>
public static class PrincipleLoss
{
    /// <summary>
    /// Σ_i w_i · ℓ_i / Σ_i w_i with ℓ_i = −[y_i log σ(z_i) + (1 − y_i) log(1 − σ(z_i))], computed from the logits z
    /// (libtorch's stable form) rather than from σ(z), which rounds to 0 or 1 for large |z|. Its gradient is
    /// w_i (σ(z_i) − y_i) / Σ w. logits, targets (0 or 1), weights: (B).
    /// </summary>
    public static Tensor BinaryCrossEntropy(Tensor logits, Tensor targets, Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(weights);
        var perExample = nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction: nn.Reduction.None); // (B)
        return (perExample * weights).sum() / weights.sum();                                                         // ()
    }
}
