using System.Globalization;
using System.Text.Json;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// What every training run's job does around its trainer: snapshots the project's preference pairs as a TRL export in
/// the run's folder, splits them by the run's seed, streams step metrics into the run's time series, and records the
/// trained model as a new model version with the labels the snapshot read (count and newest label's time). It runs on the <see cref="JobQueues.Training"/> queue and writes a resumable
/// checkpoint every save_steps steps under runs/{id}/checkpoints. A run taken over from a worker that died continues
/// on the same snapshot from its last checkpoint (or from the start without one), and its metric series keeps each
/// step once. A researcher's cancel deletes the Hangfire job, which fires the job's cancellation token.
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

    /// <summary>Fewer pairs than this fail the run with <see cref="TooFewPairs"/>.</summary>
    protected abstract int MinimumPairs { get; }

    protected abstract string TooFewPairs(int pairs);

    /// <summary>Loads the models from the base checkpoint and makes the trainer for these pairs.</summary>
    protected abstract IRunTrainer CreateTrainer(ITrainingRunConfig config, string baseFolder, List<PreferencePair> train, List<PreferencePair> eval);

    /// <summary>The model version the trained folder becomes.</summary>
    protected abstract Task<ModelVersion> OutputAsync(TrainingRun run, ModelVersion baseModel, string folder, CancellationToken cancellationToken);

    /// <summary>The run's output folder in the store, relative.</summary>
    protected abstract string OutputFolder(TrainingRun run);

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
        var projectId = run.ProjectId ?? throw new InvalidOperationException($"Run {run.Id} names no project.");

        var runFolder = $"runs/{run.Id}";
        var checkpointFolder = Store($"{runFolder}/checkpoints");
        // A run taken over from a dead worker continues from its last checkpoint, or starts over without one.
        var resumeFrom = TrainingCheckpoints.Latest(checkpointFolder);
        await KeepSeriesUpToAsync(run.Id, resumeFrom, cancellationToken);
        var datasetFile = Store($"{runFolder}/dataset.jsonl");
        var countsFile = Store($"{runFolder}/pair-counts.json");
        // The snapshot appears whole or not at all, after its counts; a recovered run trains on the one its first attempt took.
        if (!File.Exists(datasetFile))
        {
            await DatasetWriter.WriteFileAsync(datasetFile, async writer =>
            {
                var written = await TrlPreferenceFormat.WritePairsAsync(Db, projectId, writer, cancellationToken);
                await File.WriteAllTextAsync(countsFile, written.ToJson(), cancellationToken);
            }, cancellationToken);
        }
        // A snapshot taken by the release before pair counts has none; its model's labels stay unknown.
        var counts = File.Exists(countsFile) ? PairCounts.FromJson(await File.ReadAllTextAsync(countsFile, cancellationToken)) : null;

        var baseFolder = Store(baseModel.CheckpointPath);
        var pairs = TrlPreferenceDataset.Load(datasetFile, BpeTokenizer.FromFile(Path.Combine(baseFolder, "tokenizer.json")));
        if (pairs.Count < MinimumPairs)
            throw new InvalidOperationException(TooFewPairs(pairs.Count));
        var (train, eval) = Split(pairs, config.EvalShare, config.Seed);

        torchOptions.Value.ApplyThreads();
        TorchSharp.torch.manual_seed((long)config.Seed);
        using var trainer = CreateTrainer(config, baseFolder, train, eval);
        run.Start(node.Name, checked((int)trainer.TotalSteps), Clock.GetUtcNow());
        await Db.SaveChangesAsync(cancellationToken);
        await Db.Database.NotifyRunChangedAsync(run.Id, cancellationToken);
        Logger.LogInformation("Run {Run}: {Train} training and {Eval} held-out pairs, {Steps} steps on {Base}, {Resume}",
            run.Id, train.Count, eval.Count, run.TotalSteps, baseModel.Name, resumeFrom is null ? "from the start" : $"resumed from {resumeFrom}");
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
        if (counts is not null)
            version.RecordLabelsSeen(counts.Labels, counts.NewestLabelAt);
        Db.ModelVersions.Add(version);
        await Db.SaveChangesAsync(CancellationToken.None);
        run.Succeed(Clock.GetUtcNow(), version.Id);
        await Db.SaveChangesAsync(CancellationToken.None);
        // A finished run resumes no more; its checkpoints are copies of weights the model version now holds.
        DeleteFolder(checkpointFolder);
        var accuracy = heldOut.TryGetValue("eval_rewards/accuracies", out var a) ? a.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
        return $"run {run.Id}: {run.TotalSteps} steps on {train.Count} pairs, held-out accuracy {accuracy}, model version {version.Id}";
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

    /// <summary>The same pairs held out for the same seed, so runs with one config are comparable.</summary>
    private static (List<PreferencePair> Train, List<PreferencePair> Eval) Split(List<PreferencePair> pairs, double evalShare, ulong seed)
    {
        var order = Enumerable.Range(0, pairs.Count).ToArray();
        new Random((int)(seed % int.MaxValue)).Shuffle(order);
        var evalCount = (int)Math.Round(pairs.Count * evalShare);
        return (order.Skip(evalCount).Select(i => pairs[i]).ToList(), order.Take(evalCount).Select(i => pairs[i]).ToList());
    }
}
