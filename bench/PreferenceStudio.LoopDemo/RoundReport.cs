using PreferenceStudio.Annotating.Simulation;

namespace PreferenceStudio.LoopDemo;

/// <summary>What one round did and measured. RewardAccuracy is on the simulated annotator's noisy labels of held-out
/// pairs; BayesAccuracy is the best any model can reach on those same pairs. OfflineVersusBase: offline DPO on round
/// one's pairs alone, run for the same steps as the online rounds up to this one. MeanWords: the new policy's answers.</summary>
internal sealed record RoundReport(
    int Round, int HumanPairs, int RewardModelPairs, double RewardAccuracy, double BayesAccuracy, int HeldOutPairs,
    WinRate VersusBase, double ExpectedVersusBase, WinRate OfflineVersusBase, double MeanWords, long DpoSteps, TimeSpan Took);
