using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Jobs;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs;
using PreferenceStudio.Testing;
using Quartz;

namespace PreferenceStudio.Integration.Tests.Jobs;

/// <summary>The web app schedules into the clustered store; a separate worker node picks the job up and runs it.</summary>
public class JobClusterTests : WebAppTest
{
    private Task<JobExecution> WaitForExecutionAsync(string jobName, JobExecutionState state) =>
        WaitForAsync(db => db.JobExecutions.AsNoTracking().FirstOrDefaultAsync(j => j.JobName == jobName && j.State == state),
            $"a {state} execution of {jobName}");

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

    [Fact]
    public async Task TriggerFromWebApp_WorkerRunning_WorkerExecutesItAndTheRecordNamesTheWorker()
    {
        var leaseId = await SeedAbandonedLeaseAsync();
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString);
        var admin = await SignedInAsync("Admin");

        using var trigger = new HttpRequestMessage(HttpMethod.Post, "/api/admin/jobs/maintenance/expire-leases/trigger");
        trigger.Headers.Add("RequestVerificationToken", await admin.AntiforgeryTokenAsync());
        (await admin.SendAsync(trigger)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var execution = await WaitForExecutionAsync("expire-leases", JobExecutionState.Succeeded);
        execution.Node.ShouldBe(worker.InstanceId);
        execution.Result.ShouldBe("expired 1 lease(s)");
        await using var db = Database.CreateContext();
        (await db.Assignments.SingleAsync(a => a.Id == leaseId)).State.ShouldBe(AssignmentState.Expired);

        var status = await admin.GetStringAsync("/api/admin/scheduler");
        status.ShouldContain(worker.InstanceId);
    }

    [Fact]
    public async Task FailingJob_RunOnAWorker_IsRecordedAsFailedWithoutItsHalfDoneWritesAndTheWorkerGoesOn()
    {
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString,
            services => services.AddQuartz(q => q.AddJob<FailingJob>(j => j.WithIdentity(FailingJob.Key).StoreDurably())));
        var scheduler = await App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        await scheduler.TriggerJob(FailingJob.Key);
        var failed = await WaitForExecutionAsync(FailingJob.Key.Name, JobExecutionState.Failed);

        failed.Error.ShouldBe("InvalidOperationException: boom");
        failed.Node.ShouldBe(worker.InstanceId);
        await using (var db = Database.CreateContext())
            (await db.ModelVersions.AnyAsync()).ShouldBeFalse("the failed job's unsaved work must not be saved with its failure record");

        await scheduler.TriggerJob(ExpireLeasesJob.Key);
        (await WaitForExecutionAsync(ExpireLeasesJob.Key.Name, JobExecutionState.Succeeded)).Node.ShouldBe(worker.InstanceId);
    }

    [Fact]
    public async Task WorkerStart_StaleMaintenanceTriggerInTheStore_IsRemoved()
    {
        var scheduler = await App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var stale = TriggerBuilder.Create().WithIdentity("renamed-long-ago", JobGroups.Maintenance).ForJob(ExpireLeasesJob.Key)
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()).StartAt(DateTimeOffset.UtcNow.AddHours(1)).Build();
        await scheduler.ScheduleJob(stale, new ScheduleJobOptions());

        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString);

        (await scheduler.GetTrigger(stale.Key)).ShouldBeNull();
        (await scheduler.GetTrigger(new TriggerKey("expire-leases", JobGroups.Maintenance))).ShouldNotBeNull();
    }

    [Fact]
    public async Task NodeDiesMidJob_AnotherNodeRunning_RecoversTheJobAndClosesTheDeadNodesRecord()
    {
        var scheduler = await App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        using var doomed = WorkerProcess.Start(Database.ConnectionString);
        var doomedNode = await WaitForAsync(db => db.Database
            .SqlQuery<string>($"SELECT instance_name AS \"Value\" FROM qrtz_scheduler_state").FirstOrDefaultAsync(), "a worker process checking in");

        await scheduler.TriggerJob(ClusterDrillJob.Key, new JobDataMap { [ClusterDrillJob.SecondsKey] = 4 });
        var started = await WaitForExecutionAsync(ClusterDrillJob.Key.Name, JobExecutionState.Running);
        started.Node.ShouldBe(doomedNode);
        doomed.Kill();

        await using var survivor = await WorkerNode.StartAsync(Database.ConnectionString);
        var recovered = await WaitForAsync(db => db.JobExecutions.AsNoTracking()
            .FirstOrDefaultAsync(j => j.IsRecovery && j.State == JobExecutionState.Succeeded), "a recovered execution", TimeSpan.FromSeconds(90));

        recovered.Node.ShouldBe(survivor.InstanceId);
        recovered.Trigger.ShouldBe(started.Trigger);
        await using var read = Database.CreateContext();
        var abandoned = await read.JobExecutions.SingleAsync(j => j.Id == started.Id);
        abandoned.State.ShouldBe(JobExecutionState.Failed);
        abandoned.Error.ShouldBe($"Abandoned: node {doomedNode} stopped checking in; the job was recovered on {survivor.InstanceId}.");
    }
}
