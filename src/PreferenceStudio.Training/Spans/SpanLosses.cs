using static TorchSharp.torch;

namespace PreferenceStudio.Training.Spans;

/// <summary>The span model's loss.</summary>
public static class SpanLosses
{
    /// <summary>
    /// Cross-entropy of logits (B, T, K) against labels (B, T), over the positions whose label is not
    /// <see cref="SpanBatch.Ignore"/> only. With class weights (K), the weighted mean Σ w_y·ℓ / Σ w_y, as PyTorch's.
    /// </summary>
    public static Tensor TokenCrossEntropy(Tensor logits, Tensor labels, Tensor? classWeights = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        var classes = logits.shape[^1];
        return nn.functional.cross_entropy(logits.reshape(-1, classes).to(ScalarType.Float32), labels.reshape(-1),
            weight: classWeights, ignore_index: SpanBatch.Ignore);
    }
}
