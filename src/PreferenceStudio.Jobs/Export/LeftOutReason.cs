namespace PreferenceStudio.Jobs.Export;

/// <summary>Why a label, or part of one, gave no preference pair. Each reason counts in its own unit.</summary>
public enum LeftOutReason
{
    /// <summary>A pairwise label saying neither response is better (counted per label).</summary>
    PairwiseTie,

    /// <summary>A pairwise label marking both responses bad: the better of two bad answers is no example to learn (per label).</summary>
    PairwiseBothBad,

    /// <summary>Two responses a ranking put at the same rank (per pair of tied responses).</summary>
    RankingTie,

    /// <summary>A "not applicable" principle verdict (per verdict).</summary>
    PrincipleNotApplicable,

    /// <summary>A (response, principle) whose annotators said yes and no equally often (per response and principle).</summary>
    PrincipleSplit,

    /// <summary>A (response, principle) with a verdict but no response of the same prompt judged the other way (per response and principle).</summary>
    PrincipleNoOpposite,
}
