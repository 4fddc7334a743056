namespace PreferenceStudio.Training.Ppo;

/// <summary>A finished PPO run: every iteration's metrics (TRL's PPO names) and β at the end.</summary>
public sealed record PpoTrainingResult(IReadOnlyList<TrainingStep> History, double FinalKlCoef);
