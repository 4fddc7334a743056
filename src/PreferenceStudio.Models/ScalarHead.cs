using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Models;

/// <summary>
/// One scalar per position from the final hidden states: a value head (PPO's critic) or a reward head (the
/// reward model reads the value at each sequence's last real token). Hugging Face names it "score"
/// (AutoModelForSequenceClassification) and TRL "v_head.summary".
/// </summary>
public sealed class ScalarHead : nn.Module<Tensor, Tensor>
{
    private readonly Linear score;

    public ScalarHead(long hiddenSize, Device? device = null, ScalarType dtype = ScalarType.Float32, bool bias = false)
        : base(nameof(ScalarHead))
    {
        score = nn.Linear(hiddenSize, 1, bias, device, dtype);
        using (NewDisposeScope())  // the weight getters hand out new tensor wrappers: let the scope free them
        using (no_grad())
        {
            score.weight!.normal_(0, 1.0 / Math.Sqrt(hiddenSize + 1));  // unit-scale outputs at the start
            score.bias?.zero_();
        }
        RegisterComponents();
    }

    public Linear Score => score;

    // (B, T, C) -> (B, T)
    public override Tensor forward(Tensor hidden) => score.forward(hidden).squeeze(-1);

    /// <summary>The value at each row's last real token. attentionMask (B, T): 1 real, 0 padding (left or right).</summary>
    public Tensor AtLastToken(Tensor hidden, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(attentionMask);
        var values = forward(hidden);                                            // (B, T)
        var positions = arange(attentionMask.shape[1], ScalarType.Int64, attentionMask.device);
        var last = (attentionMask.ne(0).to(ScalarType.Int64) * positions).argmax(1, keepdim: true); // (B, 1)
        return values.gather(1, last).squeeze(1);                                // (B)
    }
}
