using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Models;
using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// A training run on examples read from the project's labels: snapshots them as JSON Lines in the run's folder
/// (dataset.jsonl, written aside and renamed, with the labels it read in a counts file beside it), loads them, and
/// splits them by the run's seed into training and held-out examples. A recovered run trains on the snapshot its first
/// attempt took, and a stage that wants a run on other examples (a loop round's pairs) puts its own dataset.jsonl in
/// the run's folder before the run is stored.
/// </summary>
public abstract class SnapshotRunJob<TExample>(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger logger,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torchOptions,
    IHostEnvironment environment,
    JobNode node)
    : TrainingRunJob(db, clock, logger, storage, torchOptions, environment, node)
{
    /// <summary>The counts file's name in the run's folder.</summary>
    protected abstract string CountsFileName { get; }

    /// <summary>What the examples are called in logs and messages ("pairs", "responses").</summary>
    protected abstract string ExampleNoun { get; }

    /// <summary>Fewer examples than this fail the run with <see cref="TooFewExamples"/>.</summary>
    protected abstract int MinimumExamples { get; }

    protected abstract string TooFewExamples(int count);

    /// <summary>Writes the project's examples to <paramref name="dataset"/>; returns the counts file's text.</summary>
    protected abstract Task<string> WriteSnapshotAsync(int projectId, DatasetWriter dataset, CancellationToken cancellationToken);

    /// <summary>The labels behind the snapshot, from its counts file's text.</summary>
    protected abstract LabelsSeen ReadLabelsSeen(string counts);

    /// <summary>
    /// The snapshot's examples, ready for the trainer (tokenized with the base model's tokenizer); <paramref name="counts"/>
    /// is the counts file's text, null for a snapshot taken before counts were kept.
    /// </summary>
    protected abstract List<TExample> LoadSnapshot(string datasetFile, string? counts, string baseFolder);

    /// <summary>Loads the models from the base checkpoint and makes the trainer for these examples.</summary>
    protected abstract IRunTrainer CreateTrainer(ITrainingRunConfig config, string baseFolder, List<TExample> train, List<TExample> eval);

    protected sealed override async Task<PreparedRun> PrepareAsync(TrainingRun run, ITrainingRunConfig config, string runFolder, string baseFolder, CancellationToken cancellationToken)
    {
        var datasetFile = Path.Combine(runFolder, "dataset.jsonl");
        var countsFile = Path.Combine(runFolder, CountsFileName);
        // The snapshot appears whole or not at all, after its counts.
        if (!File.Exists(datasetFile))
        {
            await DatasetWriter.WriteFileAsync(datasetFile, async writer =>
            {
                var counts = await WriteSnapshotAsync(run.ProjectId!.Value, writer, cancellationToken);
                await File.WriteAllTextAsync(countsFile, counts, cancellationToken);
            }, cancellationToken);
        }
        // A snapshot taken by the release before label counts has none; its model's labels stay unknown.
        var counts = File.Exists(countsFile) ? await File.ReadAllTextAsync(countsFile, cancellationToken) : null;
        var seen = counts is null ? null : ReadLabelsSeen(counts);
        var examples = LoadSnapshot(datasetFile, counts, baseFolder);
        if (examples.Count < MinimumExamples)
            throw new InvalidOperationException(TooFewExamples(examples.Count));
        var (train, eval) = SnapshotSplit.Split(examples, config.EvalShare, config.Seed);
        return new PreparedRun(CreateTrainer(config, baseFolder, train, eval), train.Count, eval.Count, ExampleNoun, seen);
    }
}
