namespace PreferenceStudio.Training;

/// <summary>
/// One DPO comparison, tokenized: the prompt (already chat-formatted) and the token ids of the chosen and the
/// rejected response. Weight: the pair's share of an example in the loss's weighted mean; a pairwise label gives
/// one pair of weight 1, a ranking of k responses gives k(k−1)/2 pairs that together count as one example.
/// </summary>
public sealed record DpoExample(IReadOnlyList<long> Prompt, IReadOnlyList<long> Chosen, IReadOnlyList<long> Rejected, double Weight = 1)
{
    public int LongestSequence => Prompt.Count + Math.Max(Chosen.Count, Rejected.Count);

    /// <summary>The same comparison as a reward-model pair has it, with its weight (its margin is not used by DPO).</summary>
    public static DpoExample From(PreferencePair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return new DpoExample(pair.Prompt, pair.Chosen, pair.Rejected, pair.Weight);
    }
}
