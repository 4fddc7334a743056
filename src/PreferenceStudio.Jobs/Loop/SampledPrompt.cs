namespace PreferenceStudio.Jobs.Loop;

/// <summary>One prompt of a round and the K samples the round's policy gave it.</summary>
public sealed record SampledPrompt(int PromptId, IReadOnlyList<RoundSample> Samples)
{
    /// <summary>
    /// The reward model's best sample and its worst among those that read differently (ties by id): the widest gap it
    /// sees, the one it is likeliest to have right. Null when every sample reads the same.
    /// </summary>
    public (RoundSample Best, RoundSample Worst)? BestVersusWorst(IReadOnlyDictionary<int, double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var ranked = Samples.OrderByDescending(s => scores[s.ResponseId]).ThenBy(s => s.ResponseId).ToList();
        var best = ranked[0];
        var worst = ranked.LastOrDefault(s => s.Text != best.Text);
        return worst is null ? null : (best, worst);
    }

    /// <summary>As <see cref="BestVersusWorst"/>, for a prompt known to have two different samples.</summary>
    public (RoundSample A, RoundSample B) BestAndWorst(IReadOnlyDictionary<int, double> scores) =>
        BestVersusWorst(scores) ?? throw new InvalidOperationException($"Prompt {PromptId}: every sample reads the same.");

    /// <summary>Two samples that read differently, chosen by <paramref name="random"/>.</summary>
    public (RoundSample A, RoundSample B) RandomPair(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var order = Samples.ToArray();
        random.Shuffle(order);
        var second = order.FirstOrDefault(s => s.Text != order[0].Text)
            ?? throw new InvalidOperationException($"Prompt {PromptId}: every sample reads the same.");
        return (order[0], second);
    }
}
