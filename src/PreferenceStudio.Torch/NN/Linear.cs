namespace PreferenceStudio.Torch.NN;

/// <summary>y = x W^T + b with W: (out, in), as torch.nn.Linear (and Hugging Face Llama's q_proj, ...).</summary>
public sealed class Linear : Module
{
    public Linear(long inFeatures, long outFeatures, bool bias = true, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        // PyTorch's default: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
        var bound = 1.0 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures], dtype, device).Uniform_(-bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensor.Empty([outFeatures], dtype, device).Uniform_(-bound, bound));
    }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    // (..., in) -> (..., out)
    public Tensor Forward(Tensor x) => Functional.Linear(x, Weight, Bias);
}
