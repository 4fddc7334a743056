using PreferenceStudio.Core.Loop;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// One stage of a round. <see cref="RunAsync"/> runs it or, after a worker died, resumes it from what it recorded
/// (a training run's checkpoint, the samples already stored); it reports progress on the round as it goes.
/// </summary>
public interface IRoundStage
{
    RoundStageKind Kind { get; }

    Task<StageOutcome> RunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken);
}

/// <summary>A stage either finished (with what it made, in a line) or waits and wants to be run again after a while.</summary>
public sealed record StageOutcome(string? Summary, TimeSpan? CheckAgainIn)
{
    public static StageOutcome Finished(string summary) => new(summary, null);

    public static StageOutcome Waiting(TimeSpan checkAgainIn) => new(null, checkAgainIn);
}
