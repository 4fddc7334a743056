using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Llama;

/// <summary>The trunk ("model.*"): token embeddings, decoder layers, final RMSNorm.</summary>
public sealed class LlamaModel : nn.Module
{
    private readonly LlamaConfig config;
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly LlamaRMSNorm norm;

    public LlamaModel(LlamaConfig config, Device? device, ScalarType dtype) : base(nameof(LlamaModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        using (NewDisposeScope())  // the weight getter hands out a new tensor wrapper: let the scope free it
        using (no_grad())
            embed_tokens.weight!.normal_(0, 0.02);
        layers = new ModuleList<LlamaDecoderLayer>([.. Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer(config, i, device, dtype))]);
        norm = new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        RegisterComponents();
    }

    public Embedding EmbedTokens => embed_tokens;

    public Tensor forward(Tensor inputIds, Tensor positionIds, Tensor? attentionMask, KVCache? cache)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var x = embed_tokens.forward(inputIds);                                                    // (B, T, C)
        var (cos, sin) = RotaryEmbedding.Tables(positionIds, config.HeadDim, config.RopeTheta, x.dtype, config.RopeScaling); // (B, 1, T, D)
        long t = inputIds.shape[1], tk = (cache?.Length ?? 0) + t;
        var bias = Attention.MaskBias(attentionMask, t, tk, x.dtype, x.device);                   // (B, 1, T, T_k), once for every layer
        foreach (var layer in layers) x = layer.forward(x, cos, sin, bias, cache);
        return norm.forward(x);                                                                   // (B, T, C)
    }
}

/// <summary>Llama / Qwen2 / Mistral-style decoder with its LM head (Hugging Face LlamaForCausalLM names).</summary>
public sealed class LlamaForCausalLM : CausalLM
{
    private readonly LlamaModel model;
    private readonly Linear? lm_head;  // null when tied (Qwen2-0.5B, Llama-3.2-1B): the head is then embed_tokens' weight

    public LlamaForCausalLM(LlamaConfig config, Device? device = null, ScalarType dtype = ScalarType.Float32) : base(nameof(LlamaForCausalLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        model = new LlamaModel(config, device, dtype);
        if (!config.TieWordEmbeddings)
            lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public LlamaConfig Config { get; }

    public LlamaModel Model => model;

    public override string ModelType => Config.ModelType;
    public override int NumLayers => Config.NumHiddenLayers;
    public override long HiddenSize => Config.HiddenSize;
    public override long VocabSize => Config.VocabSize;

    public override Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KVCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        positionIds ??= PositionIds(inputIds, attentionMask, cache?.Length ?? 0);
        return model.forward(inputIds, positionIds, attentionMask, cache);
    }

    // (B, T, C) -> (B, T, V)
    public override Tensor LmHead(Tensor hidden) => nn.functional.linear(hidden, (lm_head?.weight ?? model.EmbedTokens.weight)!);

    public override JsonObject ToConfigJson() => Config.ToJson();

    // Tied checkpoints sometimes still carry lm_head.weight (a copy of embed_tokens); rotary tables are never needed.
    protected override IReadOnlyDictionary<string, Tensor> RenameCheckpointKeys(Dictionary<string, Tensor> tensors) =>
        tensors.Where(kv => !(Config.TieWordEmbeddings && kv.Key == "lm_head.weight") && !kv.Key.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}
