using PreferenceStudio.Core.Loop;
using static PreferenceStudio.Core.Tests.Builders;

namespace PreferenceStudio.Core.Tests.Loop;

public class LoopRoundTests
{
    private static LoopRound NewRound() => new(projectId: 1, number: 1, "{}", policyId: 5, basePolicyId: 2, "someone", labelsAtStart: 10, T0);

    private static LoopRound ThroughStage(RoundStageKind last)
    {
        var round = NewRound();
        for (var kind = RoundStageKind.RewardModel; kind <= last; kind++)
        {
            round.EnterStage(kind, T0);
            round.FinishStage($"{kind} done", T0);
        }
        return round;
    }

    [Fact]
    public void Constructor_New_IsQueuedWithItsPolicyAsReference()
    {
        var round = NewRound();
        round.State.ShouldBe(RoundState.Queued);
        round.ReferenceId.ShouldBe(5);
        round.NextStage.ShouldBe(RoundStageKind.RewardModel);
    }

    [Fact]
    public void EnterStage_OutOfOrder_IsRefusedNamingTheNextStage() =>
        Should.Throw<DomainException>(() => NewRound().EnterStage(RoundStageKind.Dpo, T0)).Message.ShouldContain("RewardModel");

    [Fact]
    public void EnterStage_UnfinishedStageAgain_ResumesTheSameStage()
    {
        var round = NewRound();
        var first = round.EnterStage(RoundStageKind.RewardModel, T0);
        round.ReportProgress(3, 10);
        var again = round.EnterStage(RoundStageKind.RewardModel, T0.AddMinutes(5));
        again.ShouldBeSameAs(first);
        again.Done.ShouldBe(3);
        round.Stages.Count.ShouldBe(1);
    }

    [Fact]
    public void FinishStage_Last_LeavesNoNextStage()
    {
        var round = ThroughStage(RoundStageKind.Evaluate);
        round.NextStage.ShouldBeNull();
        round.Stages.Select(s => s.Kind).ShouldBe(Enum.GetValues<RoundStageKind>());
    }

    [Fact]
    public void ReportProgress_BeyondTotal_IsRefused()
    {
        var round = NewRound();
        round.EnterStage(RoundStageKind.RewardModel, T0);
        Should.Throw<DomainException>(() => round.ReportProgress(11, 10));
    }

    [Fact]
    public void WaitForLabels_OutsideThePairsStage_IsRefused()
    {
        var round = NewRound();
        round.EnterStage(RoundStageKind.RewardModel, T0);
        Should.Throw<DomainException>(() => round.WaitForLabels(4, T0.AddHours(1))).Message.ShouldContain("Pairs");
    }

    [Fact]
    public void WaitForLabels_InPairs_WaitsUntilTheStageFinishes()
    {
        var round = ThroughStage(RoundStageKind.Sample);
        round.EnterStage(RoundStageKind.Pairs, T0);
        round.WaitForLabels(4, T0.AddHours(1));
        round.State.ShouldBe(RoundState.WaitingForLabels);
        round.RecordLabelled(4);
        round.FinishStage("4 human pairs", T0);
        round.State.ShouldBe(RoundState.Running);
    }

    [Fact]
    public void RecordLabelled_MoreThanItsTasks_IsRefused()
    {
        var round = ThroughStage(RoundStageKind.Sample);
        round.EnterStage(RoundStageKind.Pairs, T0);
        round.WaitForLabels(2, T0.AddHours(1));
        Should.Throw<DomainException>(() => round.RecordLabelled(3));
    }

    [Fact]
    public void Succeed_WithoutANewPolicy_IsRefused() =>
        Should.Throw<DomainException>(() => ThroughStage(RoundStageKind.Evaluate).Succeed(T0));

    [Fact]
    public void Succeed_AfterEvaluateWithAPolicy_Succeeds()
    {
        var round = ThroughStage(RoundStageKind.Evaluate);
        round.RecordPolicy(9);
        round.Succeed(T0);
        round.State.ShouldBe(RoundState.Succeeded);
        round.FinishedAt.ShouldBe(T0);
    }

    [Fact]
    public void Cancel_Finished_IsRefused()
    {
        var round = NewRound();
        round.Cancel(T0);
        Should.Throw<DomainException>(() => round.Cancel(T0)).Message.ShouldContain("Cancelled");
        Should.Throw<DomainException>(() => round.EnterStage(RoundStageKind.RewardModel, T0));
    }

    [Theory]
    [InlineData(1.2, 0.5)]
    [InlineData(0.5, -0.1)]
    public void RecordWinRates_OutsideZeroToOne_IsRefused(double vsPrevious, double vsBase) =>
        Should.Throw<DomainException>(() => NewRound().RecordWinRates(vsPrevious, vsBase, "{}"));
}
