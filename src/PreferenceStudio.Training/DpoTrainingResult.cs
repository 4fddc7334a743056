namespace PreferenceStudio.Training;

/// <summary>A finished DPO run: every step's metrics, the held-out metrics ("eval_" keys) and the examples left out
/// for being longer than max_length.</summary>
public sealed record DpoTrainingResult(IReadOnlyList<TrainingStep> History, IReadOnlyDictionary<string, double> Eval, int SkippedTooLong);
