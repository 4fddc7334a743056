using PreferenceStudio.Models;
using PreferenceStudio.Models.Checkpoints;
using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>
/// A language model's final hidden states read by a scalar head at each sequence's last real token: r(x, y).
/// The LM head is not used, so it is not trained.
/// </summary>
public sealed class RewardModel(CausalLM backbone, ScalarHead head) : IDisposable
{
    public CausalLM Backbone { get; } = backbone ?? throw new ArgumentNullException(nameof(backbone));

    public ScalarHead Head { get; } = head ?? throw new ArgumentNullException(nameof(head));

    /// <summary>A fresh head on the backbone's device, initialised from libtorch's (seeded) generator.</summary>
    public static RewardModel OnTopOf(CausalLM backbone)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var head = new ScalarHead(backbone.HiddenSize, backbone.Device);
        head.train(backbone.training);
        return new RewardModel(backbone, head);
    }

    /// <summary>The head's file beside the backbone's Hugging Face checkpoint; its one tensor is "score.weight".</summary>
    public const string HeadFile = "reward_head.safetensors";

    public Device Device => Backbone.Device;

    /// <summary>The backbone as a loadable causal-LM checkpoint (config.json, model.safetensors) plus the head.</summary>
    public void SavePretrained(string folder)
    {
        Backbone.SavePretrained(folder);
        SafeTensors.Save(Path.Combine(folder, HeadFile), Head.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>Loads a folder written by <see cref="SavePretrained"/>, in eval mode.</summary>
    public static RewardModel FromPretrained(string folder, Device? device = null)
    {
        var model = OnTopOf(CausalLM.FromPretrained(folder, device));
        try
        {
            model.LoadHead(folder);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Copies the backbone's and the head's weights from a folder written by <see cref="SavePretrained"/>, in place.</summary>
    public void LoadWeights(string folder)
    {
        Backbone.LoadWeights(folder);
        LoadHead(folder);
    }

    private void LoadHead(string folder)
    {
        var tensors = SafeTensors.Load(Path.Combine(folder, HeadFile), Device);
        try
        {
            Head.load_state_dict(tensors);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>
    /// inputIds (B, T), right-padded; attentionMask (B, T), 1 for real tokens. Returns rewards (B).
    /// Right padding needs no mask inside the model: causal attention never lets a real token see a later pad.
    /// </summary>
    public Tensor Rewards(Tensor inputIds, Tensor attentionMask)
    {
        var hidden = Backbone.ForwardHidden(inputIds);                     // (B, T, C)
        return Head.AtLastToken(hidden, attentionMask);                    // (B)
    }

    public IReadOnlyList<TorchSharp.Modules.Parameter> TrainableParameters() =>
        Backbone.named_parameters().Where(p => !p.name.StartsWith("lm_head.", StringComparison.Ordinal)).Select(p => p.parameter)
            .Concat(Head.parameters()).ToList();

    public void Train(bool mode = true)
    {
        Backbone.train(mode);
        Head.train(mode);
    }

    public void Dispose()
    {
        Backbone.Dispose();
        Head.Dispose();
    }
}
