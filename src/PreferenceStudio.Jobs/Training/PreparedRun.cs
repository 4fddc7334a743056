namespace PreferenceStudio.Jobs.Training;

/// <summary>The labels a run's snapshot read: what the model it trains "saw" (count and the newest label's time).</summary>
public sealed record LabelsSeen(int Labels, DateTimeOffset? NewestLabelAt);

/// <summary>
/// A run ready to train: its trainer, how many examples it trains and holds out (<paramref name="ExampleNoun"/> names
/// them in logs: "pairs", "responses"), and the labels behind them, null where the snapshot predates label counts.
/// </summary>
public sealed record PreparedRun(IRunTrainer Trainer, int TrainCount, int EvalCount, string ExampleNoun, LabelsSeen? LabelsSeen);
