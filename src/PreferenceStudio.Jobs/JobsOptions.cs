namespace PreferenceStudio.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Whether this process executes jobs (joins the cluster as a node). Workers do; the web app only
    /// schedules, unless it is run as a single node.
    /// </summary>
    public bool Execute { get; set; }

    /// <summary>How often a node checks in; a node silent for longer than twice this is taken for dead.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often abandoned annotation leases are returned to the pool.</summary>
    public TimeSpan LeaseExpiryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an idle node sleeps before it looks for due triggers. A job scheduled by another process
    /// (the web app) waits at most this long to start, so it is short; each look is one cheap query.
    /// </summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxConcurrency { get; set; } = 4;
}
