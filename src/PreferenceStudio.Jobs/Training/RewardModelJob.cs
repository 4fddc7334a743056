using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Models;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>Trains one queued reward-model run: a fresh scalar head on the base model, Bradley–Terry on the project's pairs.</summary>
public sealed class RewardModelJob(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger<RewardModelJob> logger,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torchOptions,
    IHostEnvironment environment,
    JobNode node)
    : PreferenceRunJob(db, clock, logger, storage, torchOptions, environment, node)
{
    public const string Name = "reward-model";

    protected override string JobName => Name;

    protected override string TooFewExamples(int count) =>
        $"The project has {count} preference pair(s); a reward model needs at least 2. Label pairwise, ranking or principle tasks first.";

    protected override ITrainingRunConfig ReadConfig(string json) => RewardRunConfig.FromJson(json);

    protected override IRunTrainer CreateTrainer(ITrainingRunConfig config, string baseFolder, List<PreferencePair> train, List<PreferencePair> eval) =>
        new Trainer(RewardModel.OnTopOf(CausalLM.FromPretrained(baseFolder, Torch.ResolveDevice())), ((RewardRunConfig)config).Trainer, train, eval);

    protected override string OutputFolder(TrainingRun run) => $"models/reward-run-{run.Id}";

    protected override Task<ModelVersion> OutputAsync(TrainingRun run, ModelVersion baseModel, string folder, CancellationToken cancellationToken) =>
        Task.FromResult(new ModelVersion($"reward model of run {run.Id}", ModelKind.Reward, folder, baseModel.Id, run.Id, ModelOrigin.RewardRun));

    private sealed class Trainer(RewardModel model, RewardConfig config, List<PreferencePair> train, List<PreferencePair> eval) : IRunTrainer
    {
        private readonly RewardTrainer _trainer = new(model, config);

        public long TotalSteps => _trainer.TotalSteps(train);

        public IReadOnlyDictionary<string, double> Train(IProgress<TrainingStep> progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken) =>
            _trainer.Train(train, eval, progress, checkpoints, cancellationToken).Eval;

        public void SaveTo(string folder) => model.SavePretrained(folder);

        public void Dispose() => model.Dispose();
    }
}
