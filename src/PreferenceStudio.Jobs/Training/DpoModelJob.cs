using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Models;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// Trains one queued DPO run: the base policy learns from the project's pairs against a frozen copy of itself (the
/// reference), and the trained policy becomes a new policy model version whose parent is the base.
/// </summary>
public sealed class DpoModelJob(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger<DpoModelJob> logger,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torchOptions,
    IHostEnvironment environment,
    JobNode node)
    : TrainingRunJob(db, clock, logger, storage, torchOptions, environment, node)
{
    public const string Name = "dpo";

    protected override string JobName => Name;

    protected override int MinimumPairs => 2;

    protected override string TooFewPairs(int pairs) =>
        $"The project has {pairs} preference pair(s); DPO needs at least 2. Label pairwise, ranking or principle tasks first.";

    protected override ITrainingRunConfig ReadConfig(string json) => DpoRunConfig.FromJson(json);

    protected override IRunTrainer CreateTrainer(ITrainingRunConfig config, string baseFolder, List<PreferencePair> train, List<PreferencePair> eval)
    {
        var device = Torch.ResolveDevice();
        var policy = CausalLM.FromPretrained(baseFolder, device);
        try
        {
            // The reference is the base itself, loaded a second time: DPO needs it unchanged while the policy moves.
            return new Trainer(policy, CausalLM.FromPretrained(baseFolder, device), ((DpoRunConfig)config).Trainer,
                train.Select(DpoExample.From).ToList(), eval.Select(DpoExample.From).ToList());
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }

    protected override string OutputFolder(TrainingRun run) => $"models/dpo-run-{run.Id}";

    protected override ModelVersion Output(TrainingRun run, ModelVersion baseModel, string folder) =>
        // The reference is the base: the run held the policy to it.
        new($"policy of DPO run {run.Id}", ModelKind.Policy, folder, baseModel.Id, run.Id, ModelOrigin.DpoRun, referenceModelId: baseModel.Id);

    private sealed class Trainer(CausalLM policy, CausalLM reference, DpoConfig config, List<DpoExample> train, List<DpoExample> eval) : IRunTrainer
    {
        private readonly DpoTrainer _trainer = new(policy, reference, config);

        public long TotalSteps => _trainer.TotalSteps(train);

        public IReadOnlyDictionary<string, double> Train(IProgress<TrainingStep> progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken) =>
            _trainer.Train(train, eval, progress, checkpoints, cancellationToken).Eval;

        public void SaveTo(string folder) => policy.SavePretrained(folder);

        public void Dispose()
        {
            policy.Dispose();
            reference.Dispose();
        }
    }
}
