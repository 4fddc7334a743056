namespace PreferenceStudio.Annotating.Simulation;

/// <summary>
/// A policy's win-rate against another, judged by a simulated annotator: each candidate response is compared with
/// the other policy's response to the same prompt, one noisy judgement per pair. Texts only, so the loop's engine
/// and the library demo judge the same way whatever stored the responses.
/// </summary>
public sealed class WinRateJudge(BradleyTerryJudge judge)
{
    /// <summary>How often <paramref name="candidate"/>[i] is preferred to <paramref name="baseline"/>[i].</summary>
    public WinRate Judge(IReadOnlyList<string> candidate, IReadOnlyList<string> baseline)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        if (candidate.Count != baseline.Count)
            throw new ArgumentException($"candidate has {candidate.Count} responses and baseline {baseline.Count}: each needs its opponent", nameof(baseline));
        var wins = candidate.Zip(baseline).Count(pair => judge.Prefers(pair.First, pair.Second));
        return new WinRate(wins, candidate.Count);
    }

    /// <summary>The win-rate the judge's noise would give on average over these same pairs (the mean of
    /// P(candidate ≻ baseline)): the number <see cref="Judge"/> estimates, without its sampling noise.</summary>
    public double ExpectedShare(IReadOnlyList<string> candidate, IReadOnlyList<string> baseline)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        return candidate.Count == 0 ? double.NaN : candidate.Zip(baseline).Average(pair => judge.Probability(pair.First, pair.Second));
    }
}
