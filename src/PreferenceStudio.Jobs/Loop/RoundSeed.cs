using PreferenceStudio.Core.Loop;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// Seeds for a round's random choices, the same on every worker and every attempt (never string.GetHashCode, which
/// .NET randomizes per process), so a resumed stage chooses what its first attempt chose.
/// </summary>
public static class RoundSeed
{
    public static int For(LoopRound round, RoundStageKind stage) => unchecked((int)(round.Id * 1_000_003 + (int)stage * 7_919));

    /// <summary>A seed fixed per project, for what rounds must share to be comparable (the evaluation prompts).</summary>
    public static int ForProject(int projectId) => unchecked(projectId * 2_654_435 + 17);
}
