using System.Globalization;
using MudBlazor;

namespace PreferenceStudio.Web.Training;

/// <summary>
/// One training curve as MudChart's line chart takes it: a label per plotted step (most left blank, so the axis stays
/// readable) and one series aligned with them, plus the held-out value measured at the end, shown beside the chart.
/// </summary>
public sealed record LineCurve(string Name, string[] Labels, ChartSeries<double> Series, int PlottedPoints, (int Step, double Value)? HeldOut)
{
    /// <summary>
    /// More points than this are thinned to every n-th step (the last one always kept): an SVG path with thousands of
    /// points redrawn on every push costs the browser and the circuit more than it shows.
    /// </summary>
    public const int MaxPlotted = 400;

    /// <summary>At most this many step numbers are written under the axis.</summary>
    public const int AxisLabels = 8;

    public static LineCurve From(string name, IReadOnlyDictionary<int, double> training, IReadOnlyDictionary<int, double> heldOut)
    {
        var steps = Thin(training.Keys.Order().ToList());
        var labelEvery = Math.Max(1, (int)Math.Ceiling(steps.Count / (double)AxisLabels));
        var labels = steps.Select((step, i) => i % labelEvery == 0 || i == steps.Count - 1 ? step.ToString(CultureInfo.InvariantCulture) : "").ToArray();
        // A diverged run logs NaN or infinity: such a step is drawn as a gap.
        var values = steps.Select(step => double.IsFinite(training[step]) ? training[step] : (double?)null).ToArray();
        (int Step, double Value)? last = heldOut.Count == 0 ? null : (heldOut.Keys.Max(), heldOut[heldOut.Keys.Max()]);
        return new LineCurve(name, labels, new ChartSeries<double> { Name = name, Data = values }, steps.Count, last);
    }

    private static List<int> Thin(List<int> steps)
    {
        if (steps.Count <= MaxPlotted)
            return steps;
        var every = (int)Math.Ceiling(steps.Count / (double)MaxPlotted);
        var kept = steps.Where((_, i) => i % every == 0).ToList();
        if (kept[^1] != steps[^1])
            kept.Add(steps[^1]);
        return kept;
    }
}
