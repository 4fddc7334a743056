using PreferenceStudio.Core.Training;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Tests.Training;

public class RunProgressTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_RunningHalfwayAfterTenMinutes_EstimatesTenMinutesLeft()
    {
        var progress = RunProgress.Of(RunState.Running, step: 20, total: 40, Start, Start.AddMinutes(10));

        progress.Percent.ShouldBe(50);
        progress.Remaining.ShouldBe(TimeSpan.FromMinutes(10));
        progress.Steps.ShouldBe("20 / 40");
        progress.RemainingText.ShouldBe("about 10 min left");
    }

    [Theory]
    [InlineData(RunState.Queued, 0, 0)]
    [InlineData(RunState.Running, 0, 40)]
    [InlineData(RunState.Succeeded, 40, 40)]
    [InlineData(RunState.Cancelled, 12, 40)]
    public void Of_NotRunningOrNoStepYet_HasNoEstimate(RunState state, int step, int total)
    {
        var progress = RunProgress.Of(state, step, total, Start, Start.AddMinutes(5));

        progress.Remaining.ShouldBeNull();
        progress.RemainingText.ShouldBeNull();
    }

    [Fact]
    public void Of_StepsNotCountedYet_ShowsDashesAndAnEmptyBar()
    {
        var progress = RunProgress.Of(RunState.Running, 0, 0, null, Start);

        (progress.Steps, progress.Percent).ShouldBe(("– / –", 0.0));
    }

    [Theory]
    [InlineData(1, 3, "about 3 s left")]
    [InlineData(30, 4, "about 2 min left")]
    [InlineData(3600, 2, "about 2 h left")]
    public void RemainingText_ByDuration_SpeaksInTheFittingUnit(int secondsPerStep, int stepsLeft, string expected)
    {
        var progress = RunProgress.Of(RunState.Running, 1, 1 + stepsLeft, Start, Start.AddSeconds(secondsPerStep));

        progress.RemainingText.ShouldBe(expected);
    }
}
