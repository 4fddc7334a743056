namespace PreferenceStudio.Jobs;

/// <summary>
/// This process's name as a job node: Hangfire's server name, and what a training run records as the node that ran it.
/// Machine and process id, so an operator can find the process; a short random tail, so two hosts in one process differ.
/// </summary>
public sealed class JobNode
{
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}".ToLowerInvariant();
}
