using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>Multi-head causal self-attention with one fused q, k, v projection (c_attn).</summary>
public sealed class Gpt2Attention : nn.Module
{
    private readonly Gpt2Config config;
    private readonly int layer;
    private readonly Conv1D c_attn;
    private readonly Conv1D c_proj;
    private readonly Dropout attn_dropout;
    private readonly Dropout resid_dropout;

    public Gpt2Attention(Gpt2Config config, int layer, Device? device, ScalarType dtype) : base(nameof(Gpt2Attention))
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        this.layer = layer;
        c_attn = new Conv1D(config.NEmbd, 3 * config.NEmbd, device, dtype);
        // GPT-2 scales residual projections by 1/sqrt(2 * n_layer) at init: each layer adds two to the residual stream.
        c_proj = new Conv1D(config.NEmbd, config.NEmbd, device, dtype, 0.02 / Math.Sqrt(2 * config.NLayer));
        attn_dropout = nn.Dropout(config.AttnPdrop);
        resid_dropout = nn.Dropout(config.ResidPdrop);
        RegisterComponents();
    }

    public Conv1D CAttn => c_attn;

    public Conv1D CProj => c_proj;

    public Tensor forward(Tensor x, Tensor? bias, KVCache? cache)
    {
        ArgumentNullException.ThrowIfNull(x);
        var (b, t, c) = (x.shape[0], x.shape[1], config.NEmbd);
        long h = config.NHead, d = c / h;
        var qkv = c_attn.forward(x).split(c, dim: 2);                           // 3 × (B, T, C)
        var q = qkv[0].view(b, t, h, d).transpose(1, 2);                         // (B, H, T, D)
        var k = qkv[1].view(b, t, h, d).transpose(1, 2);                         // (B, H, T, D)
        var v = qkv[2].view(b, t, h, d).transpose(1, 2);                         // (B, H, T, D)
        if (cache is not null) (k, v) = cache.Update(layer, k, v);               // (B, H, T_past + T, D)
        var dropout = training ? attn_dropout.p : 0;
        var y = Attention.CausalSelfAttention(q, k, v, bias, dropout, config.Attention); // (B, H, T, D)
        y = y.transpose(1, 2).contiguous().view(b, t, c);                       // (B, T, C)
        return resid_dropout.forward(c_proj.forward(y));
    }
}
