using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Llama;

/// <summary>Causal self-attention with rotary positions and grouped-query attention (H_kv key/value heads
/// shared by H / H_kv query heads each).</summary>
public sealed class LlamaAttention : nn.Module
{
    private readonly LlamaConfig config;
    private readonly int layer;
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly Dropout attention_dropout;

    public LlamaAttention(LlamaConfig config, int layer, Device? device, ScalarType dtype) : base(nameof(LlamaAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        this.layer = layer;
        long c = config.HiddenSize, h = config.NumAttentionHeads, hkv = config.NumKeyValueHeads, d = config.HeadDim;
        q_proj = nn.Linear(c, h * d, config.QkvBias, device, dtype);
        k_proj = nn.Linear(c, hkv * d, config.QkvBias, device, dtype);
        v_proj = nn.Linear(c, hkv * d, config.QkvBias, device, dtype);
        o_proj = nn.Linear(h * d, c, config.OutputBias, device, dtype);
        attention_dropout = nn.Dropout(config.AttentionDropout);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? bias, KVCache? cache)
    {
        ArgumentNullException.ThrowIfNull(x);
        var (b, t) = (x.shape[0], x.shape[1]);
        long h = config.NumAttentionHeads, hkv = config.NumKeyValueHeads, d = config.HeadDim;
        var q = q_proj.forward(x).view(b, t, h, d).transpose(1, 2);        // (B, H, T, D)
        var k = k_proj.forward(x).view(b, t, hkv, d).transpose(1, 2);      // (B, H_kv, T, D)
        var v = v_proj.forward(x).view(b, t, hkv, d).transpose(1, 2);      // (B, H_kv, T, D)
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Update(layer, k, v);        // (B, H_kv, T_all, D)
        k = RepeatKv(k, h / hkv);                                         // (B, H, T_all, D)
        v = RepeatKv(v, h / hkv);
        var dropout = training ? attention_dropout.p : 0;
        var y = Attention.CausalSelfAttention(q, k, v, bias, dropout, config.Attention); // (B, H, T, D)
        return o_proj.forward(y.transpose(1, 2).contiguous().view(b, t, h * d));             // (B, T, C)
    }

    // (B, H_kv, T, D) -> (B, H_kv * n, T, D): each key/value head serves n query heads (transformers' repeat_kv).
    private static Tensor RepeatKv(Tensor x, long n)
    {
        if (n == 1) return x;
        var (b, hkv, t, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        return x.unsqueeze(2).expand(b, hkv, n, t, d).reshape(b, hkv * n, t, d);
    }
}
