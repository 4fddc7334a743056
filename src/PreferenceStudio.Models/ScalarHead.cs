using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models;

/// <summary>
/// One scalar per position from the final hidden states: a value head (PPO's critic) or a reward head (the
/// reward model reads the value at each sequence's last real token). Hugging Face names it "score"
/// (AutoModelForSequenceClassification) and TRL "v_head.summary".
/// </summary>
public sealed class ScalarHead : Module
{
    public ScalarHead(long hiddenSize, Device? device = null, ScalarType dtype = ScalarType.Float32, bool bias = false)
    {
        Score = RegisterModule("score", new Linear(hiddenSize, 1, bias, device, dtype));
        using var noGrad = TorchRuntime.NoGrad();
        Score.Weight.Normal_(0, 1.0 / Math.Sqrt(hiddenSize + 1));  // unit-scale outputs at the start
        Score.Bias?.Zero_();
    }

    public Linear Score { get; }

    // (B, T, C) -> (B, T)
    public Tensor Forward(Tensor hidden) => Score.Forward(hidden).Squeeze(-1);

    /// <summary>The value at each row's last real token. attentionMask (B, T): 1 real, 0 padding (left or right).</summary>
    public Tensor AtLastToken(Tensor hidden, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(attentionMask);
        var values = Forward(hidden);                                            // (B, T)
        var t = attentionMask.Size(1);
        var positions = Tensor.Arange(t, ScalarType.Int64, attentionMask.Device);
        var last = (attentionMask.Ne(0).To(ScalarType.Int64) * positions).ArgMax(1, keepDim: true); // (B, 1)
        return values.Gather(1, last).Squeeze(1);                                // (B)
    }
}
