using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Gpt2;

/// <summary>The trunk: token and learned position embeddings, the blocks, the final layer norm ("transformer.*").</summary>
public sealed class Gpt2Model : nn.Module
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly Dropout drop;
    private readonly ModuleList<Gpt2Block> h;
    private readonly LayerNorm ln_f;

    public Gpt2Model(Gpt2Config config, Device? device, ScalarType dtype) : base(nameof(Gpt2Model))
    {
        ArgumentNullException.ThrowIfNull(config);
        wte = nn.Embedding(config.VocabSize, config.NEmbd, device: device, dtype: dtype);
        wpe = nn.Embedding(config.NPositions, config.NEmbd, device: device, dtype: dtype);
        // The weight getters hand out new tensor wrappers: let a scope free them.
        using (NewDisposeScope())
        using (no_grad())
        {
            wte.weight!.normal_(0, 0.02);
            wpe.weight!.normal_(0, 0.01);
        }
        drop = nn.Dropout(config.EmbdPdrop);
        h = new ModuleList<Gpt2Block>([.. Enumerable.Range(0, config.NLayer).Select(i => new Gpt2Block(config, i, device, dtype))]);
        ln_f = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon, device: device, dtype: dtype);
        RegisterComponents();
    }

    public Embedding Wte => wte;

    public ModuleList<Gpt2Block> H => h;

    public Tensor forward(Tensor inputIds, Tensor positionIds, Tensor? attentionMask, KVCache? cache)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var x = drop.forward(wte.forward(inputIds) + wpe.forward(positionIds));  // (B, T, C)
        long t = inputIds.shape[1], tk = (cache?.Length ?? 0) + t;
        var bias = Attention.MaskBias(attentionMask, t, tk, x.dtype, x.device);  // (B, 1, T, T_k), once for every block
        foreach (var block in h) x = block.forward(x, bias, cache);
        return ln_f.forward(x);                                                 // (B, T, C)
    }
}

/// <summary>GPT-2 with its language-model head (Hugging Face GPT2LMHeadModel, same tensor names).</summary>
public sealed class Gpt2LMHeadModel : CausalLM
{
    private readonly Gpt2Model transformer;
    private readonly Linear? lm_head;  // null when tied: the head is then wte's weight

    public Gpt2LMHeadModel(Gpt2Config config, Device? device = null, ScalarType dtype = ScalarType.Float32) : base(nameof(Gpt2LMHeadModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        transformer = new Gpt2Model(config, device, dtype);
        if (!config.TieWordEmbeddings)
            lm_head = nn.Linear(config.NEmbd, config.VocabSize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public Gpt2Config Config { get; }

    public Gpt2Model Transformer => transformer;

    public override string ModelType => "gpt2";
    public override int NumLayers => Config.NLayer;
    public override long HiddenSize => Config.NEmbd;
    public override long VocabSize => Config.VocabSize;

    public override Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KVCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        positionIds ??= PositionIds(inputIds, attentionMask, cache?.Length ?? 0);
        return transformer.forward(inputIds, positionIds, attentionMask, cache);
    }

    // (B, T, C) -> (B, T, V)
    public override Tensor LmHead(Tensor hidden) => nn.functional.linear(hidden, (lm_head?.weight ?? transformer.Wte.weight)!);

    public override JsonObject ToConfigJson() => Config.ToJson();

    // OpenAI's original checkpoints have no "transformer." prefix, and all carry the causal-mask buffers
    // attn.bias / attn.masked_bias, which this implementation computes instead of storing.
    protected override IReadOnlyDictionary<string, Tensor> RenameCheckpointKeys(Dictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
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
