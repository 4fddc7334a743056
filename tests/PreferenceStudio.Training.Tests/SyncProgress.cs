namespace PreferenceStudio.Training.Tests;

/// <summary>Progress&lt;T&gt; posts to the thread pool; the trainers' reports are wanted in order, on this thread.</summary>
internal sealed class SyncProgress(List<TrainingStep> into, Action<TrainingStep>? after = null) : IProgress<TrainingStep>
{
    public void Report(TrainingStep value)
    {
        into.Add(value);
        after?.Invoke(value);
    }
}
