using System.Text.Json.Nodes;
using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models.Llama;

/// <summary>The trunk ("model.*"): token embeddings, decoder layers, final RMSNorm.</summary>
public sealed class LlamaModel : Module
{
    private readonly LlamaConfig config;

    public LlamaModel(LlamaConfig config, Device? device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        EmbedTokens = RegisterModule("embed_tokens", new Embedding(config.VocabSize, config.HiddenSize, device, dtype, initStd: 0.02));
        Layers = RegisterModule("layers", new ModuleList<LlamaDecoderLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer(config, i, device, dtype))));
        Norm = RegisterModule("norm", new RMSNorm(config.HiddenSize, config.RmsNormEps, device, dtype));
    }

    public Embedding EmbedTokens { get; }
    public ModuleList<LlamaDecoderLayer> Layers { get; }
    public RMSNorm Norm { get; }

    public Tensor Forward(Tensor inputIds, Tensor positionIds, Tensor? keepMask, KVCache? cache)
    {
        var x = EmbedTokens.Forward(inputIds);                                                     // (B, T, C)
        var (cos, sin) = RotaryEmbedding.Tables(positionIds, config.HeadDim, config.RopeTheta, x.DType, config.RopeScaling); // (B, 1, T, D)
        foreach (var layer in Layers.Items) x = layer.Forward(x, cos, sin, keepMask, cache);
        return Norm.Forward(x);                                                                    // (B, T, C)
    }
}

/// <summary>Llama / Qwen2 / Mistral-style decoder with its LM head (Hugging Face LlamaForCausalLM names).</summary>
public sealed class LlamaForCausalLM : CausalLM
{
    public LlamaForCausalLM(LlamaConfig config, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Model = RegisterModule("model", new LlamaModel(config, device, dtype));
        if (!config.TieWordEmbeddings)
            LmHeadLayer = RegisterModule("lm_head", new Linear(config.HiddenSize, config.VocabSize, bias: false, device, dtype));
    }

    public LlamaConfig Config { get; }

    public LlamaModel Model { get; }

    /// <summary>Null when tied (Qwen2-0.5B, Llama-3.2-1B): the head is then embed_tokens' weight.</summary>
    public Linear? LmHeadLayer { get; }

    public override string ModelType => Config.ModelType;
    public override int NumLayers => Config.NumHiddenLayers;
    public override long HiddenSize => Config.HiddenSize;
    public override long VocabSize => Config.VocabSize;

    public override Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KVCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        positionIds ??= PositionIds(inputIds, attentionMask, cache?.Length ?? 0);
        return Model.Forward(inputIds, positionIds, AttentionKeepMask(attentionMask), cache);
    }

    // (B, T, C) -> (B, T, V)
    public override Tensor LmHead(Tensor hidden) => Functional.Linear(hidden, LmHeadLayer?.Weight ?? Model.EmbedTokens.Weight);

    public override JsonObject ToConfigJson() => Config.ToJson();

    // Tied checkpoints sometimes still carry lm_head.weight (a copy of embed_tokens); rotary tables are never needed.
    protected override IReadOnlyDictionary<string, Tensor> RenameCheckpointKeys(Dictionary<string, Tensor> tensors) =>
        tensors.Where(kv => !(Config.TieWordEmbeddings && kv.Key == "lm_head.weight") && !kv.Key.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}
