namespace PreferenceStudio.Jobs.Training;

/// <summary>How a run's snapshot is split into training and held-out examples.</summary>
public static class SnapshotSplit
{
    /// <summary>
    /// The same examples held out for the same seed, so runs with one config are comparable, and a page can tell
    /// which examples a run held out from its snapshot and config.
    /// </summary>
    public static (List<TExample> Train, List<TExample> Eval) Split<TExample>(List<TExample> examples, double evalShare, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var order = Enumerable.Range(0, examples.Count).ToArray();
        new Random((int)(seed % int.MaxValue)).Shuffle(order);
        var evalCount = (int)Math.Round(examples.Count * evalShare);
        return (order.Skip(evalCount).Select(i => examples[i]).ToList(), order.Take(evalCount).Select(i => examples[i]).ToList());
    }
}
