using System.Text.Json.Nodes;

namespace PreferenceStudio.Models.Llama;

/// <summary>Hugging Face LlamaConfig / Qwen2Config (the fields both use); defaults are Llama-2-7B's.</summary>
public sealed record LlamaConfig
{
    public string ModelType { get; init; } = "llama";    // "llama" or "qwen2" (which adds q, k, v biases)
    public long VocabSize { get; init; } = 32000;
    public long HiddenSize { get; init; } = 4096;        // C
    public long IntermediateSize { get; init; } = 11008; // SwiGLU width
    public int NumHiddenLayers { get; init; } = 32;
    public int NumAttentionHeads { get; init; } = 32;    // H
    public int NumKeyValueHeads { get; init; } = 32;     // H_kv < H is grouped-query attention
    public long? HeadDimOverride { get; init; }          // "head_dim"; null means C / H
    public long MaxPositionEmbeddings { get; init; } = 4096;
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;    // rotary base frequency
    public bool AttentionBias { get; init; }             // q, k, v (and o for llama) biases
    public double AttentionDropout { get; init; }
    public bool TieWordEmbeddings { get; init; }
    public RopeScaling? RopeScaling { get; init; }       // null: plain RoPE
    public long BosTokenId { get; init; } = 1;
    public long EosTokenId { get; init; } = 2;

    /// <summary>How attention is computed (not part of config.json, as attn_implementation is not).</summary>
    public AttentionImplementation Attention { get; init; }

    public long HeadDim => HeadDimOverride ?? HiddenSize / NumAttentionHeads;

    /// <summary>Qwen2 always has q, k, v biases and no o_proj bias; Llama has attention_bias for all four.</summary>
    public bool QkvBias => ModelType == "qwen2" || AttentionBias;

    public bool OutputBias => ModelType != "qwen2" && AttentionBias;

    public static LlamaConfig FromJson(JsonObject c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var d = new LlamaConfig();
        var activation = c["hidden_act"]?.GetValue<string>() ?? "silu";
        if (activation != "silu") throw new NotSupportedException($"hidden_act '{activation}' is not supported (silu)");
        var heads = c["num_attention_heads"]?.GetValue<int>() ?? d.NumAttentionHeads;
        return new LlamaConfig
        {
            ModelType = c["model_type"]?.GetValue<string>() ?? d.ModelType,
            VocabSize = c["vocab_size"]?.GetValue<long>() ?? d.VocabSize,
            HiddenSize = c["hidden_size"]?.GetValue<long>() ?? d.HiddenSize,
            IntermediateSize = c["intermediate_size"]?.GetValue<long>() ?? d.IntermediateSize,
            NumHiddenLayers = c["num_hidden_layers"]?.GetValue<int>() ?? d.NumHiddenLayers,
            NumAttentionHeads = heads,
            NumKeyValueHeads = c["num_key_value_heads"]?.GetValue<int>() ?? heads,
            HeadDimOverride = c["head_dim"]?.GetValue<long?>(),
            MaxPositionEmbeddings = c["max_position_embeddings"]?.GetValue<long>() ?? d.MaxPositionEmbeddings,
            RmsNormEps = c["rms_norm_eps"]?.GetValue<double>() ?? d.RmsNormEps,
            RopeTheta = c["rope_theta"]?.GetValue<double>() ?? d.RopeTheta,
            RopeScaling = c["rope_scaling"] is JsonObject scaling ? RopeScaling.FromJson(scaling) : null,
            AttentionBias = c["attention_bias"]?.GetValue<bool>() ?? false,
            AttentionDropout = c["attention_dropout"]?.GetValue<double>() ?? 0,
            TieWordEmbeddings = c["tie_word_embeddings"]?.GetValue<bool>() ?? false,
            BosTokenId = c["bos_token_id"]?.GetValue<long?>() ?? d.BosTokenId,
            EosTokenId = c["eos_token_id"] is JsonArray eos ? eos[0]!.GetValue<long>() : c["eos_token_id"]?.GetValue<long?>() ?? d.EosTokenId,
        };
    }

    public JsonObject ToJson() => new()
    {
        ["architectures"] = new JsonArray(ModelType == "qwen2" ? "Qwen2ForCausalLM" : "LlamaForCausalLM"),
        ["model_type"] = ModelType,
        ["vocab_size"] = VocabSize,
        ["hidden_size"] = HiddenSize,
        ["intermediate_size"] = IntermediateSize,
        ["num_hidden_layers"] = NumHiddenLayers,
        ["num_attention_heads"] = NumAttentionHeads,
        ["num_key_value_heads"] = NumKeyValueHeads,
        ["head_dim"] = HeadDim,
        ["max_position_embeddings"] = MaxPositionEmbeddings,
        ["rms_norm_eps"] = RmsNormEps,
        ["rope_theta"] = RopeTheta,
        ["rope_scaling"] = RopeScaling?.ToJson(),
        ["attention_bias"] = AttentionBias,
        ["attention_dropout"] = AttentionDropout,
        ["hidden_act"] = "silu",
        ["tie_word_embeddings"] = TieWordEmbeddings,
        ["bos_token_id"] = BosTokenId,
        ["eos_token_id"] = EosTokenId,
        ["torch_dtype"] = "float32",
    };
}

/// <summary>
/// config.json's rope_scaling: "linear" (positions divided by the factor) or "llama3" (Llama 3.1 / 3.2: long
/// wavelengths slowed by the factor, short ones kept, a smooth blend between).
/// </summary>
public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor = 1, double HighFreqFactor = 4,
    long OriginalMaxPositionEmbeddings = 8192)
{
    public static RopeScaling FromJson(JsonObject s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var type = (s["rope_type"] ?? s["type"])?.GetValue<string>() ?? "default";
        if (type is not ("linear" or "llama3"))
            throw new NotSupportedException($"rope_scaling type '{type}' is not supported (linear, llama3)");
        return new RopeScaling(type, s["factor"]?.GetValue<double>() ?? 1,
            s["low_freq_factor"]?.GetValue<double>() ?? 1, s["high_freq_factor"]?.GetValue<double>() ?? 4,
            s["original_max_position_embeddings"]?.GetValue<long>() ?? 8192);
    }

    public JsonObject ToJson() => new()
    {
        ["rope_type"] = Type, ["factor"] = Factor, ["low_freq_factor"] = LowFreqFactor,
        ["high_freq_factor"] = HighFreqFactor, ["original_max_position_embeddings"] = OriginalMaxPositionEmbeddings,
    };

    /// <summary>Rescales the inverse frequencies theta^(-2i/D) as transformers' _compute_llama3_parameters does.</summary>
    public double[] Apply(double[] invFreq)
    {
        ArgumentNullException.ThrowIfNull(invFreq);
        if (Type == "linear") return invFreq.Select(f => f / Factor).ToArray();
        var lowFreqWavelen = OriginalMaxPositionEmbeddings / LowFreqFactor;
        var highFreqWavelen = OriginalMaxPositionEmbeddings / HighFreqFactor;
        return invFreq.Select(f =>
        {
            var wavelen = 2 * Math.PI / f;
            if (wavelen < highFreqWavelen) return f;
            if (wavelen > lowFreqWavelen) return f / Factor;
            var smooth = (OriginalMaxPositionEmbeddings / wavelen - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
            return (1 - smooth) * f / Factor + smooth * f;
        }).ToArray();
    }
}
