using System.Globalization;
using System.Text.Json;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Models;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// What every training run's job does around its trainer: prepares the run's data (a snapshot in the run's folder,
/// see <see cref="TrainingRunJob{TExample}"/>), streams step metrics into the run's time series, and records the
/// trained model as a new model version with the labels the snapshot read (count and newest label's time). It runs on
/// the <see cref="JobQueues.Training"/> queue and writes a resumable checkpoint every save_steps steps under
/// runs/{id}/checkpoints. A run taken over from a worker that died continues on the same snapshot from its last
/// checkpoint (or from the start without one), and its metric series keeps each step once. A researcher's cancel
/// deletes the Hangfire job, which fires the job's cancellation token.
/// </summary>
public abstract class TrainingRunJob(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger logger,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torchOptions,
    IHostEnvironment environment,
    JobNode node)
    : JobBase(db, clock, logger)
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    /// <summary>The job's name in logs and Hangfire's history.</summary>
    protected abstract string JobName { get; }

    protected TorchOptions Torch => torchOptions.Value;

    protected string Store(string relative) => storage.Value.Resolve(environment.ContentRootPath, relative);

    /// <summary>The run's stored config, read and checked.</summary>
    protected abstract ITrainingRunConfig ReadConfig(string json);

    /// <summary>
    /// The run's data, taken once into <paramref name="runFolder"/> (a recovered run reads what its first attempt
    /// took), and the trainer made for it on the models of <paramref name="baseFolder"/>.
    /// </summary>
    protected abstract Task<PreparedRun> PrepareAsync(TrainingRun run, ITrainingRunConfig config, string runFolder, string baseFolder, CancellationToken cancellationToken);

    /// <summary>The model version the trained folder becomes.</summary>
    protected abstract Task<ModelVersion> OutputAsync(TrainingRun run, ModelVersion baseModel, string folder, CancellationToken cancellationToken);

    /// <summary>The run's output folder in the store, relative.</summary>
    protected abstract string OutputFolder(TrainingRun run);

    /// <summary>The held-out metric the job's closing line names.</summary>
    protected virtual string HeadlineMetric => "eval_rewards/accuracies";

    public async Task<string?> RunAsync(long runId, PerformContext? context, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(JobName, context, () => TrainAsync(runId, cancellationToken), async reason =>
            {
                if (await Db.TrainingRuns.FindAsync(runId) is { IsFinished: false } run)
                    run.Fail(reason, Clock.GetUtcNow());
            });
        }
        finally
        {
            // However the job ended (succeeded, failed and recorded, cancelled, handed back), the run's page re-reads it.
            await NotifyQuietlyAsync(runId);
        }
    }

    private async Task NotifyQuietlyAsync(long runId)
    {
        try
        {
            await Db.Database.NotifyRunChangedAsync(runId, CancellationToken.None);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A page that misses this shows the run's end on its next load; the job's own outcome must not change for it.
            Logger.LogWarning(error, "Could not announce the end of run {Run}", runId);
        }
    }

    private async Task<string?> TrainAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await Db.TrainingRuns.FindAsync([runId], cancellationToken)
            ?? throw new InvalidOperationException($"Training run {runId} does not exist.");
        if (run.IsFinished)
            return $"run {run.Id} is already {run.State}";
        var config = ReadConfig(run.ConfigJson);
        var baseModel = await Db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.Id == run.BaseModelVersionId, cancellationToken)
            ?? throw new InvalidOperationException($"Run {run.Id} names no existing base model.");
        if (run.ProjectId is null)
            throw new InvalidOperationException($"Run {run.Id} names no project.");

        var runFolder = $"runs/{run.Id}";
        var checkpointFolder = Store($"{runFolder}/checkpoints");
        // A run taken over from a dead worker continues from its last checkpoint, or starts over without one.
        var resumeFrom = TrainingCheckpoints.Latest(checkpointFolder);
        await KeepSeriesUpToAsync(run.Id, resumeFrom, cancellationToken);
        var baseFolder = Store(baseModel.CheckpointPath);
        torchOptions.Value.ApplyThreads();
        TorchSharp.torch.manual_seed((long)config.Seed);
        var prepared = await PrepareAsync(run, config, Store(runFolder), baseFolder, cancellationToken);
        using var trainer = prepared.Trainer;
        run.Start(node.Name, checked((int)trainer.TotalSteps), Clock.GetUtcNow());
        await Db.SaveChangesAsync(cancellationToken);
        await Db.Database.NotifyRunChangedAsync(run.Id, cancellationToken);
        Logger.LogInformation("Run {Run}: {Train} training and {Eval} held-out {Examples}, {Steps} steps on {Base}, {Resume}",
            run.Id, prepared.TrainCount, prepared.EvalCount, prepared.ExampleNoun, run.TotalSteps, baseModel.Name, resumeFrom is null ? "from the start" : $"resumed from {resumeFrom}");
        var checkpoints = config.SaveSteps > 0 ? new TrainingCheckpoints(checkpointFolder, config.SaveSteps, ResumeFrom: resumeFrom) : null;

        var metrics = new RunMetricWriter(Db, run, Clock);
        var training = Task.Run(() => trainer.Train(metrics, checkpoints, cancellationToken), CancellationToken.None);
        while (!training.IsCompleted)
        {
            await Task.WhenAny(training, Task.Delay(FlushEvery, CancellationToken.None));
            await metrics.FlushAsync(CancellationToken.None);
        }
        IReadOnlyDictionary<string, double> heldOut;
        try
        {
            heldOut = await training;
        }
        catch (OperationCanceledException)
        {
            // The token fires for a researcher's cancel and for the worker's shutdown; only the first ends the run.
            // On shutdown the exception goes on to Hangfire, which puts the job back for another worker.
            if (!await IsCancelledAsync(run.Id))
                throw;
            await metrics.FlushAsync(CancellationToken.None);
            DeleteFolder(checkpointFolder);
            return $"run {run.Id} cancelled at step {run.Step} of {run.TotalSteps}";
        }
        await metrics.FlushAsync(CancellationToken.None);
        foreach (var (key, value) in heldOut)
            Db.RunMetrics.Add(new RunMetric(run.Id, run.Step, key, value, Clock.GetUtcNow()));

        var output = OutputFolder(run);
        trainer.SaveTo(Store(output));
        foreach (var file in Directory.EnumerateFiles(baseFolder, "tokenizer*.json"))
            File.Copy(file, Path.Combine(Store(output), Path.GetFileName(file)), overwrite: true);
        var version = await OutputAsync(run, baseModel, output, CancellationToken.None);
        version.RecordMetrics(JsonSerializer.Serialize(heldOut));
        if (prepared.LabelsSeen is { } seen)
            version.RecordLabelsSeen(seen.Labels, seen.NewestLabelAt);
        Db.ModelVersions.Add(version);
        await Db.SaveChangesAsync(CancellationToken.None);
        run.Succeed(Clock.GetUtcNow(), version.Id);
        await Db.SaveChangesAsync(CancellationToken.None);
        // A finished run resumes no more; its checkpoints are copies of weights the model version now holds.
        DeleteFolder(checkpointFolder);
        var headline = heldOut.TryGetValue(HeadlineMetric, out var headlineValue) ? headlineValue.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
        return $"run {run.Id}: {run.TotalSteps} steps on {prepared.TrainCount} {prepared.ExampleNoun}, held-out {HeadlineMetric} {headline}, model version {version.Id}";
    }

    /// <summary>
    /// Makes the run's series hold each step up to <paramref name="checkpoint"/> once and nothing after it: the dead
    /// attempt's later points go, and steps the checkpoint saw that the dead worker never flushed come from its log.
    /// </summary>
    private async Task KeepSeriesUpToAsync(long runId, string? checkpoint, CancellationToken cancellationToken)
    {
        var resumedAt = checkpoint is null ? -1 : TrainingCheckpoints.StepOf(checkpoint);
        await Db.RunMetrics.Where(m => m.RunId == runId && m.Step > resumedAt).ExecuteDeleteAsync(cancellationToken);
        if (checkpoint is null) return;
        var recorded = (await Db.RunMetrics.Where(m => m.RunId == runId).Select(m => m.Step).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var now = Clock.GetUtcNow();
        foreach (var step in TrainerCheckpoint.ReadState(checkpoint).LogHistory.Where(s => !recorded.Contains((int)s.Step)))
            foreach (var (key, value) in step.Metrics)
                Db.RunMetrics.Add(new RunMetric(runId, (int)step.Step, key, value, now));
        await Db.SaveChangesAsync(cancellationToken);
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private Task<bool> IsCancelledAsync(long runId) =>
        Db.TrainingRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => r.State == RunState.Cancelled).SingleAsync();
}
