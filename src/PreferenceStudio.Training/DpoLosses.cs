using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>
/// The DPO family's losses over B pairs. Inputs are per-sequence log-probabilities (B) of the chosen (y_w) and the
/// rejected (y_l) response under the policy π_θ and the frozen reference π_ref; each loss returns per-pair values
/// (B), reduced by <see cref="WeightedMean"/>.
/// </summary>
public static class DpoLosses
{
    /// <summary>h = (log π_θ(y_w) − log π_θ(y_l)) − (log π_ref(y_w) − log π_ref(y_l)): how much more the policy
    /// prefers the chosen response than the reference does (TRL's "logits"). (B)</summary>
    public static Tensor Logits(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected)
    {
        ArgumentNullException.ThrowIfNull(policyChosen);
        ArgumentNullException.ThrowIfNull(referenceChosen);
        return (policyChosen - policyRejected) - (referenceChosen - referenceRejected);
    }

    /// <summary>
    /// DPO, Rafailov et al. 2023 eq. 7: −log σ(β h). With label smoothing ε, the conservative cDPO loss of
    /// Mitchell 2023 (eq. 3), the expected DPO loss when each label is flipped with probability ε:
    /// −(1 − ε) log σ(β h) − ε log σ(−β h). (B)
    /// </summary>
    public static Tensor Sigmoid(Tensor logits, double beta, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var scaled = beta * logits;
        return -(1 - labelSmoothing) * nn.functional.logsigmoid(scaled) - labelSmoothing * nn.functional.logsigmoid(-scaled);
    }

    /// <summary>
    /// Robust DPO, Chowdhury et al. 2024 eq. 21: an unbiased estimate of the clean-label DPO loss under labels flipped
    /// with probability ε, ((1 − ε)(−log σ(β h)) − ε(−log σ(−β h))) / (1 − 2ε); ε = 0 gives <see cref="Sigmoid"/>. (B)
    /// </summary>
    public static Tensor Robust(Tensor logits, double beta, double labelSmoothing)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (labelSmoothing is < 0 or >= 0.5)
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "robust DPO needs ε in [0, 0.5)");
        var scaled = beta * logits;
        return (-(1 - labelSmoothing) * nn.functional.logsigmoid(scaled) + labelSmoothing * nn.functional.logsigmoid(-scaled))
            / (1 - 2 * labelSmoothing);
    }

    /// <summary>
    /// IPO, Azar et al. 2023 eq. 17: (h − 1/(2τ))², with τ = β; the log-ratios are regressed to a fixed margin
    /// instead of pushed apart without bound. As TRL does, the caller passes log-probabilities averaged over each
    /// response's tokens, not summed, so that long responses do not dominate the square. (B)
    /// </summary>
    public static Tensor Ipo(Tensor logits, double beta)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return (logits - 1 / (2 * beta)).square();
    }

    /// <summary>
    /// RPO's NLL term (Pang et al. 2024, eq. 1): −log π_θ(y_w | x) / |y_w|, the chosen responses' negative
    /// log-likelihood per token, added to the DPO loss times α. As TRL's nll_loss, a mean over all chosen tokens of
    /// the batch; with weights, each pair's tokens count with its weight: −Σ w_i log π(y_w,i) / Σ w_i |y_w,i|.
    /// chosenLogProbs, chosenTokens, weights: (B). Returns ().
    /// </summary>
    public static Tensor Nll(Tensor chosenLogProbs, Tensor chosenTokens, Tensor? weights = null)
    {
        ArgumentNullException.ThrowIfNull(chosenLogProbs);
        ArgumentNullException.ThrowIfNull(chosenTokens);
        return weights is null
            ? -chosenLogProbs.sum() / chosenTokens.sum()
            : -(weights * chosenLogProbs).sum() / (weights * chosenTokens).sum();
    }

    /// <summary>Σ w_i ℓ_i / Σ w_i: a ranking's pairs share one example's weight; pairwise pairs weigh 1 (then the
    /// plain mean). losses, weights: (B). Returns ().</summary>
    public static Tensor WeightedMean(Tensor losses, Tensor? weights = null)
    {
        ArgumentNullException.ThrowIfNull(losses);
        return weights is null ? losses.mean() : (weights * losses).sum() / weights.sum();
    }

    /// <summary>The per-pair loss that config.loss_type names. (B)</summary>
    public static Tensor ForType(string lossType, Tensor logits, double beta, double labelSmoothing) => lossType switch
    {
        DpoLossType.Sigmoid => Sigmoid(logits, beta, labelSmoothing),
        DpoLossType.Robust => Robust(logits, beta, labelSmoothing),
        DpoLossType.Ipo => Ipo(logits, beta),
        _ => throw new ArgumentException($"loss_type must be one of {string.Join(", ", DpoLossType.All)}, got '{lossType}'", nameof(lossType)),
    };
}
