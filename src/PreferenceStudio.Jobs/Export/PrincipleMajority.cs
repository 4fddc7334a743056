using PreferenceStudio.Core.Annotations;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// Several annotators' verdicts on one response and one principle combine by majority of the yes and no votes
/// ("not applicable" abstains); as many yes as no is a split and gives no verdict.
/// </summary>
public static class PrincipleMajority
{
    /// <summary>Yes or No by majority; null for a split or when every vote abstained.</summary>
    public static Verdict? Of(IEnumerable<Verdict> votes)
    {
        var (yes, no) = (0, 0);
        foreach (var vote in votes)
        {
            if (vote == Verdict.Yes) yes++;
            else if (vote == Verdict.No) no++;
        }
        return yes > no ? Verdict.Yes : no > yes ? Verdict.No : null;
    }
}
