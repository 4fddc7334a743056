using PreferenceStudio.Core.Loop;
using PreferenceStudio.Web.Components.Pages.Loop;
using PreferenceStudio.Web.Loop;

namespace PreferenceStudio.Web.Tests.Loop;

/// <summary>A round's stages as its page shows them, from rounds driven through the domain's own transitions.</summary>
public class RoundViewsTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static LoopRound Round() => new(projectId: 1, number: 2, "{}", policyId: 5, basePolicyId: 3, "researcher@test.local", 40, Now);

    /// <summary>A round whose first three stages finished and whose DPO stage trains run 9, 3 of 12 steps in.</summary>
    private static LoopRound InDpo()
    {
        var round = Round();
        foreach (var kind in new[] { RoundStageKind.RewardModel, RoundStageKind.Sample, RoundStageKind.Pairs })
        {
            round.EnterStage(kind, Now);
            round.FinishStage($"{kind} <b>done</b>", Now.AddMinutes(1));
        }
        round.EnterStage(RoundStageKind.Dpo, Now.AddMinutes(2));
        round.ReportProgress(3, 12);
        round.AttachRun(9);
        return round;
    }

    [Fact]
    public void Of_QueuedRound_EveryStagePendingInTheOrderTheyRun()
    {
        var stages = RoundStageView.Of(Round());

        stages.Select(s => s.Kind).ShouldBe(Enum.GetValues<RoundStageKind>());
        stages.ShouldAllBe(s => s.Status == StageStatus.Pending && s.Percent == null && s.RunId == null);
    }

    [Fact]
    public void Of_RoundInDpo_FinishedStagesDoneTheCurrentRunningWithItsProgressAndRun()
    {
        var stages = RoundStageView.Of(InDpo());

        stages.Select(s => s.Status).ShouldBe([StageStatus.Done, StageStatus.Done, StageStatus.Done, StageStatus.Running, StageStatus.Pending]);
        var dpo = stages[3];
        (dpo.Done, dpo.Total, dpo.Percent, dpo.RunId).ShouldBe((3, 12, 25.0, 9L));
        stages[1].Summary.ShouldBe("Sample <b>done</b>");
    }

    [Fact]
    public void Of_PairsWithPeople_PairsStageWaitsForLabels()
    {
        var round = Round();
        round.EnterStage(RoundStageKind.RewardModel, Now);
        round.FinishStage("rm", Now);
        round.EnterStage(RoundStageKind.Sample, Now);
        round.FinishStage("samples", Now);
        round.EnterStage(RoundStageKind.Pairs, Now);
        round.WaitForLabels(8, Now.AddHours(24));

        RoundStageView.Of(round)[2].Status.ShouldBe(StageStatus.WaitingForLabels);
    }

    [Fact]
    public void Of_CancelledInDpo_TheStageThatRanIsStoppedTheRestPending()
    {
        var round = InDpo();
        round.Cancel(Now.AddMinutes(3));

        RoundStageView.Of(round).Select(s => s.Status)
            .ShouldBe([StageStatus.Done, StageStatus.Done, StageStatus.Done, StageStatus.Stopped, StageStatus.Pending]);
    }

    [Fact]
    public void RoundStageList_RoundInDpo_ShowsEachStatusProgressRunLinkAndSummaryAsText()
    {
        var list = Render<RoundStageList>(p => p.Add(c => c.Stages, RoundStageView.Of(InDpo())));

        list.Find("[data-testid=stage-Dpo]").GetAttribute("data-status").ShouldBe("Running");
        list.Find("[data-testid=stage-Evaluate]").GetAttribute("data-status").ShouldBe("Pending");
        list.Find("[data-testid=stage-Dpo-progress]").TextContent.Trim().ShouldBe("3 of 12");
        list.Find("[data-testid=stage-Dpo-run]").GetAttribute("href").ShouldBe("/training/9");
        list.FindAll("[data-testid=stage-Evaluate-progress]").ShouldBeEmpty();
        // A summary is text: its markup is shown, never made.
        list.Find("[data-testid=stage-Sample-summary]").TextContent.ShouldBe("Sample <b>done</b>");
        list.Find("[data-testid=stage-Sample-summary]").QuerySelector("b").ShouldBeNull();
    }

    [Fact]
    public void RoundCharts_RoundsOutOfOrder_OneLabelPerRoundAndAGapWhereNothingWasMeasured()
    {
        var charts = RoundCharts.From([
            new RoundPoint(2, 0.71, null, null),
            new RoundPoint(1, 0.64, 0.58, 0.58),
        ]);

        charts.Labels.ShouldBe(["1", "2"]);
        charts.Series.Select(s => s.Name).ShouldBe([RoundCharts.RewardAccuracy, RoundCharts.WinRateVsPrevious, RoundCharts.WinRateVsBase]);
        charts.Series[0].Data.Points.Select(p => p.HasValue ? p.Y : (double?)null).ShouldBe(new double?[] { 0.64, 0.71 });
        charts.Series[1].Data.Points.Select(p => p.HasValue ? p.Y : (double?)null).ShouldBe(new double?[] { 0.58, null });
        charts.IsEmpty.ShouldBeFalse();
        RoundCharts.From([new RoundPoint(1, null, null, null)]).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void RoundMetricsTable_Rounds_WritesEveryMeasureBesideTheChart()
    {
        var table = Render<RoundMetricsTable>(p => p.Add(c => c.Rounds, [new RoundPoint(1, 0.6444, 0.5, null)]));

        table.Find("[data-testid=round-metrics-1]").TextContent.ShouldContain("0.644");
        table.Find("[data-testid=round-metrics-1]").TextContent.ShouldContain("0.500");
        table.Find("[data-testid=round-metrics-1]").TextContent.ShouldContain("–");
    }

    [Fact]
    public void MetricEntries_WinRatesAndJudge_ReadAsSharesWithTheirIntervals()
    {
        const string json = """{"vs_previous": {"wins": 2.5, "judged": 3, "share": 0.8333, "low": 0.4385, "high": 1}, "judge": "the round's reward model", "eval_prompts": 3, "other": {"a": 1}}""";

        var entries = MetricEntries.Of(json);

        entries.ShouldBe([
            ("vs_previous", "83.3 %: 2.5 of 3 won (ties count half), 95 % interval [43.9 %, 100.0 %]"),
            ("judge", "the round's reward model"),
            ("eval_prompts", "3"),
            ("other", "a 1"),
        ]);
    }

    [Fact]
    public void MetricEntries_NotAnObject_IsEmpty()
    {
        MetricEntries.Of("[1, 2]").ShouldBeEmpty();
        MetricEntries.Of("not json").ShouldBeEmpty();
    }
}
