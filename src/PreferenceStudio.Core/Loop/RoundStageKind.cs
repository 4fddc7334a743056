namespace PreferenceStudio.Core.Loop;

/// <summary>A round's stages, in the order they run (as in "RLHF Workflow: From Reward Modeling to Online RLHF").</summary>
public enum RoundStageKind
{
    /// <summary>Refresh the reward model on every label so far.</summary>
    RewardModel = 0,

    /// <summary>Sample K responses per prompt from the current policy.</summary>
    Sample = 1,

    /// <summary>Score the samples; send a share of the prompts to people as pairwise tasks and wait; the reward model ranks the rest.</summary>
    Pairs = 2,

    /// <summary>DPO from the current policy on the round's pairs, against the round's reference.</summary>
    Dpo = 3,

    /// <summary>The new policy's win-rate against the previous policy and the base; the new policy becomes the project's.</summary>
    Evaluate = 4,
}
