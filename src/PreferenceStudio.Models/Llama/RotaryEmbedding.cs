using PreferenceStudio.Torch;

namespace PreferenceStudio.Models.Llama;

/// <summary>
/// Rotary position embedding tables (RoFormer, Su et al. 2021): pair i of each head rotates by
/// position * theta^(-2i / D). Computed per call from the position ids, in float32.
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>cos and sin, each (B, 1, T, D), for position ids (B, T).</summary>
    public static (Tensor Cos, Tensor Sin) Tables(Tensor positionIds, long headDim, double theta, ScalarType dtype, RopeScaling? scaling = null)
    {
        ArgumentNullException.ThrowIfNull(positionIds);
        var device = positionIds.Device;
        var frequencies = Enumerable.Range(0, (int)(headDim / 2)).Select(i => 1.0 / Math.Pow(theta, 2.0 * i / headDim)).ToArray();
        if (scaling is not null) frequencies = scaling.Apply(frequencies);
        var invFreq = Tensor.From(Array.ConvertAll(frequencies, f => (float)f), [headDim / 2], device);    // (D/2)
        var freqs = positionIds.To(ScalarType.Float32).Unsqueeze(-1) * invFreq;               // (B, T, D/2)
        var angles = Tensor.Cat([freqs, freqs], -1).Unsqueeze(1);                             // (B, 1, T, D)
        return (angles.Cos().To(dtype), angles.Sin().To(dtype));
    }
}
