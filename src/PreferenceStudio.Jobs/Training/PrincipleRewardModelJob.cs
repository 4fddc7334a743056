using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training;
using PreferenceStudio.Training.Principles;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// Trains one queued principle reward model run (RLBFF): a scalar head with a bias on the base model reads p(the
/// response satisfies the principle) with the principle's text in the input, on the project's majority yes/no
/// verdicts ("not applicable" left out and counted). The trained folder keeps the project's principles
/// (<see cref="PrincipleSet"/>); its held-out metrics are the accuracy overall and per principle
/// ("eval_accuracy/{key}").
/// </summary>
public sealed class PrincipleRewardModelJob(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger<PrincipleRewardModelJob> logger,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torchOptions,
    IHostEnvironment environment,
    JobNode node)
    : SnapshotRunJob<PrincipleExample>(db, clock, logger, storage, torchOptions, environment, node)
{
    public const string Name = "principle-reward-model";
    public const string CountsFile = "principle-counts.json";

    /// <summary>The principles the snapshot was taken with, read by <see cref="LoadSnapshot"/>; the model keeps them.</summary>
    private IReadOnlyList<PrincipleDefinition> _principles = [];

    protected override string JobName => Name;

    protected override string HeadlineMetric => "eval_accuracy";

    protected override string CountsFileName => CountsFile;

    protected override string ExampleNoun => "verdicts";

    protected override int MinimumExamples => 2;

    protected override string TooFewExamples(int count) =>
        $"The project has {count} principle verdict(s) with a yes or no majority; a principle reward model needs at least 2. Label principle tasks first (\"not applicable\" verdicts and ties are left out).";

    protected override ITrainingRunConfig ReadConfig(string json) => TrainingLauncher.Checked(PrincipleRewardRunConfig.FromJson(json));

    protected override async Task<string> WriteSnapshotAsync(int projectId, DatasetWriter dataset, CancellationToken cancellationToken) =>
        (await PrincipleSnapshot.WriteAsync(Db, projectId, dataset, cancellationToken)).ToJson();

    protected override LabelsSeen ReadLabelsSeen(string counts)
    {
        var read = PrincipleSnapshotCounts.FromJson(counts).Counts;
        return new LabelsSeen(read.Labels, read.NewestLabelAt);
    }

    protected override List<PrincipleExample> LoadSnapshot(string datasetFile, string? counts, string baseFolder)
    {
        _principles = PrincipleSnapshotCounts.FromJson(counts ?? throw new FileNotFoundException($"The snapshot has no {CountsFile} beside it.")).Principles;
        var template = new PrincipleTemplate(BpeTokenizer.FromFile(Path.Combine(baseFolder, "tokenizer.json")));
        return PrincipleSnapshot.Read(datasetFile).Select(row => row.ToTraining(template)).ToList();
    }

    protected override IRunTrainer CreateTrainer(ITrainingRunConfig config, string baseFolder, List<PrincipleExample> train, List<PrincipleExample> eval) =>
        new Trainer(new PrincipleRewardModel(CausalLM.FromPretrained(baseFolder, Torch.ResolveDevice())), ((PrincipleRewardRunConfig)config).Trainer,
            _principles, train, eval);

    protected override string OutputFolder(TrainingRun run) => $"models/principle-reward-run-{run.Id}";

    protected override Task<ModelVersion> OutputAsync(TrainingRun run, ModelVersion baseModel, string folder, CancellationToken cancellationToken) =>
        Task.FromResult(new ModelVersion($"principle reward model of run {run.Id}", ModelKind.PrincipleReward, folder, baseModel.Id, run.Id, ModelOrigin.PrincipleRewardRun));

    private sealed class Trainer(PrincipleRewardModel model, PrincipleRewardConfig config, IReadOnlyList<PrincipleDefinition> principles,
        List<PrincipleExample> train, List<PrincipleExample> eval) : IRunTrainer
    {
        private readonly PrincipleRewardTrainer _trainer = new(model, config);

        public long TotalSteps => _trainer.TotalSteps(train);

        public IReadOnlyDictionary<string, double> Train(IProgress<TrainingStep> progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken) =>
            _trainer.Train(train, eval, progress, checkpoints, cancellationToken).Eval;

        public void SaveTo(string folder)
        {
            model.SavePretrained(folder);
            PrincipleSet.Save(folder, principles);
        }

        public void Dispose() => model.Dispose();
    }
}
