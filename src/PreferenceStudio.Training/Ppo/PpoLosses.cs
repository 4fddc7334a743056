using static TorchSharp.torch;

namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// PPO's advantages and losses over a rollout of B responses, each a row of R token positions, right-padded: every
/// (B, R) input comes with a response mask (B, R), bool, true on the response's tokens. Position t is the state before
/// the response's token t (its value V_t) and the action of sampling it (its log-probabilities and reward r_t).
/// Whatever stands at a masked position changes nothing.
/// </summary>
public static class PpoLosses
{
    /// <summary>Σ m x / Σ m over the masked positions. Returns ().</summary>
    public static Tensor MaskedMean(Tensor values, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(mask);
        return values.masked_fill(mask.logical_not(), 0).sum() / mask.to(values.dtype).sum();
    }

    /// <summary>The unbiased variance of the masked positions (Bessel's n / (n − 1), as TRL's masked_var). Returns ().</summary>
    public static Tensor MaskedVar(Tensor values, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(mask);
        var n = mask.to(values.dtype).sum();
        var centred = (values - MaskedMean(values, mask)).masked_fill(mask.logical_not(), 0);
        return centred.square().sum() / (n - 1).clamp(min: 1);
    }

    /// <summary>
    /// (x − μ) / √(σ² + 1e-8) with the masked mean and variance, and μ added back when <paramref name="shiftMean"/>
    /// is false (PPO whitens advantages with the mean removed and rewards with it kept). Masked positions are 0. (B, R)
    /// </summary>
    public static Tensor Whiten(Tensor values, Tensor mask, bool shiftMean = true)
    {
        ArgumentNullException.ThrowIfNull(values);
        var mean = MaskedMean(values, mask);
        var whitened = (values - mean) * (MaskedVar(values, mask) + 1e-8).rsqrt();
        if (!shiftMean) whitened = whitened + mean;
        return whitened.masked_fill(mask.logical_not(), 0);
    }

    /// <summary>
    /// Generalized advantage estimation, Schulman et al. 2016 eq. 16: Â_t = Σ_l (γλ)^l δ_{t+l} with the TD error
    /// δ_t = r_t + γ V_{t+1} − V_t, computed backwards as Â_t = δ_t + γλ Â_{t+1}. Past a response's last token V and
    /// Â are 0 (the episode has ended), whatever the padding holds. Returns the advantages and the value targets
    /// (returns) R_t = Â_t + V_t, both (B, R) and 0 at masked positions.
    /// </summary>
    public static (Tensor Advantages, Tensor Returns) Gae(Tensor rewards, Tensor values, Tensor mask, double gamma, double lam)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(mask);
        var m = mask.to(values.dtype);
        var r = rewards.masked_fill(mask.logical_not(), 0);
        var v = values.masked_fill(mask.logical_not(), 0);
        var length = rewards.shape[1];
        var columns = new Tensor[length];
        var next = zeros_like(v.select(1, 0));       // Â_{t+1}
        var nextValue = zeros_like(next);            // V_{t+1}
        for (var t = length - 1; t >= 0; t--)
        {
            var delta = r.select(1, t) + gamma * nextValue - v.select(1, t);
            next = (delta + gamma * lam * next) * m.select(1, t);
            nextValue = v.select(1, t);
            columns[t] = next;
        }
        var advantages = stack(columns, 1);
        return (advantages, (advantages + v) * m);
    }

    /// <summary>
    /// The per-token estimate of KL(π_θ ‖ π_ref) at the sampled tokens (Schulman 2020): k1 = log π_θ − log π_ref, or
    /// k3 = (ρ − 1) − log ρ with ρ = π_ref / π_θ (OpenRLHF's compute_approx_kl). (B, R), not masked.
    /// </summary>
    public static Tensor Kl(Tensor logProbs, Tensor referenceLogProbs, string estimator)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        ArgumentNullException.ThrowIfNull(referenceLogProbs);
        var logRatio = logProbs - referenceLogProbs;
        return estimator switch
        {
            KlEstimator.K1 => logRatio,
            KlEstimator.K3 => (-logRatio).exp() - 1 + logRatio,
            _ => throw new ArgumentException($"kl_estimator must be one of {string.Join(", ", KlEstimator.All)}, got '{estimator}'", nameof(estimator)),
        };
    }

    /// <summary>
    /// The reward PPO maximises, per token, Ziegler et al. 2019 eq. 2 spread over the tokens: r_t = s_t − β KL_t, the
    /// score s_t (a reward model's scalar at the last token, or dense rewards at segment ends) minus the KL penalty.
    /// Masked positions are 0. (B, R)
    /// </summary>
    public static Tensor Rewards(Tensor scores, Tensor kl, double klCoef, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(kl);
        return (scores - klCoef * kl).masked_fill(mask.logical_not(), 0);
    }

    /// <summary>
    /// The clipped surrogate, Schulman et al. 2017 eq. 7, as a loss: mean over the response tokens of
    /// max(−Â ρ, −Â clip(ρ, 1 − ε, 1 + ε)), ρ = exp(log π_θ − log π_old). The clip fraction is the share of tokens
    /// where the clipped term is the larger (its gradient is then 0). Returns both ().
    /// </summary>
    public static (Tensor Loss, Tensor ClipFraction) PolicyLoss(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, Tensor mask, double cliprange)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        ArgumentNullException.ThrowIfNull(oldLogProbs);
        ArgumentNullException.ThrowIfNull(advantages);
        var ratio = (logProbs - oldLogProbs).exp();
        var unclipped = -advantages * ratio;
        var clipped = -advantages * ratio.clamp(1 - cliprange, 1 + cliprange);
        var loss = MaskedMean(maximum(unclipped, clipped), mask);
        return (loss, MaskedMean(clipped.gt(unclipped).to(logProbs.dtype), mask));
    }

    /// <summary>
    /// The clipped value loss of PPO's reference implementation (OpenAI baselines' ppo2, kept by TRL and OpenRLHF;
    /// examined in Engstrom et al. 2020): ½ mean over the response tokens of max((V − R)², (V_clip − R)²), with
    /// V_clip = V_old + clip(V − V_old, −ε_v, ε_v) and R the GAE returns. The clip fraction is the share of tokens
    /// where the clipped error is the larger. Returns both ().
    /// </summary>
    public static (Tensor Loss, Tensor ClipFraction) ValueLoss(Tensor values, Tensor oldValues, Tensor returns, Tensor mask, double cliprangeValue)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(oldValues);
        ArgumentNullException.ThrowIfNull(returns);
        var clippedValues = oldValues + (values - oldValues).clamp(-cliprangeValue, cliprangeValue);
        var unclipped = (values - returns).square();
        var clipped = (clippedValues - returns).square();
        var loss = 0.5 * MaskedMean(maximum(unclipped, clipped), mask);
        return (loss, MaskedMean(clipped.gt(unclipped).to(values.dtype), mask));
    }

    /// <summary>½ mean over the response tokens of (log π_θ − log π_old)²: TRL's policy/approxkl, how far an update
    /// moved the policy from the one that sampled. Returns ().</summary>
    public static Tensor ApproxKl(Tensor logProbs, Tensor oldLogProbs, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        return 0.5 * MaskedMean((logProbs - oldLogProbs).square(), mask);
    }
}
