using PreferenceStudio.Models;
using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>log π(y | x) of whole responses: the sum of their tokens' log-probabilities.</summary>
public static class SequenceLogProbs
{
    /// <summary>tokenLogProbs (N, T-1), completionMask (N, T-1) bool → (N): masked positions (prompt, padding)
    /// are zeroed before the sum, so whatever the model says there changes nothing.</summary>
    public static Tensor Sum(Tensor tokenLogProbs, Tensor completionMask)
    {
        ArgumentNullException.ThrowIfNull(tokenLogProbs);
        ArgumentNullException.ThrowIfNull(completionMask);
        return tokenLogProbs.masked_fill(completionMask.logical_not(), 0).sum(-1);
    }

    /// <summary>Every row's response log-probability under <paramref name="model"/>, in one forward pass. (2B)</summary>
    public static Tensor Of(CausalLM model, DpoBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        // Right padding needs no attention mask: causal attention never lets a real token see a later pad.
        return Sum(model.TokenLogProbs(batch.InputIds), batch.CompletionMask);
    }
}
