namespace PreferenceStudio.Core.Jobs;

public enum JobExecutionState
{
    Running = 0,
    Succeeded = 1,
    Failed = 2,
}

/// <summary>
/// The record of one execution of a background job on one scheduler node: what ran, where, and how it ended.
/// A job recovered after its node died gets a second record naming the node that ran it again.
/// </summary>
public sealed class JobExecution
{
    private JobExecution() { }

    public JobExecution(string jobName, string jobGroup, string trigger, string fireInstanceId, string node, bool isRecovery, DateTimeOffset now)
    {
        JobName = jobName;
        JobGroup = jobGroup;
        Trigger = trigger;
        FireInstanceId = fireInstanceId;
        Node = node;
        IsRecovery = isRecovery;
        State = JobExecutionState.Running;
        StartedAt = now;
    }

    public long Id { get; private set; }
    public string JobName { get; private set; } = "";
    public string JobGroup { get; private set; } = "";
    /// <summary>The trigger that fired it ("group.name"); a recovered run names the original trigger.</summary>
    public string Trigger { get; private set; } = "";

    public string FireInstanceId { get; private set; } = "";
    public string Node { get; private set; } = "";
    public bool IsRecovery { get; private set; }
    public JobExecutionState State { get; private set; }
    public string? Error { get; private set; }
    public string? Result { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    public void Succeed(string? result, DateTimeOffset now)
    {
        EnsureRunning();
        State = JobExecutionState.Succeeded;
        Result = result;
        FinishedAt = now;
    }

    /// <summary>Closes the record of a run whose node died mid-way; the run itself goes on elsewhere.</summary>
    public void Abandon(string recoveredOn, DateTimeOffset now) =>
        Fail($"Abandoned: node {Node} stopped checking in; the job was recovered on {recoveredOn}.", now);

    public void Fail(string error, DateTimeOffset now)
    {
        EnsureRunning();
        State = JobExecutionState.Failed;
        Error = error.Length > 4000 ? error[..4000] : error;
        FinishedAt = now;
    }

    private void EnsureRunning()
    {
        if (State != JobExecutionState.Running)
            throw new DomainException($"Job execution {Id} already ended as {State}.");
    }
}
