using PreferenceStudio.Annotating.Simulation;

namespace PreferenceStudio.LoopDemo;

/// <summary>What one round did and measured. RewardAccuracy is on the simulated annotator's noisy labels of the held-out
/// pairs of every round so far; BayesAccuracy is the best any model can reach on those same pairs; the Round… pair
/// is the same on this round's held-out pairs alone. OfflineVersusBase: offline DPO on round
/// one's pairs alone, run for the same steps as the online rounds up to this one. MeanWords: the new policy's answers.</summary>
internal sealed record RoundReport(
    int Round, int HumanPairs, int RewardModelPairs, double RewardAccuracy, double BayesAccuracy, int HeldOutPairs,
    double RoundRewardAccuracy, double RoundBayesAccuracy, ExpectedAccuracies Expected,
    WinRate VersusBase, double ExpectedVersusBase, WinRate OfflineVersusBase, double MeanWords, long DpoSteps, StageSpeed Speed, TimeSpan Took);

/// <summary>The reward model's accuracy against the annotator's expected choice (its noise averaged out, not drawn):
/// SamePairs on the held-out pairs of every round so far (the pairs RewardAccuracy counts); Current on all
/// <see cref="AllPairs"/> pairs of this round's held-out answers (those of the policy the round's reward model ranks),
/// beside CurrentBayes, the best any model can reach on those same pairs; CurrentByLength on the same pairs with each
/// answer scored by the reward model's mean score of answers of its length in words (its content's scatter removed).</summary>
internal sealed record ExpectedAccuracies(double SamePairs, double Current, double CurrentBayes, int AllPairs, double CurrentByLength);

/// <summary>A round's stages timed alone: sampling its K answers per prompt (tokens generated), the reward model scoring
/// the samples it pairs, and DPO (tokens through the policy: prompt and response of chosen and rejected, every epoch;
/// the reference pass included).</summary>
internal sealed record StageSpeed(double SamplingTokensPerSecond = 0, double ScoredSamplesPerSecond = 0, double DpoTokensPerSecond = 0);
