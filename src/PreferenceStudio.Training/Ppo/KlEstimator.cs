namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// How the per-token KL penalty estimates KL(π_θ ‖ π_ref) from the sampled token alone (Schulman 2020,
/// "Approximating KL divergence"), spelled as TRL's PPOConfig.kl_estimator and OpenRLHF's estimators.
/// </summary>
public static class KlEstimator
{
    /// <summary>k1 = log π_θ − log π_ref: unbiased, high variance, negative on some tokens.</summary>
    public const string K1 = "k1";

    /// <summary>k3 = (ρ − 1) − log ρ with ρ = π_ref / π_θ: unbiased and never negative, lower variance.</summary>
    public const string K3 = "k3";

    public static readonly IReadOnlyList<string> All = [K1, K3];
}
