using System.Text.Json;

namespace PreferenceStudio.Web.Training;

public sealed record MetricPoint(string Key, int Step, double Value);

/// <summary>
/// A run's curves in the shape wwwroot/js/charts.js draws: {"x": [steps], "series": [{"label", "values", "points"?}]}.
/// Null when the run has no training point of that curve yet, so the page can say so instead of drawing an empty chart.
/// </summary>
public sealed record RunCharts(string? LossJson, string? AccuracyJson)
{
    public static RunCharts From(IReadOnlyCollection<MetricPoint> points) => new(
        Chart(points, MetricKeys.Loss, MetricKeys.EvalLoss),
        Chart(points, MetricKeys.Accuracy, MetricKeys.EvalAccuracy));

    /// <summary>
    /// The training curve and, once the run has finished, its held-out value: one point at the last step, drawn as a
    /// dot since a single point makes no line.
    /// </summary>
    private static string? Chart(IReadOnlyCollection<MetricPoint> points, string trainKey, string evalKey)
    {
        var train = points.Where(p => p.Key == trainKey).ToList();
        if (train.Count == 0)
            return null;
        var eval = points.Where(p => p.Key == evalKey).ToList();
        // uPlot wants one x axis for all series: the union of steps, each series null where it has no point.
        var steps = train.Concat(eval).Select(p => p.Step).Distinct().Order().ToList();
        var series = new List<object> { new { label = trainKey, values = Align(steps, train) } };
        if (eval.Count > 0)
            series.Add(new { label = evalKey, values = Align(steps, eval), points = true });
        // System.Text.Json escapes <, > and & by default, so this JSON cannot close the script element it sits in.
        return JsonSerializer.Serialize(new { x = steps, series });
    }

    // A diverged run logs NaN or infinity, which JSON cannot carry: such a step is drawn as a gap.
    private static double?[] Align(List<int> steps, List<MetricPoint> points)
    {
        var byStep = points.GroupBy(p => p.Step).ToDictionary(g => g.Key, g => g.Last().Value);
        return steps.Select(s => byStep.TryGetValue(s, out var v) && double.IsFinite(v) ? v : (double?)null).ToArray();
    }
}
