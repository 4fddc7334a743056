namespace PreferenceStudio.Training;

/// <summary>What one optimizer step reports; metric keys as in TRL ("loss", "rewards/accuracies", "learning_rate", ...).</summary>
public sealed record TrainingStep(long Step, long TotalSteps, double Epoch, IReadOnlyDictionary<string, double> Metrics);

/// <summary>A finished reward-model run: every step's metrics, the held-out metrics ("eval_" keys) and the pairs left out.</summary>
public sealed record RewardTrainingResult(IReadOnlyList<TrainingStep> History, IReadOnlyDictionary<string, double> Eval, int SkippedTooLong);
