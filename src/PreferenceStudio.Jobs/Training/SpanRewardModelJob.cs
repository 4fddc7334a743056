using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// Trains one queued span reward model run (Fine-Grained RLHF's token-level reward model): a fresh token-classification
/// head on the base model, each response token tagged with the error category its span carries or "no error", on the
/// project's current span labels. The trained folder keeps the taxonomy (span_labels.json) so it can be loaded later
/// as a dense reward; its held-out metrics are per category precision, recall and F1 ("eval_{category}/f1") and
/// macro F1.
/// </summary>
public sealed class SpanRewardModelJob(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger<SpanRewardModelJob> logger,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torchOptions,
    IHostEnvironment environment,
    JobNode node)
    : SnapshotRunJob<SpanExample>(db, clock, logger, storage, torchOptions, environment, node)
{
    public const string Name = "span-reward-model";
    public const string CountsFile = "span-counts.json";

    /// <summary>The taxonomy the snapshot was taken with, read by <see cref="LoadSnapshot"/> for the trainer.</summary>
    private IReadOnlyList<string> _categories = [];

    protected override string JobName => Name;

    protected override string HeadlineMetric => "eval_macro_f1";

    protected override string CountsFileName => CountsFile;

    protected override string ExampleNoun => "labelled responses";

    protected override int MinimumExamples => 2;

    protected override string TooFewExamples(int count) =>
        $"The project has {count} span-labelled response(s); a span reward model needs at least 2. Label span tasks first (mark the errors in responses, or submit a response with none).";

    protected override ITrainingRunConfig ReadConfig(string json) => TrainingLauncher.Checked(SpanRewardRunConfig.FromJson(json));

    protected override async Task<string> WriteSnapshotAsync(int projectId, DatasetWriter dataset, CancellationToken cancellationToken) =>
        (await SpanSnapshot.WriteAsync(Db, projectId, dataset, cancellationToken)).ToJson();

    protected override LabelsSeen ReadLabelsSeen(string counts)
    {
        var read = SpanSnapshotCounts.FromJson(counts).Counts;
        return new LabelsSeen(read.Labels, read.NewestLabelAt);
    }

    protected override List<SpanExample> LoadSnapshot(string datasetFile, string? counts, string baseFolder)
    {
        _categories = SpanSnapshotCounts.FromJson(counts ?? throw new FileNotFoundException($"The snapshot has no {CountsFile} beside it.")).Categories;
        if (_categories.Count == 0)
            throw new InvalidOperationException("The project has no span labels (error categories); add them in the project's settings, then label span tasks.");
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(baseFolder, "tokenizer.json"));
        // Each response ends with the stop token, tagged "no error", as a policy's sample does when PPO scores it.
        var builder = new SpanExampleBuilder(tokenizer, _categories, tokenizer.TokenToId(ChatML.End));
        return SpanSnapshot.Read(datasetFile).Select(row => row.ToExample(builder)).ToList();
    }

    protected override IRunTrainer CreateTrainer(ITrainingRunConfig config, string baseFolder, List<SpanExample> train, List<SpanExample> eval) =>
        new Trainer(new SpanRewardModel(CausalLM.FromPretrained(baseFolder, Torch.ResolveDevice()), _categories), ((SpanRewardRunConfig)config).Trainer, train, eval);

    protected override string OutputFolder(TrainingRun run) => $"models/span-reward-run-{run.Id}";

    protected override Task<ModelVersion> OutputAsync(TrainingRun run, ModelVersion baseModel, string folder, CancellationToken cancellationToken) =>
        Task.FromResult(new ModelVersion($"span reward model of run {run.Id}", ModelKind.SpanReward, folder, baseModel.Id, run.Id, ModelOrigin.SpanRewardRun));

    private sealed class Trainer : IRunTrainer
    {
        private readonly SpanRewardModel _model;
        private readonly SpanRewardTrainer _trainer;
        private readonly List<SpanExample> _train;
        private readonly List<SpanExample> _eval;

        public Trainer(SpanRewardModel model, SpanRewardConfig config, List<SpanExample> train, List<SpanExample> eval)
        {
            _model = model;
            (_train, _eval) = (train, eval);
            try
            {
                _trainer = new SpanRewardTrainer(model, config);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }

        public long TotalSteps => _trainer.TotalSteps(_train);

        public IReadOnlyDictionary<string, double> Train(IProgress<TrainingStep> progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken) =>
            _trainer.Train(_train, _eval, progress, checkpoints, cancellationToken).Eval;

        public void SaveTo(string folder) => _model.SavePretrained(folder);

        public void Dispose() => _model.Dispose();
    }
}
