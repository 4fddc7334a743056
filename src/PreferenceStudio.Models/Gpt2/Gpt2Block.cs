using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>Pre-norm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)).</summary>
public sealed class Gpt2Block : Module
{
    public Gpt2Block(Gpt2Config config, int layer, Device? device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        Ln1 = RegisterModule("ln_1", new LayerNorm(config.NEmbd, config.LayerNormEpsilon, device: device, dtype: dtype));
        Attn = RegisterModule("attn", new Gpt2Attention(config, layer, device, dtype));
        Ln2 = RegisterModule("ln_2", new LayerNorm(config.NEmbd, config.LayerNormEpsilon, device: device, dtype: dtype));
        Mlp = RegisterModule("mlp", new Gpt2Mlp(config, device, dtype));
    }

    public LayerNorm Ln1 { get; }
    public Gpt2Attention Attn { get; }
    public LayerNorm Ln2 { get; }
    public Gpt2Mlp Mlp { get; }

    // (B, T, C) -> (B, T, C)
    public Tensor Forward(Tensor x, Tensor? keepMask, KVCache? cache)
    {
        x = x + Attn.Forward(Ln1.Forward(x), keepMask, cache);
        return x + Mlp.Forward(Ln2.Forward(x));
    }
}
