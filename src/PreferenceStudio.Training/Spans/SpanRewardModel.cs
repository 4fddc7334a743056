using System.Text.Json;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Spans;

/// <summary>
/// A token classifier on a causal-LM backbone (Hugging Face's *ForTokenClassification): each position's final hidden
/// state goes through a linear head "score" to categories + 1 logits, class 0 meaning "no error". The backbone is
/// causal, so a token's tag is predicted from it and what came before, which is what a reward for text generated
/// left to right can use. The backbone and the head are registered submodules (parameters(), train() and eval()
/// reach them; disposing the model disposes the backbone too); the LM head is never trained.
/// </summary>
public sealed class SpanRewardModel : nn.Module
{
    /// <summary>The head's file beside the backbone's checkpoint; its tensors are "score.weight" and "score.bias".</summary>
    public const string HeadFile = "span_head.safetensors";

    /// <summary>The category names, in tag order (tag i + 1 is category i).</summary>
    public const string LabelsFile = "span_labels.json";

    private readonly CausalLM backbone;
    private readonly Linear score;

    /// <summary>A fresh head on the backbone's device, initialised from libtorch's (seeded) generator.</summary>
    public SpanRewardModel(CausalLM backbone, IReadOnlyList<string> categories) : base(nameof(SpanRewardModel))
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(categories);
        if (categories.Count == 0) throw new ArgumentException("a span reward model needs at least one error category", nameof(categories));
        this.backbone = backbone;
        Categories = [.. categories];
        score = nn.Linear(backbone.HiddenSize, categories.Count + 1, hasBias: true, device: backbone.Device);
        using (NewDisposeScope())  // the weight getters hand out new tensor wrappers: let the scope free them
        using (no_grad())
        {
            score.weight!.normal_(0, 1.0 / Math.Sqrt(backbone.HiddenSize + 1));
            score.bias!.zero_();
        }
        RegisterComponents();
        train(backbone.training);
    }

    public CausalLM Backbone => backbone;

    public Linear Score => score;

    public IReadOnlyList<string> Categories { get; }

    /// <summary>Categories + 1: "no error" and each category.</summary>
    public int Classes => Categories.Count + 1;

    public Device Device => backbone.Device;

    /// <summary>inputIds (B, T), right-padded → logits (B, T, categories + 1). Right padding needs no mask: causal
    /// attention never lets a real token see a later pad.</summary>
    public Tensor Logits(Tensor inputIds) => score.forward(backbone.ForwardHidden(inputIds));

    /// <summary>Sets every dropout of the backbone to 0: the tags of a token should not depend on noise.</summary>
    public void DisableDropout() => backbone.DisableDropout();

    /// <summary>What the trainer optimizes: the backbone without its LM head, and the head.</summary>
    public IReadOnlyList<Parameter> TrainableParameters() =>
        backbone.named_parameters().Where(p => !p.name.StartsWith("lm_head.", StringComparison.Ordinal)).Select(p => p.parameter)
            .Concat(score.parameters()).ToList();

    /// <summary>The backbone as a loadable causal-LM checkpoint (config.json, model.safetensors), the head, and the
    /// category names.</summary>
    public void SavePretrained(string folder)
    {
        backbone.SavePretrained(folder);
        SafeTensors.Save(Path.Combine(folder, HeadFile), score.state_dict().ToDictionary(kv => "score." + kv.Key, kv => kv.Value),
            new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(folder, LabelsFile), JsonSerializer.Serialize(new { categories = Categories }));
    }

    /// <summary>Loads a folder written by <see cref="SavePretrained"/>, in eval mode.</summary>
    public static SpanRewardModel FromPretrained(string folder, Device? device = null)
    {
        var categories = ReadCategories(folder);
        var model = new SpanRewardModel(CausalLM.FromPretrained(folder, device), categories);
        try
        {
            model.LoadHead(folder);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Copies the backbone's and the head's weights from a folder written by <see cref="SavePretrained"/>,
    /// in place; its categories must be this model's.</summary>
    public void LoadWeights(string folder)
    {
        var categories = ReadCategories(folder);
        if (!categories.SequenceEqual(Categories, StringComparer.Ordinal))
            throw new InvalidDataException($"{folder} holds a span model of categories [{string.Join(", ", categories)}]; this one's are [{string.Join(", ", Categories)}]");
        backbone.LoadWeights(folder);
        LoadHead(folder);
    }

    /// <summary>The category names a folder written by <see cref="SavePretrained"/> holds, in tag order.</summary>
    public static IReadOnlyList<string> ReadCategories(string folder)
    {
        var path = Path.Combine(folder, LabelsFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{folder} is not a span reward model: no {LabelsFile}", path);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetString() ?? "").ToList();
    }

    private void LoadHead(string folder)
    {
        var tensors = SafeTensors.Load(Path.Combine(folder, HeadFile), Device);
        try
        {
            score.load_state_dict(tensors.ToDictionary(kv => kv.Key.StartsWith("score.", StringComparison.Ordinal) ? kv.Key["score.".Length..] : kv.Key, kv => kv.Value));
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }
}
