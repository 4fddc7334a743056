using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Tests.Training;

public class LineCurveTests
{
    private static Dictionary<int, double> Steps(int count) => Enumerable.Range(1, count).ToDictionary(s => s, s => 1.0 / s);

    [Fact]
    public void From_FewPoints_PlotsEveryStepAndWritesAtMostEightLabels()
    {
        var curve = LineCurve.From("loss", Steps(40), new Dictionary<int, double>());

        curve.PlottedPoints.ShouldBe(40);
        curve.Series.Data.Values.Count.ShouldBe(40);
        curve.Labels.Length.ShouldBe(40);
        curve.Labels.Count(l => l.Length > 0).ShouldBeLessThanOrEqualTo(LineCurve.AxisLabels + 1);
        curve.Labels[0].ShouldBe("1");
        curve.Labels[^1].ShouldBe("40");
        curve.HeldOut.ShouldBeNull();
    }

    [Fact]
    public void From_MoreThanTheLimit_ThinsToEveryNthStepKeepingTheLast()
    {
        var curve = LineCurve.From("loss", Steps(1001), new Dictionary<int, double>());

        curve.PlottedPoints.ShouldBeLessThanOrEqualTo(LineCurve.MaxPlotted + 1);
        curve.PlottedPoints.ShouldBeGreaterThan(LineCurve.MaxPlotted / 2);
        curve.Labels[0].ShouldBe("1");
        curve.Labels[^1].ShouldBe("1001");
    }

    [Fact]
    public void From_NonFiniteValue_LeavesAGapAtThatStep()
    {
        var curve = LineCurve.From("loss", new Dictionary<int, double> { [1] = 0.7, [2] = double.NaN, [3] = double.PositiveInfinity, [4] = 0.5 },
            new Dictionary<int, double>());

        curve.Series.Data.Points.Select(p => p.HasValue).ShouldBe([true, false, false, true]);
    }

    [Fact]
    public void From_HeldOutPoints_TakesTheLastOne()
    {
        var curve = LineCurve.From("loss", Steps(10), new Dictionary<int, double> { [5] = 0.6, [10] = 0.4 });

        curve.HeldOut.ShouldBe((10, 0.4));
    }
}
