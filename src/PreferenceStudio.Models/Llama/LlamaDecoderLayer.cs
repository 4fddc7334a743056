using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models.Llama;

/// <summary>Pre-norm block with RMSNorm: x + attn(norm(x)), then x + mlp(norm(x)).</summary>
public sealed class LlamaDecoderLayer : Module
{
    public LlamaDecoderLayer(LlamaConfig config, int layer, Device? device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        SelfAttn = RegisterModule("self_attn", new LlamaAttention(config, layer, device, dtype));
        Mlp = RegisterModule("mlp", new LlamaMlp(config, device, dtype));
        InputLayernorm = RegisterModule("input_layernorm", new RMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype));
        PostAttentionLayernorm = RegisterModule("post_attention_layernorm", new RMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype));
    }

    public LlamaAttention SelfAttn { get; }
    public LlamaMlp Mlp { get; }
    public RMSNorm InputLayernorm { get; }
    public RMSNorm PostAttentionLayernorm { get; }

    // (B, T, C) -> (B, T, C)
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? keepMask, KVCache? cache)
    {
        x = x + SelfAttn.Forward(InputLayernorm.Forward(x), cos, sin, keepMask, cache);
        return x + Mlp.Forward(PostAttentionLayernorm.Forward(x));
    }
}
