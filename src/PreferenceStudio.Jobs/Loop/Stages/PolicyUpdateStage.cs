using PreferenceStudio.Core.Loop;

namespace PreferenceStudio.Jobs.Loop.Stages;

/// <summary>
/// (4) The round's policy update, in the stage slot DPO has always had (<see cref="RoundStageKind.Dpo"/>), so rounds
/// keep one list of stages whatever trains them: the trainer the round's frozen settings chose runs it, DPO on the
/// round's pairs (<see cref="DpoStage"/>) or PPO on its prompts with its reward model (<see cref="PpoStage"/>). The
/// stage's run records which one ran (its kind), and a resumed stage takes the same trainer from the same settings.
/// </summary>
public sealed class PolicyUpdateStage(DpoStage dpo, PpoStage ppo) : IRoundStage
{
    public RoundStageKind Kind => RoundStageKind.Dpo;

    public Task<StageOutcome> RunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Trainer switch
        {
            PolicyTrainer.Ppo => ppo.RunAsync(round, settings, cancellationToken),
            PolicyTrainer.Dpo => dpo.RunAsync(round, settings, cancellationToken),
            var other => throw new InvalidOperationException($"Round {round?.Number}: no trainer {other} for the policy update."),
        };
    }
}
