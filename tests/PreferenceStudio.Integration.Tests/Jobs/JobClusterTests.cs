using System.Diagnostics;
using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Jobs;

/// <summary>The web app enqueues into Hangfire's PostgreSQL storage; separate worker hosts and processes run the jobs.</summary>
public class JobClusterTests : WebAppTest
{
    private JobStorage Storage => App.Services.GetRequiredService<JobStorage>();
    private IBackgroundJobClient Jobs => App.Services.GetRequiredService<IBackgroundJobClient>();

    private async Task<long> SeedAbandonedLeaseAsync()
    {
        await using var db = Database.CreateContext();
        var (_, _, task) = await Seed.PairwiseTaskAsync(db, slug: "jobs");
        var user = await db.Users.FirstAsync();
        var lease = new Assignment(task.Id, user.Id, slot: 1, DateTimeOffset.UtcNow.AddHours(-2), TimeSpan.FromMinutes(30));
        db.Assignments.Add(lease);
        await db.SaveChangesAsync();
        return lease.Id;
    }

    private string EnqueueDrill(int seconds) =>
        Jobs.Enqueue<ClusterDrillJob>(JobQueues.Default, j => j.RunAsync(seconds, null, CancellationToken.None));

    [Fact]
    public async Task TriggerFromWebApp_WorkerRunning_WorkerRunsItAndHangfireKeepsTheResult()
    {
        var leaseId = await SeedAbandonedLeaseAsync();
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString);
        var admin = await SignedInAsync("Admin");

        using var trigger = new HttpRequestMessage(HttpMethod.Post, "/api/admin/jobs/expire-leases/trigger");
        trigger.Headers.Add("RequestVerificationToken", await admin.AntiforgeryTokenAsync());
        (await admin.SendAsync(trigger)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await WaitForAsync(db => db.Assignments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == leaseId && a.State == AssignmentState.Expired),
            "the abandoned lease expired");
        var succeeded = await WaitForAsync(_ => Task.FromResult<string?>(Storage.GetMonitoringApi().SucceededJobs(0, 10)
            .FirstOrDefault(j => j.Value.Result?.ToString()?.Contains("expired 1 lease(s)", StringComparison.Ordinal) == true).Key), "the sweep's result in Hangfire");
        JobHistory.ProcessedBy(Storage, succeeded).ShouldHaveSingleItem().ShouldStartWith(worker.InstanceId);

        var status = await admin.GetStringAsync("/api/admin/jobs");
        status.ShouldContain(worker.InstanceId);
        status.ShouldContain(ExpireLeasesJob.RecurringId);
        status.ShouldContain(FileCleanupJob.RecurringId);
    }

    [Fact]
    public async Task FailingJob_RunOnAWorker_FailsOnceWithoutItsHalfDoneWritesAndTheWorkerGoesOn()
    {
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString);

        var failing = Jobs.Enqueue<FailingJob>(JobQueues.Default, j => j.RunAsync(null, CancellationToken.None));
        (await JobHistory.WaitForStateAsync(Storage, failing, ["Failed", "Succeeded"], TimeSpan.FromSeconds(45))).ShouldBe("Failed");

        // A deterministic failure is not retried: one attempt, and the failure kept for the admin page and dashboard.
        JobHistory.ProcessedBy(Storage, failing).Count.ShouldBe(1);
        var failure = Storage.GetMonitoringApi().FailedJobs(0, 10).ShouldHaveSingleItem();
        failure.Key.ShouldBe(failing);
        failure.Value.ExceptionMessage.ShouldBe("boom");
        await using (var db = Database.CreateContext())
            (await db.ModelVersions.AnyAsync()).ShouldBeFalse("the failed job's unsaved work must not be saved with its failure");
        var admin = await SignedInAsync("Admin");
        (await admin.GetStringAsync("/admin/jobs")).ShouldContain("InvalidOperationException: boom");

        var next = EnqueueDrill(1);
        await JobHistory.WaitForSuccessAsync(Storage, next, TimeSpan.FromSeconds(45));
        JobHistory.Result(Storage, next).ShouldNotBeNull().ShouldContain(worker.InstanceId);
    }

    [Fact]
    public async Task TransientErrorInAJob_RunOnAWorker_IsRetriedAndTheRetrySucceeds()
    {
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString);

        var flaky = Jobs.Enqueue<FlakyJob>(JobQueues.Default, j => j.RunAsync(null, CancellationToken.None));

        await JobHistory.WaitForSuccessAsync(Storage, flaky, TimeSpan.FromSeconds(60));
        JobHistory.ProcessedBy(Storage, flaky).Count.ShouldBe(2);
        JobHistory.States(Storage, flaky).ShouldContain(s => s.StateName == "Scheduled" && s.Reason.Contains("Retry attempt 1"));
    }

    [Fact]
    public async Task WorkerStart_StaleRecurringJobInTheStore_IsRemovedAndProjectSchedulesAreKept()
    {
        var recurring = App.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<ClusterDrillJob>("renamed-long-ago", j => j.RunAsync(1, null, CancellationToken.None), Cron.Yearly());
        recurring.AddOrUpdate<ClusterDrillJob>(ProjectSchedules.RetrainId(42), j => j.RunAsync(1, null, CancellationToken.None), Cron.Yearly());

        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString);

        using var connection = Storage.GetConnection();
        connection.GetRecurringJobs().Select(j => j.Id).Order().ShouldBe(
            new[] { ExpireLeasesJob.RecurringId, FileCleanupJob.RecurringId, PreferenceStudio.Jobs.Loop.LoopLabelTriggerJob.RecurringId, ProjectSchedules.RetrainId(42) }.Order());
    }

    [Fact]
    public async Task WorkerStart_AnotherHostSetUpHangfireInTheProcessMeanwhile_RunsItsJobsOnItsOwnServices()
    {
        // Hangfire keeps one job activator per process (JobActivator.Current), set by each host's AddHangfire when that
        // host's Hangfire configuration is first resolved. A starting server that read it after another host in the
        // process had set it ran its jobs on that host's services, and on a disposed host every job failed at once.
        await using var worker = WorkerNode.Build(Database.ConnectionString);
        worker.Services.GetRequiredService<IGlobalConfiguration>();
        await using (var other = WorkerNode.Build(Database.ConnectionString))
            other.Services.GetRequiredService<IGlobalConfiguration>();
        await worker.StartAsync();

        var drill = EnqueueDrill(1);

        await JobHistory.WaitForSuccessAsync(Storage, drill, TimeSpan.FromSeconds(45));
        JobHistory.Result(Storage, drill).ShouldNotBeNull().ShouldContain(worker.InstanceId);
    }

    [Fact]
    public async Task WorkerProcessKilledMidJob_AnotherWorkerRunning_TakesTheJobOverAfterTheInvisibilityTimeout()
    {
        var invisibility = TimeSpan.FromSeconds(8);
        using var doomed = WorkerProcess.Start(Database.ConnectionString, invisibility: invisibility);
        var drill = EnqueueDrill(15);
        var doomedServer = await WaitForAsync(_ => Task.FromResult(JobHistory.ProcessedBy(Storage, drill) is [var server, ..] ? server : null), "the doomed worker taking the drill");
        doomed.Kill();
        var killedAt = Stopwatch.StartNew();

        await using var survivor = await WorkerNode.StartAsync(Database.ConnectionString, invisibility: invisibility);
        var took = await WaitForAsync(_ => Task.FromResult(JobHistory.ProcessedBy(Storage, drill) is [_, var server, ..] ? server : null), "another worker taking the drill over");
        var delay = killedAt.Elapsed;
        await JobHistory.WaitForSuccessAsync(Storage, drill, TimeSpan.FromSeconds(45));

        doomedServer.ShouldNotStartWith(survivor.InstanceId);
        took.ShouldStartWith(survivor.InstanceId);
        // Run by the survivor's own services (the drill names its node), not by another host's in this process.
        JobHistory.Result(Storage, drill).ShouldNotBeNull().ShouldContain(survivor.InstanceId);
        JobHistory.ProcessedBy(Storage, drill).Count.ShouldBe(2);
        // Taken over once the dead worker's hold ran out (plus a poll or two), not after Hangfire's default 30 minutes.
        delay.ShouldBeLessThan(invisibility * 3);
    }

    [Fact]
    public async Task LongJob_TwoLiveWorkers_IsNeverHandedToTheSecondWhileTheFirstRunsIt()
    {
        var invisibility = TimeSpan.FromSeconds(3);
        await using var first = await WorkerNode.StartAsync(Database.ConnectionString, invisibility: invisibility);
        // Four times the invisibility timeout: without the sliding timeout's renewals the second worker would take it too.
        var drill = EnqueueDrill(12);
        await WaitForAsync(_ => Task.FromResult(JobHistory.ProcessedBy(Storage, drill) is [var server, ..] ? server : null), "the first worker taking the drill");
        await using var second = await WorkerNode.StartAsync(Database.ConnectionString, invisibility: invisibility);

        await JobHistory.WaitForSuccessAsync(Storage, drill, TimeSpan.FromSeconds(60));

        JobHistory.ProcessedBy(Storage, drill).ShouldHaveSingleItem().ShouldStartWith(first.InstanceId);
        JobHistory.Result(Storage, drill).ShouldNotBeNull().ShouldContain(first.InstanceId);
    }
}
