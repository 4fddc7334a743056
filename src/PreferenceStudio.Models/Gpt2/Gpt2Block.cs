using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>Pre-norm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)).</summary>
public sealed class Gpt2Block : nn.Module
{
    private readonly LayerNorm ln_1;
    private readonly Gpt2Attention attn;
    private readonly LayerNorm ln_2;
    private readonly Gpt2Mlp mlp;

    public Gpt2Block(Gpt2Config config, int layer, Device? device, ScalarType dtype) : base(nameof(Gpt2Block))
    {
        ArgumentNullException.ThrowIfNull(config);
        ln_1 = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon, device: device, dtype: dtype);
        attn = new Gpt2Attention(config, layer, device, dtype);
        ln_2 = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon, device: device, dtype: dtype);
        mlp = new Gpt2Mlp(config, device, dtype);
        RegisterComponents();
    }

    public Gpt2Attention Attn => attn;

    // (B, T, C) -> (B, T, C)
    public Tensor forward(Tensor x, Tensor? bias, KVCache? cache)
    {
        x = x + attn.forward(ln_1.forward(x), bias, cache);
        return x + mlp.forward(ln_2.forward(x));
    }
}
