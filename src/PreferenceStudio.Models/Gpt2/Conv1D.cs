using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>
/// GPT-2's "Conv1D": a linear layer whose weight is stored transposed, (in, out), as in OpenAI's TensorFlow
/// original and every GPT-2 checkpoint. y = x W + b.
/// </summary>
public sealed class Conv1D : nn.Module<Tensor, Tensor>
{
    // Fields carry the checkpoint names: RegisterComponents registers them, and module.to() swaps them in place.
    private readonly Parameter weight;
    private readonly Parameter bias;

    public Conv1D(long inFeatures, long outFeatures, Device? device, ScalarType dtype, double initStd = 0.02) : base(nameof(Conv1D))
    {
        using (no_grad())
        {
            weight = new Parameter(empty([inFeatures, outFeatures], dtype, device).normal_(0, initStd));
            bias = new Parameter(zeros([outFeatures], dtype, device));
        }
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public Parameter Bias => bias;

    // (B, T, in) -> (B, T, out)
    public override Tensor forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return addmm(bias, x.view(-1, x.shape[^1]), weight, beta: 1, alpha: 1).view([.. x.shape[..^1], weight.shape[1]]);
    }
}
