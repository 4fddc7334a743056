namespace PreferenceStudio.Core.Loop;

/// <summary>
/// How a round's policy-update stage (its fourth, <see cref="RoundStageKind.Dpo"/>) trains the new policy: DPO on the
/// round's pairs, or PPO on the round's prompts with the round's freshly refreshed reward model as the reward.
/// </summary>
public enum PolicyTrainer
{
    Dpo = 0,
    Ppo = 1,
}
