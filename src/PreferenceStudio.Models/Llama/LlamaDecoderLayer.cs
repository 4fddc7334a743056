using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Llama;

/// <summary>Pre-norm block with RMSNorm: x + attn(norm(x)), then x + mlp(norm(x)).</summary>
public sealed class LlamaDecoderLayer : nn.Module
{
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    private readonly LlamaRMSNorm input_layernorm;
    private readonly LlamaRMSNorm post_attention_layernorm;

    public LlamaDecoderLayer(LlamaConfig config, int layer, Device? device, ScalarType dtype) : base(nameof(LlamaDecoderLayer))
    {
        ArgumentNullException.ThrowIfNull(config);
        self_attn = new LlamaAttention(config, layer, device, dtype);
        mlp = new LlamaMlp(config, device, dtype);
        input_layernorm = new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        post_attention_layernorm = new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        RegisterComponents();
    }

    // (B, T, C) -> (B, T, C)
    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? bias, KVCache? cache)
    {
        x = x + self_attn.forward(input_layernorm.forward(x), cos, sin, bias, cache);
        return x + mlp.forward(post_attention_layernorm.forward(x));
    }
}
