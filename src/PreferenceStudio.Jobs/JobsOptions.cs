namespace PreferenceStudio.Jobs;

/// <summary>The <c>Jobs</c> section of appsettings.json; each value can be set by an environment variable (<c>Jobs__WorkerCount=1</c>).</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Whether this process runs a Hangfire server and so executes jobs. Workers do; the web app only enqueues,
    /// unless it is run as a single node.
    /// </summary>
    public bool Execute { get; set; }

    /// <summary>
    /// The queues this process's server takes jobs from, comma-separated in priority order (<see cref="JobQueues"/>):
    /// one string, so one environment variable sets it (<c>Jobs__Queues=training</c> on a GPU node).
    /// </summary>
    public string Queues { get; set; } = string.Join(',', JobQueues.All);

    /// <summary>Jobs this process runs at once.</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>
    /// How long a fetched job stays invisible to other workers without a sign of life from its worker. The worker
    /// renews it while the job runs (Hangfire.PostgreSql's sliding invisibility timeout), so a long job is never handed
    /// out twice; a worker that died stops renewing, and its job goes to another worker after this long.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle worker looks for a new job in PostgreSQL (each look is one cheap query).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a server reports itself alive; one silent for <see cref="ServerTimeout"/> is removed from the list.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a server looks for recurring jobs that are due (Hangfire's default is 15 s).</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a server checks whether a running job was cancelled (deleted), which fires the job's token.</summary>
    public TimeSpan CancellationCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Cron of the sweep that returns abandoned annotation leases to the pool.</summary>
    public string LeaseExpiryCron { get; set; } = "* * * * *";

    /// <summary>Cron of the look for projects whose loop is due by "every N new labels".</summary>
    public string LoopLabelTriggerCron { get; set; } = "* * * * *";

    /// <summary>Cron of the clean-up of old files in the store.</summary>
    public string FileCleanupCron { get; set; } = "17 3 * * *";

    /// <summary>How long a file nobody needs (a half-written file a dead worker left, an export) is kept.</summary>
    public TimeSpan FileRetention { get; set; } = TimeSpan.FromDays(7);

    public IReadOnlyList<string> QueueList =>
        Queues.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } queues ? queues : [.. JobQueues.All];
}
