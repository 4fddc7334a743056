using PreferenceStudio.Core.Loop;

namespace PreferenceStudio.Web.Loop;

public enum StageStatus
{
    /// <summary>Not reached yet (or never, when the round ended before it).</summary>
    Pending,
    Running,

    /// <summary>The pairs stage's tasks are with people.</summary>
    WaitingForLabels,
    Done,

    /// <summary>The round failed or was cancelled while this stage ran.</summary>
    Stopped,
}

/// <summary>One stage of a round as its page shows it: every stage appears, run or not, in the order they run.</summary>
public sealed record RoundStageView(
    RoundStageKind Kind, string Title, string Purpose, StageStatus Status, int Done, int Total, string? Summary, long? RunId,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    /// <summary>Done of Total in percent; null while the stage has not said how much there is to do.</summary>
    public double? Percent => Total > 0 ? 100.0 * Done / Total : null;

    public static IReadOnlyList<RoundStageView> Of(LoopRound round) =>
        Enum.GetValues<RoundStageKind>().Select(kind => Of(round, kind)).ToList();

    private static RoundStageView Of(LoopRound round, RoundStageKind kind)
    {
        var stage = round.Stages.FirstOrDefault(s => s.Kind == kind);
        var (title, purpose) = kind == RoundStageKind.Dpo && Jobs.Loop.RoundTrainer.Of(round) == PolicyTrainer.Ppo
            ? ("PPO", "train the policy by PPO on the round's prompts, the round's reward model as the reward")
            : Names(kind);
        if (stage is null)
            return new RoundStageView(kind, title, purpose, StageStatus.Pending, 0, 0, null, null, null, null);
        var status = stage.IsFinished ? StageStatus.Done
            : round.IsFinished ? StageStatus.Stopped
            : round.State == RoundState.WaitingForLabels ? StageStatus.WaitingForLabels
            : StageStatus.Running;
        return new RoundStageView(kind, title, purpose, status, stage.Done, stage.Total, stage.Summary, stage.RunId, stage.StartedAt, stage.FinishedAt);
    }

    public static (string Title, string Purpose) Names(RoundStageKind kind) => kind switch
    {
        RoundStageKind.RewardModel => ("Reward model", "refresh the reward model on every label so far"),
        RoundStageKind.Sample => ("Sample", "K responses per prompt from the current policy"),
        RoundStageKind.Pairs => ("Pairs", "a share to people as pairwise tasks; the reward model ranks the rest"),
        RoundStageKind.Dpo => ("DPO", "train the policy on the round's pairs against the reference"),
        RoundStageKind.Evaluate => ("Evaluate", "win-rates against the previous policy and the base; register the new policy"),
        _ => (kind.ToString(), ""),
    };
}
