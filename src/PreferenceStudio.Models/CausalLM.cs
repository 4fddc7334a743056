using System.Text.Json.Nodes;
using PreferenceStudio.Models.Checkpoints;
using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Models;

/// <summary>
/// A decoder-only language model whose parameter names are the Hugging Face ones, so a checkpoint folder loads
/// by name. Inputs: token ids (B, T); optionally an attention mask (B, T_past + T), 1 for real tokens and 0 for
/// (left) padding; position ids (B, T); a <see cref="KVCache"/> that is read and extended.
/// </summary>
public abstract class CausalLM : nn.Module<Tensor, Tensor>
{
    protected CausalLM(string name) : base(name)
    {
    }

    public abstract string ModelType { get; }

    public abstract int NumLayers { get; }

    public abstract long HiddenSize { get; }

    public abstract long VocabSize { get; }

    /// <summary>The device of the parameters, where inputs must be made.</summary>
    public Device Device
    {
        get
        {
            using var scope = NewDisposeScope();
            return parameters().First().device;
        }
    }

    /// <summary>Final hidden states (B, T, C), after the last norm: what the LM head and scalar heads read.</summary>
    public abstract Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KVCache? cache = null);

    /// <summary>(B, T, C) → logits (B, T, V).</summary>
    public abstract Tensor LmHead(Tensor hidden);

    /// <summary>Logits (B, T, V).</summary>
    public override Tensor forward(Tensor inputIds) => forward(inputIds, null);

    /// <summary>Logits (B, T, V).</summary>
    public Tensor forward(Tensor inputIds, Tensor? attentionMask, Tensor? positionIds = null, KVCache? cache = null) =>
        LmHead(ForwardHidden(inputIds, attentionMask, positionIds, cache));

    /// <summary>The config.json this model was made from (and writes back).</summary>
    public abstract JsonObject ToConfigJson();

    /// <summary>An empty cache; <paramref name="capacity"/> positions (prompt + new tokens) are made room for at once.</summary>
    public KVCache NewCache(long capacity = 0) => new(NumLayers, capacity);

    /// <summary>
    /// Sets every dropout probability to 0, as TRL's trainers do by default (disable_dropout): a preference or RL
    /// loss compares log-probabilities of two forward passes, and dropout noise would stand in the comparison.
    /// </summary>
    public void DisableDropout()
    {
        foreach (var module in modules())
            if (module is Dropout dropout) dropout.p = 0;
    }

    /// <summary>Next-token cross-entropy: logits at t predict ids at t + 1; targets equal to -100 are ignored.</summary>
    public Tensor LanguageModelingLoss(Tensor inputIds, Tensor? labels = null, Tensor? attentionMask = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var logits = forward(inputIds, attentionMask);                         // (B, T, V)
        var t = inputIds.shape[1];
        var predictions = logits.narrow(1, 0, t - 1).reshape(-1, VocabSize); // (B*(T-1), V)
        var targets = (labels ?? inputIds).narrow(1, 1, t - 1).reshape(-1);  // (B*(T-1))
        return nn.functional.cross_entropy(predictions, targets, ignore_index: -100);
    }

    /// <summary>
    /// log p(x_t | x_&lt;t) of every token after the first: (B, T - 1), the quantity DPO and PPO sum over a response.
    /// Padding positions get whatever the model says; mask them with attentionMask[:, 1:].
    /// </summary>
    public Tensor TokenLogProbs(Tensor inputIds, Tensor? attentionMask = null, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var t = inputIds.shape[1];
        var logits = forward(inputIds, attentionMask).narrow(1, 0, t - 1);   // (B, T-1, V), predicting tokens 1..T-1
        if (temperature != 1.0) logits = logits / temperature;
        var targets = inputIds.narrow(1, 1, t - 1).unsqueeze(-1);             // (B, T-1, 1)
        return logits.to(ScalarType.Float32).log_softmax(-1).gather(2, targets).squeeze(-1); // (B, T-1)
    }

    /// <summary>Parameters by their Hugging Face names, each tensor once (a tied weight under its first name).</summary>
    public Dictionary<string, Tensor> StateDict() =>
        state_dict().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Writes config.json and model.safetensors (sharded past <paramref name="maxShardBytes"/>).</summary>
    public void SavePretrained(string folder, long maxShardBytes = 5L << 30)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, CheckpointFolder.ConfigFile),
            ToConfigJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        CheckpointFolder.SaveTensors(folder, StateDict(), maxShardBytes);
    }

    /// <summary>
    /// Builds the architecture named by config.json's model_type and loads its weights. The model comes back in
    /// eval mode, as Hugging Face's from_pretrained returns it: a trainer switches to training mode itself.
    /// </summary>
    public static CausalLM FromPretrained(string folder, Device? device = null, ScalarType dtype = ScalarType.Float32,
        AttentionImplementation attention = AttentionImplementation.Sdpa)
    {
        var config = CheckpointFolder.ReadConfig(folder);
        var modelType = config["model_type"]?.GetValue<string>() ?? "";
        CausalLM model = modelType switch
        {
            "gpt2" => new Gpt2LMHeadModel(Gpt2Config.FromJson(config) with { Attention = attention }, device, dtype),
            "llama" or "qwen2" or "mistral" => new LlamaForCausalLM(LlamaConfig.FromJson(config) with { Attention = attention }, device, dtype),
            _ => throw new NotSupportedException($"model_type '{modelType}' in {folder} is not supported (gpt2, llama, qwen2, mistral)"),
        };
        try
        {
            model.LoadWeights(folder);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>
    /// Copies a checkpoint folder's weights into this model, in place (an optimizer holding the parameters keeps
    /// working). Every tensor of the model must be in the folder and every tensor of the folder in the model; a
    /// mismatch names them. One file at a time, so a sharded checkpoint never sits in memory twice.
    /// </summary>
    public void LoadWeights(string folder)
    {
        var own = StateDict();
        var device = Device;
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        foreach (var file in CheckpointFolder.WeightFiles(folder))
        {
            var tensors = SafeTensors.Load(file, device);
            try
            {
                using var noGrad = no_grad();
                foreach (var (name, source) in RenameCheckpointKeys(tensors))
                {
                    if (!own.TryGetValue(name, out var target))
                    {
                        unexpected.Add(name);
                        continue;
                    }
                    if (!target.shape.SequenceEqual(source.shape))
                        throw new InvalidDataException(
                            $"checkpoint {folder}: '{name}' has shape [{string.Join(", ", source.shape)}], the {ModelType} config wants [{string.Join(", ", target.shape)}]");
                    target.copy_(source);  // casts to the model's dtype
                    loaded.Add(name);
                }
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
        }
        var missing = own.Keys.Where(k => !loaded.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException(
                $"checkpoint {folder} does not match its {ModelType} config: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
    }

    /// <summary>Maps names as found in checkpoints to this module's names (drops non-parameter buffers).</summary>
    protected virtual IReadOnlyDictionary<string, Tensor> RenameCheckpointKeys(Dictionary<string, Tensor> tensors) => tensors;

    /// <summary>
    /// Positions of the new tokens: with a padding mask, the count of real tokens before each one (so left padding
    /// does not shift positions); without, past_length + 0..T-1.  (B, T) int64.
    /// </summary>
    protected static Tensor PositionIds(Tensor inputIds, Tensor? attentionMask, long pastLength)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var t = inputIds.shape[1];
        if (attentionMask is null)
            return arange(pastLength, pastLength + t, 1, ScalarType.Int64, inputIds.device).unsqueeze(0).expand(inputIds.shape[0], t);
        var positions = (attentionMask.to(ScalarType.Int64).cumsum(1) - 1).clamp(min: 0); // (B, T_past + T)
        return positions.narrow(1, attentionMask.shape[1] - t, t);
    }
}
