namespace PreferenceStudio.Core.Training;

/// <summary>How a model version came to be: registered from outside, or made here by a run or an online round.</summary>
public enum ModelOrigin
{
    /// <summary>A checkpoint registered from a folder; nothing here trained it.</summary>
    Base = 0,
    RewardRun = 1,
    DpoRun = 2,
    /// <summary>A policy made by one round of the online loop (the round's id comes with the rounds).</summary>
    Round = 3,
    SpanRewardRun = 4,
    PrincipleRewardRun = 5,
    PpoRun = 6,
}
