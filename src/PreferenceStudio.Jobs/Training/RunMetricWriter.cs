using System.Collections.Concurrent;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// Takes a run's steps from the training thread and writes them into the run's metric series in batches: one commit
/// per flush, then one notification on <see cref="RunChanges.Channel"/>, so a page watching the run reads points that
/// are already visible to it.
/// </summary>
public sealed class RunMetricWriter(PreferenceStudioDbContext db, TrainingRun run, TimeProvider clock) : IProgress<TrainingStep>
{
    private readonly ConcurrentQueue<TrainingStep> _steps = new();

    /// <summary>Called by the trainer on its own thread; nothing is written until the next flush.</summary>
    public void Report(TrainingStep value) => _steps.Enqueue(value);

    /// <summary>Writes every step reported since the last flush and moves the run's progress; false when there was none.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        if (_steps.IsEmpty)
            return false;
        var now = clock.GetUtcNow();
        while (_steps.TryDequeue(out var step))
        {
            foreach (var (key, value) in step.Metrics)
                db.RunMetrics.Add(new RunMetric(run.Id, (int)step.Step, key, value, now));
            run.ReportProgress((int)step.Step);
        }
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.NotifyRunChangedAsync(run.Id, cancellationToken);
        return true;
    }
}
