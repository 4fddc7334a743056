namespace PreferenceStudio.Training;

/// <summary>
/// One comparison, tokenized: the prompt (already chat-formatted) and the token ids of the preferred and the
/// dispreferred response. Margin: how strongly the chosen one won (0 for "better", more for "much better"). Weight: the
/// pair's share of one labelled example (a ranking's n pairs weigh 1/n each), which DPO's weighted mean uses.
/// </summary>
public sealed record PreferencePair(IReadOnlyList<long> Prompt, IReadOnlyList<long> Chosen, IReadOnlyList<long> Rejected, double Margin = 0, double Weight = 1)
{
    public int LongestSequence => Prompt.Count + Math.Max(Chosen.Count, Rejected.Count);
}
