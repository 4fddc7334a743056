using PreferenceStudio.Models;
using PreferenceStudio.Torch;

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
        var device = backbone.Parameters()[0].Device;
        return new RewardModel(backbone, new ScalarHead(backbone.HiddenSize, device));
    }

    public Device Device => Head.Score.Weight.Device;

    /// <summary>
    /// inputIds (B, T), right-padded; attentionMask (B, T), 1 for real tokens. Returns rewards (B).
    /// Right padding needs no mask inside the model: causal attention never lets a real token see a later pad.
    /// </summary>
    public Tensor Rewards(Tensor inputIds, Tensor attentionMask)
    {
        var hidden = Backbone.ForwardHidden(inputIds);                     // (B, T, C)
        return Head.AtLastToken(hidden, attentionMask);                    // (B)
    }

    public IReadOnlyList<Tensor> TrainableParameters() =>
        Backbone.NamedParameters().Where(p => !p.Name.StartsWith("lm_head.", StringComparison.Ordinal)).Select(p => p.Parameter)
            .Concat(Head.Parameters()).ToList();

    public void Train(bool mode = true)
    {
        Backbone.Train(mode);
        Head.Train(mode);
    }

    public void Dispose()
    {
        Backbone.Dispose();
        Head.Dispose();
    }
}
