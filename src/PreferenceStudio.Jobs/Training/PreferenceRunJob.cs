using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>A run on the project's preference pairs, snapshotted in TRL's preference format (reward models, DPO).</summary>
public abstract class PreferenceRunJob(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger logger,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torchOptions,
    IHostEnvironment environment,
    JobNode node)
    : SnapshotRunJob<PreferencePair>(db, clock, logger, storage, torchOptions, environment, node)
{
    /// <summary>The pair counts' file name, which a loop round's DPO stage also writes.</summary>
    public const string PairCountsFile = "pair-counts.json";

    protected override string CountsFileName => PairCountsFile;

    protected override string ExampleNoun => "pairs";

    protected override int MinimumExamples => 2;

    protected override async Task<string> WriteSnapshotAsync(int projectId, DatasetWriter dataset, CancellationToken cancellationToken) =>
        (await TrlPreferenceFormat.WritePairsAsync(Db, projectId, dataset, cancellationToken)).ToJson();

    protected override LabelsSeen ReadLabelsSeen(string counts)
    {
        var pairs = PairCounts.FromJson(counts);
        return new LabelsSeen(pairs.Labels, pairs.NewestLabelAt);
    }

    protected override List<PreferencePair> LoadSnapshot(string datasetFile, string? counts, string baseFolder) =>
        TrlPreferenceDataset.Load(datasetFile, BpeTokenizer.FromFile(Path.Combine(baseFolder, "tokenizer.json")));
}
