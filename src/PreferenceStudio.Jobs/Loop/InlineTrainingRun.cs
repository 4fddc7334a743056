using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// Runs a stage's training run inside the round's job, as its own job would run it on a worker (progress, checkpoints,
/// resume after a dead worker, cancel), in a scope of its own so the run's failure handling never touches the round's
/// records. A run that already succeeded is not run again.
/// </summary>
public sealed class InlineTrainingRun(IServiceScopeFactory scopes, RoundJobContext job)
{
    /// <summary>The run as it ended: Succeeded; a cancelled run throws <see cref="OperationCanceledException"/>, a failed one its reason.</summary>
    public async Task<TrainingRun> RunAsync<TJob>(long runId, CancellationToken cancellationToken) where TJob : TrainingRunJob
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
        var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        if (!run.IsFinished)
        {
            await ActivatorUtilities.CreateInstance<TJob>(scope.ServiceProvider).RunAsync(runId, job.Current, cancellationToken);
            run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == runId, CancellationToken.None);
        }
        return run.State switch
        {
            RunState.Succeeded => run,
            RunState.Cancelled => throw new OperationCanceledException($"Run {run.Id} was cancelled."),
            RunState.Failed => throw new InvalidOperationException($"Run {run.Id} failed: {run.Error}"),
            _ => throw new InvalidOperationException($"Run {run.Id} ended its job still {run.State}."),
        };
    }
}
