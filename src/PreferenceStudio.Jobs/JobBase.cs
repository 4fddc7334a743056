using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Core.Jobs;
using PreferenceStudio.Data;
using Quartz;

namespace PreferenceStudio.Jobs;

/// <summary>
/// Every job runs through here: it records the execution (which node, recovered or not, how it ended),
/// logs, and never lets an exception reach the scheduler, which would only log it again and might refire.
/// </summary>
public abstract class JobBase(PreferenceStudioDbContext db, TimeProvider clock, ILogger logger) : IJob
{
    protected PreferenceStudioDbContext Db => db;
    protected TimeProvider Clock => clock;
    protected ILogger Logger => logger;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var key = context.JobDetail.Key;
        var trigger = context.Recovering && context.RecoveringTriggerKey is { } original ? original : context.Trigger.Key;
        var execution = new JobExecution(key.Name, key.Group, $"{trigger.Group}.{trigger.Name}", context.FireInstanceId,
            context.Scheduler.SchedulerInstanceId, context.Recovering, clock.GetUtcNow());
        try
        {
            if (context.Recovering)
                await CloseAbandonedRecordsAsync(execution, cancellationToken);
            db.JobExecutions.Add(execution);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Job {Job} started on {Node} (recovering: {Recovering})", key, execution.Node, context.Recovering);

            var result = await RunAsync(context, cancellationToken);

            execution.Succeed(result, clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            logger.LogInformation("Job {Job} succeeded: {Result}", key, result);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Job {Job} failed on {Node}", key, execution.Node);
            await RecordFailureAsync(execution, ex, context);
        }
    }

    /// <summary>The job's work; returns a one-line summary for the execution record.</summary>
    protected abstract Task<string?> RunAsync(IJobExecutionContext context, CancellationToken cancellationToken);

    /// <summary>Lets a job mark its own domain record (a training run, an export) as failed too.</summary>
    protected virtual Task OnFailedAsync(Exception error, IJobExecutionContext context) => Task.CompletedTask;

    /// <summary>The records a dead node left "running" for this very firing are closed, so none stays open for ever.</summary>
    private async Task CloseAbandonedRecordsAsync(JobExecution recovered, CancellationToken cancellationToken)
    {
        var abandoned = await db.JobExecutions
            .Where(j => j.Trigger == recovered.Trigger && j.State == JobExecutionState.Running && j.Node != recovered.Node)
            .ToListAsync(cancellationToken);
        foreach (var record in abandoned)
            record.Abandon(recovered.Node, clock.GetUtcNow());
    }

    private async Task RecordFailureAsync(JobExecution execution, Exception error, IJobExecutionContext context)
    {
        try
        {
            // The failed unit of work may have left half-made changes in the context; they must not be saved.
            db.ChangeTracker.Clear();
            if (execution.Id == 0)
                db.JobExecutions.Add(execution);
            else
                db.JobExecutions.Attach(execution);
            execution.Fail($"{error.GetType().Name}: {error.Message}", clock.GetUtcNow());
            await OnFailedAsync(error, context);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception recordError)
        {
            logger.LogError(recordError, "Could not record the failure of job {Job}", execution.JobName);
        }
    }
}
