using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Llama;

/// <summary>
/// RMS normalization (Zhang &amp; Sennrich 2019) as Llama / Qwen2 compute it: in float32, back to the input dtype,
/// then scaled by the weight. y = w * x / sqrt(mean(x²) + eps). (Hugging Face LlamaRMSNorm; torch.nn.RMSNorm
/// scales before casting back, which differs in bfloat16.)
/// </summary>
public sealed class LlamaRMSNorm : nn.Module<Tensor, Tensor>
{
    private readonly double eps;
    private readonly Parameter weight;

    public LlamaRMSNorm(long hiddenSize, double eps, Device? device, ScalarType dtype) : base(nameof(LlamaRMSNorm))
    {
        this.eps = eps;
        weight = new Parameter(ones([hiddenSize], dtype, device));
        RegisterComponents();
    }

    // (..., C) -> (..., C)
    public override Tensor forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var xf = x.to(ScalarType.Float32);
        var normed = xf * (xf.pow(2).mean([-1], keepdim: true) + eps).rsqrt();
        return weight * normed.to(x.dtype);
    }
}
