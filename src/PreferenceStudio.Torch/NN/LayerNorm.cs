namespace PreferenceStudio.Torch.NN;

/// <summary>Layer normalization over the last dimension with a learned scale and shift (GPT-2's ln_1, ln_2, ln_f).</summary>
public sealed class LayerNorm : Module
{
    private readonly double eps;

    public LayerNorm(long dim, double eps = 1e-5, bool bias = true, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        this.eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones([dim], dtype, device));
        if (bias) Bias = RegisterParameter("bias", Tensor.Zeros([dim], dtype, device));
    }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    // (..., C) -> (..., C)
    public Tensor Forward(Tensor x) => Functional.LayerNorm(x, Weight, Bias, eps);
}
