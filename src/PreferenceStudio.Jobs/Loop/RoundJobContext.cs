using Hangfire.Server;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// The Hangfire context of the round job running in this scope. A stage that runs a training run inline hands it on,
/// so that the run's job tells a worker's shutdown (the run goes back to the queue with the round) from a failure.
/// </summary>
public sealed class RoundJobContext
{
    public PerformContext? Current { get; set; }
}
