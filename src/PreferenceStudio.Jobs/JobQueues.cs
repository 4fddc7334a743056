namespace PreferenceStudio.Jobs;

/// <summary>
/// Hangfire queues by kind of work, so a machine takes only what it is built for: every worker listens to
/// <see cref="Default"/>; GPU nodes (and, here, the CPU workers) listen to <see cref="Training"/>.
/// </summary>
public static class JobQueues
{
    /// <summary>Exports, housekeeping, scheduling: short and light.</summary>
    public const string Default = "default";

    /// <summary>Reward models, DPO, PPO, generation: long and heavy, wanting a GPU.</summary>
    public const string Training = "training";

    public static readonly IReadOnlyList<string> All = [Default, Training];
}
