using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>Losses over pairs of a preferred (chosen) and a dispreferred (rejected) response.</summary>
public static class PreferenceLosses
{
    /// <summary>
    /// Bradley-Terry reward-model loss, InstructGPT (Ouyang et al. 2022) eq. 1:
    /// loss = -E[ log σ(r(x, y_c) - r(x, y_r) - m) ], with the margin m of Llama 2 (Touvron et al. 2023) eq. 2,
    /// so that a strongly preferred pair must be separated by more. chosen, rejected, margin: (B).
    /// </summary>
    public static Tensor BradleyTerry(Tensor chosenRewards, Tensor rejectedRewards, Tensor? margin = null)
    {
        ArgumentNullException.ThrowIfNull(chosenRewards);
        ArgumentNullException.ThrowIfNull(rejectedRewards);
        var difference = chosenRewards - rejectedRewards;                  // (B)
        if (margin is not null) difference = difference - margin;
        return -nn.functional.logsigmoid(difference).mean();                            // ()
    }
}
