namespace PreferenceStudio.Training.Principles;

/// <summary>How a principle reward model is trained: the optimizer fields of <see cref="OptimizerConfig"/>, with
/// examples (one response judged on one principle each) per batch and max_length over the whole input (prompt,
/// response and judging turn). Names in errors are TRL's RewardConfig field names.</summary>
public sealed record PrincipleRewardConfig : OptimizerConfig
{
    protected override string ConfigName => "principle reward";

    protected override string MaxLengthReason => "";
}
