using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Jobs;
using PreferenceStudio.Jobs.Loop;

namespace PreferenceStudio.Integration.Tests.Loop;

/// <summary>Rounds start on their own, by cron or by new labels, and never two at a time for one project.</summary>
public class RoundScheduleTests : LoopTest
{
    [Fact]
    public async Task Cron_EverySecond_StartsARoundAndNoSecondWhileItRuns()
    {
        // Only the default queue is served: the round stays queued, so every later firing finds it unfinished.
        await using var worker = await StartWorkerAsync(queues: JobQueues.Default);
        await SaveLoopAsync(Settings(humanShare: 0.5, enabled: true, cron: "* * * * * *"));

        var round = await WaitForAsync(db => db.LoopRounds.AsNoTracking().FirstOrDefaultAsync(r => r.ProjectId == ProjectId),
            "a round started by the schedule", TimeSpan.FromSeconds(90));
        round.StartedBy.ShouldBe(RoundLauncher.BySchedule);
        (round.Number, round.PolicyId, round.BasePolicyId).ShouldBe((1, BaseId, BaseId));
        await Task.Delay(TimeSpan.FromSeconds(4));
        await using (var db = Database.CreateContext())
            (await db.LoopRounds.CountAsync(r => r.ProjectId == ProjectId)).ShouldBe(1);
        Storage.GetMonitoringApi().SucceededJobs(0, 50)
            .ShouldContain(j => j.Value.Result != null && j.Value.Result.ToString()!.Contains("skipped: round: round 1 is still Queued", StringComparison.Ordinal));

        // Turned off, the schedule is gone.
        await SaveLoopAsync(Settings(humanShare: 0.5));
        using var connection = Storage.GetConnection();
        connection.GetRecurringJobs().ShouldNotContain(j => j.Id == LoopSettingsStore.RecurringId(ProjectId));
    }

    [Fact]
    public async Task LabelTrigger_EnoughNewLabels_StartsOneRoundThenWaitsForTheNextLabels()
    {
        await SaveLoopAsync(Settings(humanShare: 0.5, enabled: true, everyNewLabels: 3));
        await using var worker = await StartWorkerAsync(queues: JobQueues.Default);
        var jobs = App.Services.GetRequiredService<IBackgroundJobClient>();

        // No labels yet: nothing is due.
        var first = jobs.Enqueue<LoopLabelTriggerJob>(JobQueues.Default, j => j.RunAsync(null, CancellationToken.None));
        await Jobs.JobHistory.WaitForSuccessAsync(Storage, first, TimeSpan.FromSeconds(45));
        Jobs.JobHistory.Result(Storage, first).ShouldNotBeNull().ShouldContain("no loop due");

        await LabelSeedTasksAsync();  // three labels
        var second = jobs.Enqueue<LoopLabelTriggerJob>(JobQueues.Default, j => j.RunAsync(null, CancellationToken.None));
        await Jobs.JobHistory.WaitForSuccessAsync(Storage, second, TimeSpan.FromSeconds(45));
        await using var db = Database.CreateContext();
        var round = await db.LoopRounds.AsNoTracking().SingleAsync(r => r.ProjectId == ProjectId);
        (round.StartedBy, round.LabelsAtStart).ShouldBe((RoundLauncher.ByLabels, 3));

        // While it is unfinished (nobody serves the training queue), another firing starts nothing.
        var third = jobs.Enqueue<LoopLabelTriggerJob>(JobQueues.Default, j => j.RunAsync(null, CancellationToken.None));
        await Jobs.JobHistory.WaitForSuccessAsync(Storage, third, TimeSpan.FromSeconds(45));
        (await db.LoopRounds.CountAsync(r => r.ProjectId == ProjectId)).ShouldBe(1);
    }
}
