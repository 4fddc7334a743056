namespace PreferenceStudio.Training;

/// <summary>How a reward model is trained: the optimizer fields of <see cref="OptimizerConfig"/> (pairs per batch:
/// each step runs 2 × batch_size sequences, chosen and rejected, in one batch) and the margin. Names in errors are
/// TRL's RewardConfig field names.</summary>
public sealed record RewardConfig : OptimizerConfig
{
    /// <summary>Use each pair's margin in the loss (Llama 2's strength-aware margin).</summary>
    public bool UseMargin { get; init; }

    protected override string ConfigName => "reward";
}
