using static TorchSharp.torch;

namespace PreferenceStudio.Models.Llama;

/// <summary>
/// Rotary position embedding (RoFormer, Su et al. 2021): pair i of each head rotates by
/// position * theta^(-2i / D), in the "rotate half" layout of Hugging Face Llama / Qwen2.
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>cos and sin, each (B, 1, T, D), for position ids (B, T); computed in float32, returned in dtype.</summary>
    public static (Tensor Cos, Tensor Sin) Tables(Tensor positionIds, long headDim, double theta, ScalarType dtype, RopeScaling? scaling = null)
    {
        ArgumentNullException.ThrowIfNull(positionIds);
        var frequencies = Enumerable.Range(0, (int)(headDim / 2)).Select(i => 1.0 / Math.Pow(theta, 2.0 * i / headDim)).ToArray();
        if (scaling is not null) frequencies = scaling.Apply(frequencies);
        var invFreq = tensor(Array.ConvertAll(frequencies, f => (float)f), device: positionIds.device);   // (D/2)
        var freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * invFreq;               // (B, T, D/2)
        var angles = cat([freqs, freqs], -1).unsqueeze(1);                                    // (B, 1, T, D)
        return (angles.cos().to(dtype), angles.sin().to(dtype));
    }

    /// <summary>x * cos + rotate_half(x) * sin, rotate_half([x1, x2]) = [-x2, x1]. x: (B, H, T, D).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        ArgumentNullException.ThrowIfNull(x);
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, x.shape[^1] - half);
        return x * cos + cat([-x2, x1], -1) * sin;
    }
}
