using PreferenceStudio.Torch;

namespace PreferenceStudio.Models.Llama;

/// <summary>
/// Rotary position embedding tables (RoFormer, Su et al. 2021): pair i of each head rotates by
/// position * theta^(-2i / D). Computed per call from the position ids, in float32.
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>cos and sin, each (B, 1, T, D), for position ids (B, T).</summary>
    public static (Tensor Cos, Tensor Sin) Tables(Tensor positionIds, long headDim, double theta, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(positionIds);
        var device = positionIds.Device;
        var exponents = Tensor.Arange(0, headDim, 2, ScalarType.Float32, device) / headDim;     // (D/2)
        var invFreq = Tensor.Full([headDim / 2], theta, ScalarType.Float32, device).Pow(exponents).Reciprocal();
        var freqs = positionIds.To(ScalarType.Float32).Unsqueeze(-1) * invFreq;               // (B, T, D/2)
        var angles = Tensor.Cat([freqs, freqs], -1).Unsqueeze(1);                             // (B, 1, T, D)
        return (angles.Cos().To(dtype), angles.Sin().To(dtype));
    }
}
