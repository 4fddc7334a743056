namespace PreferenceStudio.Training;

/// <summary>The values of DPOConfig.loss_type this trainer implements, spelled as TRL spells them.</summary>
public static class DpoLossType
{
    /// <summary>DPO's logistic loss (Rafailov et al. 2023), with cDPO's label smoothing when label_smoothing &gt; 0.</summary>
    public const string Sigmoid = "sigmoid";

    /// <summary>IPO's squared loss (Azar et al. 2023) on token-averaged log-probabilities.</summary>
    public const string Ipo = "ipo";

    /// <summary>Robust DPO (Chowdhury et al. 2024): an unbiased loss under labels flipped with probability label_smoothing.</summary>
    public const string Robust = "robust";

    public static readonly IReadOnlyList<string> All = [Sigmoid, Ipo, Robust];
}
