using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models.Llama;

/// <summary>Causal self-attention with rotary positions and grouped-query attention (H_kv key/value heads
/// shared by H / H_kv query heads each).</summary>
public sealed class LlamaAttention : Module
{
    private readonly LlamaConfig config;
    private readonly int layer;

    public LlamaAttention(LlamaConfig config, int layer, Device? device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        this.layer = layer;
        long c = config.HiddenSize, h = config.NumAttentionHeads, hkv = config.NumKeyValueHeads, d = config.HeadDim;
        QProj = RegisterModule("q_proj", new Linear(c, h * d, config.QkvBias, device, dtype));
        KProj = RegisterModule("k_proj", new Linear(c, hkv * d, config.QkvBias, device, dtype));
        VProj = RegisterModule("v_proj", new Linear(c, hkv * d, config.QkvBias, device, dtype));
        OProj = RegisterModule("o_proj", new Linear(h * d, c, config.OutputBias, device, dtype));
    }

    public Linear QProj { get; }
    public Linear KProj { get; }
    public Linear VProj { get; }
    public Linear OProj { get; }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? keepMask, KVCache? cache)
    {
        var (b, t) = (x.Size(0), x.Size(1));
        long h = config.NumAttentionHeads, hkv = config.NumKeyValueHeads, d = config.HeadDim;
        var q = QProj.Forward(x).View(b, t, h, d).Transpose(1, 2);        // (B, H, T, D)
        var k = KProj.Forward(x).View(b, t, hkv, d).Transpose(1, 2);      // (B, H_kv, T, D)
        var v = VProj.Forward(x).View(b, t, hkv, d).Transpose(1, 2);      // (B, H_kv, T, D)
        q = Functional.ApplyRotary(q, cos, sin);
        k = Functional.ApplyRotary(k, cos, sin);
        if (cache is not null) (k, v) = cache.Update(layer, k, v);        // (B, H_kv, T_all, D)
        k = RepeatKv(k, h / hkv);                                         // (B, H, T_all, D)
        v = RepeatKv(v, h / hkv);
        var y = Functional.ScaledDotProductAttention(q, k, v, keepMask, isCausal: true, config.AttentionDropout, Training);
        return OProj.Forward(y.Transpose(1, 2).Contiguous().View(b, t, h * d)); // (B, T, C)
    }

    // (B, H_kv, T, D) -> (B, H_kv * n, T, D): each key/value head serves n query heads.
    private static Tensor RepeatKv(Tensor x, long n)
    {
        if (n == 1) return x;
        var (b, hkv, t, d) = (x.Size(0), x.Size(1), x.Size(2), x.Size(3));
        return x.Unsqueeze(2).Expand(b, hkv, n, t, d).Reshape(b, hkv * n, t, d);
    }
}
