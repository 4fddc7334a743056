using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Jobs;
using PreferenceStudio.Jobs.Loop;

namespace PreferenceStudio.Integration.Tests.Loop;

/// <summary>A round outlives the worker that ran it, and a researcher can stop it in the middle of a stage.</summary>
public class RoundRecoveryTests : LoopTest
{
    [Fact]
    public async Task Round_WorkerProcessKilledMidDpo_AnotherNodeResumesTheRunFromItsCheckpointAndFinishesTheRound()
    {
        const int saveSteps = 2;
        await LabelSeedTasksAsync();
        // No people in this round: it goes straight from samples to DPO, which is long enough to be killed in.
        await SaveLoopAsync(Settings(humanShare: 0, dpo: QuickDpo with { Trainer = QuickDpo.Trainer with { Epochs = 100 }, SaveSteps = saveSteps }));
        using var doomed = WorkerProcess.Start(Database.ConnectionString, storageRoot: Store);
        var started = await StartRoundAsync();

        // Generous: the doomed node is a fresh process that loads libtorch and trains a reward model before DPO starts.
        var dpo = await WaitForAsync(db => db.TrainingRuns.AsNoTracking()
            .FirstOrDefaultAsync(r => r.RoundId == started.Id && r.Kind == TrainingKind.Dpo && r.Step > saveSteps), "a DPO step past the first checkpoint");
        doomed.Kill();
        var killedAt = DateTimeOffset.UtcNow;

        await using var survivor = await StartWorkerAsync();
        var round = await WaitForRoundAsync(started.Id, [RoundState.Succeeded, RoundState.Failed, RoundState.Cancelled], TimeSpan.FromMinutes(6));

        round.State.ShouldBe(RoundState.Succeeded, await DescribeRoundAsync(round.Id));
        await using var db = Database.CreateContext();
        // The same run, finished by the survivor, resumed and not started over.
        var run = await db.TrainingRuns.SingleAsync(r => r.RoundId == round.Id && r.Kind == TrainingKind.Dpo);
        run.Id.ShouldBe(dpo.Id);
        (run.State, run.Node).ShouldBe((RunState.Succeeded, survivor.InstanceId));
        dpo.Node.ShouldNotBe(survivor.InstanceId);
        var losses = await db.RunMetrics.Where(m => m.RunId == run.Id && m.Key == "loss").OrderBy(m => m.Step).ToListAsync();
        losses.Select(m => m.Step).ShouldBe(Enumerable.Range(1, run.TotalSteps));
        losses.Where(m => m.Step <= saveSteps).ShouldAllBe(m => m.RecordedAt < killedAt);
        round.Stages.Single(s => s.Kind == RoundStageKind.Dpo).RunId.ShouldBe(run.Id);
        (await db.ModelVersions.CountAsync(m => m.RoundId == round.Id)).ShouldBe(1);
        // Every sample once: the sample stage ran before the kill and is not run again.
        (await db.Responses.CountAsync(r => r.Source == $"round 1 · policy {BaseId}")).ShouldBe(4 * 2);
    }

    [Fact]
    public async Task CancelAsync_MidRewardModelStage_EndsTheRoundAndItsRunCancelled()
    {
        await LabelSeedTasksAsync();
        await SaveLoopAsync(Settings(humanShare: 0.5, reward: QuickReward with { Trainer = QuickReward.Trainer with { Epochs = 5000 } }));
        await using var worker = await StartWorkerAsync();
        var started = await StartRoundAsync();
        var training = await WaitForAsync(db => db.TrainingRuns.AsNoTracking()
            .FirstOrDefaultAsync(r => r.RoundId == started.Id && r.Kind == TrainingKind.RewardModel && r.Step > 0), "a step of the round's reward model");

        await using (var scope = App.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<RoundLauncher>().CancelAsync(started.Id, CancellationToken.None)).ShouldBeTrue();

        // The round's job is deleted, its token stops the trainer: the step count stands still.
        await Task.Delay(TimeSpan.FromSeconds(5));
        int StepNow() { using var db = Database.CreateContext(); return db.TrainingRuns.AsNoTracking().Single(r => r.Id == training.Id).Step; }
        var stoppedAt = StepNow();
        await Task.Delay(TimeSpan.FromSeconds(3));
        StepNow().ShouldBe(stoppedAt, "the worker must have stopped training");
        await using var read = Database.CreateContext();
        var round = await read.LoopRounds.SingleAsync(r => r.Id == started.Id);
        round.State.ShouldBe(RoundState.Cancelled);
        round.Stages.ShouldHaveSingleItem().IsFinished.ShouldBeFalse();
        var run = await read.TrainingRuns.SingleAsync(r => r.Id == training.Id);
        (run.State, run.OutputModelVersionId).ShouldBe((RunState.Cancelled, null));
        run.Step.ShouldBeLessThan(run.TotalSteps);
        (await read.LoopSettings.SingleAsync(s => s.ProjectId == ProjectId)).PolicyId.ShouldBe(BaseId);
        JobHistory.CurrentState(Storage, round.JobId!).ShouldBe("Deleted");
    }
}
