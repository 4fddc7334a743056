using PreferenceStudio.Core.Training;
using static PreferenceStudio.Core.Tests.Builders;

namespace PreferenceStudio.Core.Tests;

public class TrainingRunTests
{
    private static TrainingRun Run() => new(TrainingKind.Dpo, "{}", "researcher");

    [Fact]
    public void Start_FinishedRun_IsRefused()
    {
        var run = Run();
        run.Start("node-a", 10, T0);
        run.Succeed(T0.AddMinutes(1));
        Should.Throw<DomainException>(() => run.Start("node-b", 10, T0.AddMinutes(2)));
    }

    [Fact]
    public void Start_RunningRunOnAnotherNode_TakesItOverKeepingTheFirstStart()
    {
        var run = Run();
        run.Start("node-a", 10, T0);
        run.Start("node-b", 10, T0.AddMinutes(5));
        run.Node.ShouldBe("node-b");
        run.StartedAt.ShouldBe(T0);
    }

    [Fact]
    public void ReportProgress_QueuedRun_IsRefused() => Should.Throw<DomainException>(() => Run().ReportProgress(1));

    [Fact]
    public void ReportProgress_BeyondTotal_IsRefused()
    {
        var run = Run();
        run.Start("node-a", 10, T0);
        run.ReportProgress(5);
        run.Progress.ShouldBe(0.5);
        Should.Throw<DomainException>(() => run.ReportProgress(11));
    }

    [Fact]
    public void Succeed_QueuedRun_IsRefused() => Should.Throw<DomainException>(() => Run().Succeed(T0));

    [Fact]
    public void Fail_KeepsTheError()
    {
        var run = Run();
        run.Fail("out of memory", T0);
        run.State.ShouldBe(RunState.Failed);
        run.Error.ShouldBe("out of memory");
        Should.Throw<DomainException>(() => run.Cancel(T0));
    }
}
