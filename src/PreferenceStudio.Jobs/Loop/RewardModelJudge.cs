using PreferenceStudio.Core.Loop;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>Judges by the round's reward model: the answer it scores higher wins, equal scores tie.</summary>
public sealed class RewardModelJudge(ResponseScorer scorer) : IPolicyJudge
{
    public string Description => "the round's reward model";

    public async Task<IReadOnlyList<double>?> JudgeAsync(LoopRound round, IReadOnlyList<JudgedPair> pairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(pairs);
        if (round.RewardModelId is not { } rewardModel)
            return null;
        using var model = await scorer.LoadAsync(rewardModel, new RewardConfig().MaxLength, cancellationToken);
        var scores = model.Score(pairs.SelectMany(p => new[] { (p.Prompt, p.A), (p.Prompt, p.B) }).ToList());
        return pairs.Select((_, i) => scores[2 * i].CompareTo(scores[2 * i + 1]) switch { > 0 => 1.0, < 0 => 0.0, _ => 0.5 }).ToList();
    }
}
