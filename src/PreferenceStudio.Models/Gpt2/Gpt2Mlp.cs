using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>Position-wise feed-forward: C → 4C → GELU (tanh form, "gelu_new") → C.</summary>
public sealed class Gpt2Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Conv1D c_fc;
    private readonly Conv1D c_proj;
    private readonly Dropout dropout;

    public Gpt2Mlp(Gpt2Config config, Device? device, ScalarType dtype) : base(nameof(Gpt2Mlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        c_fc = new Conv1D(config.NEmbd, config.InnerSize, device, dtype);
        c_proj = new Conv1D(config.InnerSize, config.NEmbd, device, dtype, 0.02 / Math.Sqrt(2 * config.NLayer));
        dropout = nn.Dropout(config.ResidPdrop);
        RegisterComponents();
    }

    // (B, T, C) -> (B, T, C)
    public override Tensor forward(Tensor x) =>
        dropout.forward(c_proj.forward(nn.functional.gelu(c_fc.forward(x), GELU.Approximate.tanh)));
}
