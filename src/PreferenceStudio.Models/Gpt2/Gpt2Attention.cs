using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>Multi-head causal self-attention with one fused q, k, v projection (c_attn).</summary>
public sealed class Gpt2Attention : Module
{
    private readonly Gpt2Config config;
    private readonly int layer;

    public Gpt2Attention(Gpt2Config config, int layer, Device? device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        this.layer = layer;
        CAttn = RegisterModule("c_attn", new Conv1D(config.NEmbd, 3 * config.NEmbd, device, dtype));
        // GPT-2 scales residual projections by 1/sqrt(2 * n_layer) at init: each layer adds two to the residual stream.
        CProj = RegisterModule("c_proj", new Conv1D(config.NEmbd, config.NEmbd, device, dtype, 0.02 / Math.Sqrt(2 * config.NLayer)));
    }

    public Conv1D CAttn { get; }

    public Conv1D CProj { get; }

    public Tensor Forward(Tensor x, Tensor? keepMask, KVCache? cache)
    {
        var (b, t, c) = (x.Size(0), x.Size(1), config.NEmbd);
        long h = config.NHead, d = c / h;
        var qkv = CAttn.Forward(x);                                              // (B, T, 3C)
        var q = qkv.Narrow(2, 0, c).View(b, t, h, d).Transpose(1, 2);            // (B, H, T, D)
        var k = qkv.Narrow(2, c, c).View(b, t, h, d).Transpose(1, 2);            // (B, H, T, D)
        var v = qkv.Narrow(2, 2 * c, c).View(b, t, h, d).Transpose(1, 2);        // (B, H, T, D)
        if (cache is not null) (k, v) = cache.Update(layer, k, v);               // (B, H, T_past + T, D)
        var y = Functional.ScaledDotProductAttention(q, k, v, keepMask, isCausal: true, config.AttnPdrop, Training); // (B, H, T, D)
        y = y.Transpose(1, 2).Contiguous().View(b, t, c);                       // (B, T, C)
        return Functional.Dropout(CProj.Forward(y), config.ResidPdrop, Training);
    }
}
