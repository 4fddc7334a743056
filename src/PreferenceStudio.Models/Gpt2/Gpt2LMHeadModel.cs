using System.Text.Json.Nodes;
using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>The trunk: token and learned position embeddings, the blocks, the final layer norm ("transformer.*").</summary>
public sealed class Gpt2Model : Module
{
    private readonly Gpt2Config config;

    public Gpt2Model(Gpt2Config config, Device? device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        Wte = RegisterModule("wte", new Embedding(config.VocabSize, config.NEmbd, device, dtype, initStd: 0.02));
        Wpe = RegisterModule("wpe", new Embedding(config.NPositions, config.NEmbd, device, dtype, initStd: 0.01));
        H = RegisterModule("h", new ModuleList<Gpt2Block>(Enumerable.Range(0, config.NLayer).Select(i => new Gpt2Block(config, i, device, dtype))));
        LnF = RegisterModule("ln_f", new LayerNorm(config.NEmbd, config.LayerNormEpsilon, device: device, dtype: dtype));
    }

    public Embedding Wte { get; }
    public Embedding Wpe { get; }
    public ModuleList<Gpt2Block> H { get; }
    public LayerNorm LnF { get; }

    public Tensor Forward(Tensor inputIds, Tensor positionIds, Tensor? keepMask, KVCache? cache)
    {
        var x = Wte.Forward(inputIds) + Wpe.Forward(positionIds);      // (B, T, C)
        x = Functional.Dropout(x, config.EmbdPdrop, Training);
        foreach (var block in H.Items) x = block.Forward(x, keepMask, cache);
        return LnF.Forward(x);                                         // (B, T, C)
    }
}

/// <summary>GPT-2 with its language-model head (Hugging Face GPT2LMHeadModel, same tensor names).</summary>
public sealed class Gpt2LMHeadModel : CausalLM
{
    public Gpt2LMHeadModel(Gpt2Config config, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Transformer = RegisterModule("transformer", new Gpt2Model(config, device, dtype));
        if (!config.TieWordEmbeddings)
            LmHeadLayer = RegisterModule("lm_head", new Linear(config.NEmbd, config.VocabSize, bias: false, device, dtype));
    }

    public Gpt2Config Config { get; }

    public Gpt2Model Transformer { get; }

    /// <summary>Null when tied: the head is then wte's weight.</summary>
    public Linear? LmHeadLayer { get; }

    public override string ModelType => "gpt2";
    public override int NumLayers => Config.NLayer;
    public override long HiddenSize => Config.NEmbd;
    public override long VocabSize => Config.VocabSize;

    public override Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KVCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        positionIds ??= PositionIds(inputIds, attentionMask, cache?.Length ?? 0);
        return Transformer.Forward(inputIds, positionIds, AttentionKeepMask(attentionMask), cache);
    }

    // (B, T, C) -> (B, T, V)
    public override Tensor LmHead(Tensor hidden) => Functional.Linear(hidden, LmHeadLayer?.Weight ?? Transformer.Wte.Weight);

    public override JsonObject ToConfigJson() => Config.ToJson();

    // OpenAI's original checkpoints have no "transformer." prefix, and all carry the causal-mask buffers
    // attn.bias / attn.masked_bias, which this implementation computes instead of storing.
    protected override IReadOnlyDictionary<string, Tensor> RenameCheckpointKeys(Dictionary<string, Tensor> tensors)
    {
        var renamed = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, t) in tensors)
        {
            if (name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal)) continue;
            if (name == "lm_head.weight" && Config.TieWordEmbeddings) continue;
            var key = name.StartsWith("transformer.", StringComparison.Ordinal) || name.StartsWith("lm_head.", StringComparison.Ordinal) ? name : "transformer." + name;
            renamed[key] = t;
        }
        return renamed;
    }
}
