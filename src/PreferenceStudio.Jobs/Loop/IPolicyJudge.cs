using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>Two answers to one prompt, to be judged: which is better?</summary>
public sealed record JudgedPair(IReadOnlyList<ChatTurn> Prompt, string A, string B);

/// <summary>
/// Decides which of two policies' answers is better, for a round's win-rates. The default asks the round's reward model
/// (<see cref="RewardModelJudge"/>); the loop demo puts its simulated annotator in its place.
/// </summary>
public interface IPolicyJudge
{
    /// <summary>Who judges, in a line shown beside the win-rates.</summary>
    string Description { get; }

    /// <summary>
    /// For each pair, A's share of the win: 1 when A is better, 0 when B is, 0.5 for a tie. Null when this judge cannot
    /// judge for <paramref name="round"/> (a reward-model judge with no reward model).
    /// </summary>
    Task<IReadOnlyList<double>?> JudgeAsync(LoopRound round, IReadOnlyList<JudgedPair> pairs, CancellationToken cancellationToken);
}
