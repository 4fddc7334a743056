using System.Text.Json.Nodes;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>Hugging Face GPT2Config; the defaults are GPT-2 small (124M).</summary>
public sealed record Gpt2Config
{
    public long VocabSize { get; init; } = 50257;       // 50,000 BPE merges + 256 bytes + <|endoftext|>
    public long NPositions { get; init; } = 1024;       // longest context
    public long NEmbd { get; init; } = 768;             // C
    public int NLayer { get; init; } = 12;
    public int NHead { get; init; } = 12;               // head size C / H = 64
    public long? NInner { get; init; }                  // MLP width; null means 4 * C
    public double LayerNormEpsilon { get; init; } = 1e-5;
    public double ResidPdrop { get; init; } = 0.1;
    public double EmbdPdrop { get; init; } = 0.1;
    public double AttnPdrop { get; init; } = 0.1;
    public bool TieWordEmbeddings { get; init; } = true; // lm_head shares wte's weight
    public long BosTokenId { get; init; } = 50256;
    public long EosTokenId { get; init; } = 50256;

    /// <summary>How attention is computed (not part of config.json, as attn_implementation is not).</summary>
    public AttentionImplementation Attention { get; init; }

    public long InnerSize => NInner ?? 4 * NEmbd;

    public static Gpt2Config FromJson(JsonObject c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var d = new Gpt2Config();
        var activation = c["activation_function"]?.GetValue<string>() ?? "gelu_new";
        if (activation is not ("gelu_new" or "gelu_pytorch_tanh"))
            throw new NotSupportedException($"GPT-2 activation_function '{activation}' is not supported (gelu_new)");
        return new Gpt2Config
        {
            VocabSize = c["vocab_size"]?.GetValue<long>() ?? d.VocabSize,
            NPositions = c["n_positions"]?.GetValue<long>() ?? d.NPositions,
            NEmbd = c["n_embd"]?.GetValue<long>() ?? d.NEmbd,
            NLayer = c["n_layer"]?.GetValue<int>() ?? d.NLayer,
            NHead = c["n_head"]?.GetValue<int>() ?? d.NHead,
            NInner = c["n_inner"]?.GetValue<long?>(),
            LayerNormEpsilon = c["layer_norm_epsilon"]?.GetValue<double>() ?? d.LayerNormEpsilon,
            ResidPdrop = c["resid_pdrop"]?.GetValue<double>() ?? d.ResidPdrop,
            EmbdPdrop = c["embd_pdrop"]?.GetValue<double>() ?? d.EmbdPdrop,
            AttnPdrop = c["attn_pdrop"]?.GetValue<double>() ?? d.AttnPdrop,
            TieWordEmbeddings = c["tie_word_embeddings"]?.GetValue<bool>() ?? d.TieWordEmbeddings,
            BosTokenId = c["bos_token_id"]?.GetValue<long>() ?? d.BosTokenId,
            EosTokenId = c["eos_token_id"]?.GetValue<long>() ?? d.EosTokenId,
        };
    }

    public JsonObject ToJson() => new()
    {
        ["architectures"] = new JsonArray("GPT2LMHeadModel"),
        ["model_type"] = "gpt2",
        ["vocab_size"] = VocabSize,
        ["n_positions"] = NPositions,
        ["n_ctx"] = NPositions,
        ["n_embd"] = NEmbd,
        ["n_layer"] = NLayer,
        ["n_head"] = NHead,
        ["n_inner"] = NInner,
        ["activation_function"] = "gelu_new",
        ["layer_norm_epsilon"] = LayerNormEpsilon,
        ["resid_pdrop"] = ResidPdrop,
        ["embd_pdrop"] = EmbdPdrop,
        ["attn_pdrop"] = AttnPdrop,
        ["tie_word_embeddings"] = TieWordEmbeddings,
        ["bos_token_id"] = BosTokenId,
        ["eos_token_id"] = EosTokenId,
        ["torch_dtype"] = "float32",
    };
}
