namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// Mean and standard deviation of every value seen so far, updated a batch at a time (Chan et al.'s parallel
/// update of Welford's algorithm), for PPO-max's reward scaling (Zheng et al. 2023, "Secrets of RLHF I", §5.3):
/// scores divided by the running standard deviation keep the same scale as the policy improves.
/// </summary>
public sealed class RunningMoments
{
    public double Mean { get; private set; }

    /// <summary>The unbiased standard deviation of all values so far; 1 before any.</summary>
    public double Std { get; private set; } = 1;

    public long Count { get; private set; }

    private double m2;  // Σ (x − mean)² over all values

    public void Update(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return;
        var n = values.Count;
        var batchMean = values.Average();
        var batchM2 = values.Sum(x => (x - batchMean) * (x - batchMean));
        var total = Count + n;
        var delta = batchMean - Mean;
        Mean += delta * n / total;
        m2 += batchM2 + delta * delta * Count * n / total;
        Count = total;
        Std = Count > 1 ? Math.Sqrt(m2 / (Count - 1)) : 1;
    }

    /// <summary>The state a checkpoint keeps: mean, Σ(x − mean)², count.</summary>
    public (double Mean, double M2, long Count) State => (Mean, m2, Count);

    public void Restore(double mean, double squaredDeviations, long count)
    {
        Mean = mean;
        m2 = squaredDeviations;
        Count = count;
        Std = Count > 1 ? Math.Sqrt(m2 / (Count - 1)) : 1;
    }
}
