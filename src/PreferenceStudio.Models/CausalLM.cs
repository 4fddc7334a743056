using System.Text.Json.Nodes;
using PreferenceStudio.Models.Checkpoints;
using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;
using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;
using PreferenceStudio.Torch.Serialization;

namespace PreferenceStudio.Models;

/// <summary>
/// A decoder-only language model whose parameter names are the Hugging Face ones, so a checkpoint folder loads
/// by name. Inputs: token ids (B, T); optionally an attention mask (B, T_past + T), 1 for real tokens and 0 for
/// (left) padding; position ids (B, T); a <see cref="KVCache"/> that is read and extended.
/// </summary>
public abstract class CausalLM : Module
{
    public abstract string ModelType { get; }

    public abstract int NumLayers { get; }

    public abstract long HiddenSize { get; }

    public abstract long VocabSize { get; }

    /// <summary>Final hidden states (B, T, C), after the last norm: what the LM head and scalar heads read.</summary>
    public abstract Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KVCache? cache = null);

    /// <summary>(B, T, C) → logits (B, T, V).</summary>
    public abstract Tensor LmHead(Tensor hidden);

    /// <summary>Logits (B, T, V).</summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KVCache? cache = null) =>
        LmHead(ForwardHidden(inputIds, attentionMask, positionIds, cache));

    /// <summary>The config.json this model was made from (and writes back).</summary>
    public abstract JsonObject ToConfigJson();

    public KVCache NewCache() => new(NumLayers);

    /// <summary>Next-token cross-entropy: logits at t predict ids at t + 1; targets equal to -100 are ignored.</summary>
    public Tensor LanguageModelingLoss(Tensor inputIds, Tensor? labels = null, Tensor? attentionMask = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var logits = Forward(inputIds, attentionMask);                         // (B, T, V)
        var t = inputIds.Size(1);
        var predictions = logits.Narrow(1, 0, t - 1).Reshape(-1, VocabSize); // (B*(T-1), V)
        var targets = (labels ?? inputIds).Narrow(1, 1, t - 1).Reshape(-1);  // (B*(T-1))
        return Functional.CrossEntropy(predictions, targets);
    }

    /// <summary>
    /// log p(x_t | x_&lt;t) of every token after the first: (B, T - 1), the quantity DPO and PPO sum over a response.
    /// Padding positions get whatever the model says; mask them with attentionMask[:, 1:].
    /// </summary>
    public Tensor TokenLogProbs(Tensor inputIds, Tensor? attentionMask = null, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var t = inputIds.Size(1);
        var logits = Forward(inputIds, attentionMask).Narrow(1, 0, t - 1);   // (B, T-1, V), predicting tokens 1..T-1
        if (temperature != 1.0) logits = logits / temperature;
        var targets = inputIds.Narrow(1, 1, t - 1).Unsqueeze(-1);             // (B, T-1, 1)
        return logits.To(ScalarType.Float32).LogSoftmax(-1).Gather(2, targets).Squeeze(-1); // (B, T-1)
    }

    /// <summary>Writes config.json and model.safetensors (sharded past <paramref name="maxShardBytes"/>).</summary>
    public void SavePretrained(string folder, long maxShardBytes = 5L << 30)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, CheckpointFolder.ConfigFile),
            ToConfigJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        CheckpointFolder.SaveTensors(folder, StateDict(), maxShardBytes);
    }

    /// <summary>Builds the architecture named by config.json's model_type and loads its weights.</summary>
    public static CausalLM FromPretrained(string folder, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var config = CheckpointFolder.ReadConfig(folder);
        var modelType = config["model_type"]?.GetValue<string>() ?? "";
        CausalLM model = modelType switch
        {
            "gpt2" => new Gpt2LMHeadModel(Gpt2Config.FromJson(config), device, dtype),
            "llama" or "qwen2" or "mistral" => new LlamaForCausalLM(LlamaConfig.FromJson(config), device, dtype),
            _ => throw new NotSupportedException($"model_type '{modelType}' in {folder} is not supported (gpt2, llama, qwen2, mistral)"),
        };
        // One file at a time, so a sharded checkpoint never sits in memory twice.
        var expected = model.StateDict().Keys.ToHashSet(StringComparer.Ordinal);
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        foreach (var file in CheckpointFolder.WeightFiles(folder))
        {
            var tensors = SafeTensors.Load(file, device, dtype);
            try
            {
                var renamed = model.RenameCheckpointKeys(tensors);
                unexpected.AddRange(renamed.Keys.Where(k => !expected.Contains(k)));
                var known = renamed.Where(kv => expected.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                model.LoadStateDict(known, strict: false);
                loaded.UnionWith(known.Keys);
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
        }
        var missing = expected.Where(k => !loaded.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            model.Dispose();
            throw new InvalidDataException(
                $"checkpoint {folder} does not match its {modelType} config: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
        }
        return model;
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
        var t = inputIds.Size(1);
        if (attentionMask is null)
            return Tensor.Arange(pastLength, pastLength + t, 1, ScalarType.Int64, inputIds.Device).Unsqueeze(0).Expand(inputIds.Size(0), t);
        var positions = (attentionMask.To(ScalarType.Int64).CumSum(1) - 1).Clamp(min: 0); // (B, T_past + T)
        return positions.Narrow(1, attentionMask.Size(1) - t, t);
    }

    /// <summary>Padding mask (B, T_k) → bool (B, 1, 1, T_k) for attention, or null.</summary>
    protected static Tensor? AttentionKeepMask(Tensor? attentionMask) =>
        attentionMask?.Ne(0).Unsqueeze(1).Unsqueeze(1);
}
