using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>
/// GPT-2's "Conv1D": a linear layer whose weight is stored transposed, (in, out), as in OpenAI's TensorFlow
/// original and every GPT-2 checkpoint. y = x W + b.
/// </summary>
public sealed class Conv1D : Module
{
    public Conv1D(long inFeatures, long outFeatures, Device? device, ScalarType dtype, double initStd = 0.02)
    {
        Weight = RegisterParameter("weight", Tensor.Empty([inFeatures, outFeatures], dtype, device).Normal_(0, initStd));
        Bias = RegisterParameter("bias", Tensor.Zeros([outFeatures], dtype, device));
    }

    public Tensor Weight { get; }

    public Tensor Bias { get; }

    // (B, T, in) -> (B, T, out)
    public Tensor Forward(Tensor x) => x.MatMul(Weight).Add(Bias);
}
