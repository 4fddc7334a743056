using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>Position-wise feed-forward: C → 4C → GELU (tanh form, "gelu_new") → C.</summary>
public sealed class Gpt2Mlp : Module
{
    private readonly Gpt2Config config;

    public Gpt2Mlp(Gpt2Config config, Device? device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        CFc = RegisterModule("c_fc", new Conv1D(config.NEmbd, config.InnerSize, device, dtype));
        CProj = RegisterModule("c_proj", new Conv1D(config.InnerSize, config.NEmbd, device, dtype, 0.02 / Math.Sqrt(2 * config.NLayer)));
    }

    public Conv1D CFc { get; }

    public Conv1D CProj { get; }

    // (B, T, C) -> (B, T, C)
    public Tensor Forward(Tensor x) =>
        Functional.Dropout(CProj.Forward(CFc.Forward(x).Gelu(tanhApproximation: true)), config.ResidPdrop, Training);
}
