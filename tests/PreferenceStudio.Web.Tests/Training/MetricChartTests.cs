using Bunit;
using PreferenceStudio.Web.Components.Pages.Training;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Tests.Training;

public class MetricChartTests : ComponentTest
{
    private static LineCurve Curve(int steps, params (int Step, double Value)[] heldOut) => LineCurve.From(
        "loss", Enumerable.Range(1, steps).ToDictionary(s => s, s => 1.0 / s), heldOut.ToDictionary(p => p.Step, p => p.Value));

    [Fact]
    public void Render_NoPointsYet_SaysSoAndDrawsNoChart()
    {
        var chart = Render<MetricChart>(p => p.Add(c => c.Title, "Loss").Add(c => c.TestId, "loss").Add(c => c.Curve, Curve(0)));

        chart.Find("[data-testid=chart-loss]").GetAttribute("data-points").ShouldBe("0");
        chart.Find("[data-testid=no-chart-loss]").TextContent.ShouldContain("No points yet");
        chart.FindAll("svg path").ShouldBeEmpty();
    }

    [Fact]
    public void Render_PointsAndHeldOut_DrawsTheLineAndNamesTheHeldOutValue()
    {
        var chart = Render<MetricChart>(p => p.Add(c => c.Title, "Loss").Add(c => c.TestId, "loss").Add(c => c.Curve, Curve(12, (12, 0.4321))));

        chart.Find("[data-testid=chart-loss]").GetAttribute("data-points").ShouldBe("12");
        chart.FindAll("svg").ShouldNotBeEmpty();
        chart.FindAll("[data-testid=no-chart-loss]").ShouldBeEmpty();
        chart.Find("[data-testid=held-out-loss]").TextContent.ShouldContain("0.432");
    }

    [Fact]
    public void Render_NewCurve_RedrawsWithTheNewCount()
    {
        var chart = Render<MetricChart>(p => p.Add(c => c.Title, "Loss").Add(c => c.TestId, "loss").Add(c => c.Curve, Curve(3)));

        chart.Render(p => p.Add(c => c.Curve, Curve(7)));

        chart.Find("[data-testid=chart-loss]").GetAttribute("data-points").ShouldBe("7");
    }
}
