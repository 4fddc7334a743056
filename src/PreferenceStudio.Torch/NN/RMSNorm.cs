namespace PreferenceStudio.Torch.NN;

/// <summary>RMS normalization with a learned scale (Llama / Qwen2's input_layernorm, post_attention_layernorm, norm).</summary>
public sealed class RMSNorm : Module
{
    private readonly double eps;

    public RMSNorm(long dim, double eps = 1e-6, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        this.eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones([dim], dtype, device));
    }

    public Tensor Weight { get; }

    // (..., C) -> (..., C)
    public Tensor Forward(Tensor x) => Functional.RmsNorm(x, Weight, eps);
}
