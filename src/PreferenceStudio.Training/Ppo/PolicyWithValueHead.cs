using PreferenceStudio.Models;
using PreferenceStudio.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// PPO's actor and critic on one backbone (TRL's AutoModelForCausalLMWithValueHead): the causal LM's final hidden
/// states feed both its LM head (the policy) and a scalar head (the value V(s_t) of each prefix). Both are
/// registered submodules, so parameters(), train() and eval() reach them; the value loss trains the shared
/// backbone too, weighted by vf_coef. Disposing it disposes the policy too.
/// </summary>
public sealed class PolicyWithValueHead : nn.Module
{
    /// <summary>The value head's file beside the policy's Hugging Face checkpoint; its one tensor is "score.weight".</summary>
    public const string ValueHeadFile = "value_head.safetensors";

    private readonly CausalLM policy;
    private readonly ScalarHead valueHead;

    /// <summary><paramref name="valueHead"/>: null for a fresh head on the policy's device, initialised from
    /// libtorch's (seeded) generator.</summary>
    public PolicyWithValueHead(CausalLM policy, ScalarHead? valueHead = null) : base(nameof(PolicyWithValueHead))
    {
        ArgumentNullException.ThrowIfNull(policy);
        this.policy = policy;
        this.valueHead = valueHead ?? new ScalarHead(policy.HiddenSize, policy.Device);
        if (this.valueHead.Score.in_features != policy.HiddenSize)
            throw new ArgumentException($"the value head reads {this.valueHead.Score.in_features} features; the policy's hidden size is {policy.HiddenSize}", nameof(valueHead));
        RegisterComponents();
        train(policy.training);
    }

    public CausalLM Policy => policy;

    public ScalarHead ValueHead => valueHead;

    public Device Device => policy.Device;

    /// <summary>Logits (B, T, V) and values (B, T) of every position of inputIds (B, T), right-padded, in one pass.</summary>
    public (Tensor Logits, Tensor Values) Forward(Tensor inputIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var hidden = policy.ForwardHidden(inputIds);
        return (policy.LmHead(hidden), valueHead.forward(hidden));
    }

    /// <summary>Sets every dropout probability of the backbone to 0: the ratio π_θ / π_old and the KL compare
    /// forward passes, and dropout noise would stand in the comparison.</summary>
    public void DisableDropout() => policy.DisableDropout();

    /// <summary>The policy as a loadable causal-LM checkpoint (config.json, model.safetensors) plus the value head.</summary>
    public void SavePretrained(string folder)
    {
        policy.SavePretrained(folder);
        SafeTensors.Save(Path.Combine(folder, ValueHeadFile), valueHead.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>Copies the policy's and the value head's weights from a folder written by <see cref="SavePretrained"/>, in place.</summary>
    public void LoadWeights(string folder)
    {
        policy.LoadWeights(folder);
        var tensors = SafeTensors.Load(Path.Combine(folder, ValueHeadFile), Device);
        try
        {
            valueHead.load_state_dict(tensors);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>Loads a folder written by <see cref="SavePretrained"/>, in eval mode.</summary>
    public static PolicyWithValueHead FromPretrained(string folder, Device? device = null)
    {
        var policy = CausalLM.FromPretrained(folder, device);
        var model = new PolicyWithValueHead(policy);
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
