using PreferenceStudio.Models;
using PreferenceStudio.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Principles;

/// <summary>
/// A causal LM's final hidden states read by a scalar head at each sequence's last real token: the logit of "the
/// response satisfies the principle" for an input in <see cref="PrincipleTemplate"/>'s format; σ(logit) = p(yes).
/// Backbone and head are registered submodules, so parameters(), train() and eval() reach both. Unlike
/// <see cref="RewardModel"/>'s, the head has a bias: a Bradley-Terry reward is only ever compared, but a
/// probability needs an intercept for the share of yes verdicts. The LM head is not used, so it is not trained.
/// Disposing it disposes the backbone too.
/// </summary>
public sealed class PrincipleRewardModel : nn.Module
{
    /// <summary>The head's file beside the backbone's Hugging Face checkpoint: "score.weight" and "score.bias".</summary>
    public const string HeadFile = "principle_head.safetensors";

    private readonly CausalLM backbone;
    private readonly ScalarHead head;

    /// <summary><paramref name="head"/>: null for a fresh head (with a bias) on the backbone's device, initialised
    /// from libtorch's (seeded) generator.</summary>
    public PrincipleRewardModel(CausalLM backbone, ScalarHead? head = null) : base(nameof(PrincipleRewardModel))
    {
        ArgumentNullException.ThrowIfNull(backbone);
        this.backbone = backbone;
        this.head = head ?? new ScalarHead(backbone.HiddenSize, backbone.Device, bias: true);
        if (this.head.Score.in_features != backbone.HiddenSize)
            throw new ArgumentException($"the head reads {this.head.Score.in_features} features; the backbone's hidden size is {backbone.HiddenSize}", nameof(head));
        RegisterComponents();
        train(backbone.training);
    }

    public CausalLM Backbone => backbone;

    public ScalarHead Head => head;

    public Device Device => backbone.Device;

    /// <summary>inputIds (B, T), right-padded; attentionMask (B, T), 1 for real tokens. Returns the logits (B).</summary>
    public Tensor Logits(Tensor inputIds, Tensor attentionMask)
    {
        var hidden = backbone.ForwardHidden(inputIds);                      // (B, T, C)
        return head.AtLastToken(hidden, attentionMask);                      // (B)
    }

    /// <summary>Every parameter but the LM head's (which the score never reads; tied embeddings are kept).</summary>
    public IReadOnlyList<TorchSharp.Modules.Parameter> TrainableParameters() =>
        backbone.named_parameters().Where(p => !p.name.StartsWith("lm_head.", StringComparison.Ordinal)).Select(p => p.parameter)
            .Concat(head.parameters()).ToList();

    /// <summary>Sets every dropout probability of the backbone to 0, so training and scoring read the same function.</summary>
    public void DisableDropout() => backbone.DisableDropout();

    /// <summary>The backbone as a loadable causal-LM checkpoint (config.json, model.safetensors) plus the head.</summary>
    public void SavePretrained(string folder)
    {
        backbone.SavePretrained(folder);
        SafeTensors.Save(Path.Combine(folder, HeadFile), head.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>Copies the backbone's and the head's weights from a folder written by <see cref="SavePretrained"/>, in place.</summary>
    public void LoadWeights(string folder)
    {
        backbone.LoadWeights(folder);
        var tensors = SafeTensors.Load(Path.Combine(folder, HeadFile), Device);
        try
        {
            head.load_state_dict(tensors);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>Loads a folder written by <see cref="SavePretrained"/>, in eval mode.</summary>
    public static PrincipleRewardModel FromPretrained(string folder, Device? device = null)
    {
        var model = new PrincipleRewardModel(CausalLM.FromPretrained(folder, device));
        try
        {
            model.LoadWeights(folder);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
