namespace PreferenceStudio.Web.Training;

/// <summary>One stored point of a run's metric series; the id grows with every point written.</summary>
public sealed record MetricPoint(long Id, string Key, int Step, double Value);

/// <summary>
/// A run's charted series as its page holds them between pushes: each key's values by step. Points arrive in batches
/// (<see cref="Add"/>); a step written again (a run resumed from a checkpoint repeats the steps after it) keeps the
/// newer value.
/// </summary>
public sealed class RunCurves
{
    private readonly Dictionary<string, SortedDictionary<int, double>> _series =
        MetricKeys.Charted.ToDictionary(key => key, _ => new SortedDictionary<int, double>());

    /// <summary>The newest point taken: the next read asks only for points after it.</summary>
    public long LastPointId { get; private set; }

    /// <summary>The highest training step seen.</summary>
    public int LastStep => _series[MetricKeys.Loss].Count == 0 ? 0 : _series[MetricKeys.Loss].Keys.Max();

    public void Add(IEnumerable<MetricPoint> points)
    {
        foreach (var point in points)
        {
            if (_series.TryGetValue(point.Key, out var series))
                series[point.Step] = point.Value;
            LastPointId = Math.Max(LastPointId, point.Id);
        }
    }

    public LineCurve Loss => LineCurve.From(MetricKeys.Loss, _series[MetricKeys.Loss], _series[MetricKeys.EvalLoss]);

    public LineCurve Accuracy => LineCurve.From(MetricKeys.Accuracy, _series[MetricKeys.Accuracy], _series[MetricKeys.EvalAccuracy]);
}
