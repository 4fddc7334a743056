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
    : PreferenceRunJob(db, clock, logger, storage, torchOptions, environment, node)
{
    public const string Name = "dpo";

    protected override string JobName => Name;

    protected override string TooFewExamples(int count) =>
        $"The project has {count} preference pair(s); DPO needs at least 2. Label pairwise, ranking or principle tasks first.";

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

    protected override async Task<ModelVersion> OutputAsync(TrainingRun run, ModelVersion baseModel, string folder, CancellationToken cancellationToken)
    {
        if (run.RoundId is not { } roundId)
            // The reference is the base: the run held the policy to it.
            return new ModelVersion($"policy of DPO run {run.Id}", ModelKind.Policy, folder, baseModel.Id, run.Id, ModelOrigin.DpoRun, referenceModelId: baseModel.Id);
        // A round's DPO starts from the round's policy (the run's base) and holds it to the round's reference, which is
        // that same policy (LoopRound): the reference this job loads is the base, so the two must agree.
        var round = await Db.LoopRounds.AsNoTracking().Where(r => r.Id == roundId)
            .Select(r => new { r.Number, r.PolicyId, r.ReferenceId, Slug = Db.Projects.Where(p => p.Id == r.ProjectId).Select(p => p.Slug).Single() })
            .SingleAsync(cancellationToken);
        if (round.PolicyId != baseModel.Id || round.ReferenceId != baseModel.Id)
            throw new InvalidOperationException(
                $"Run {run.Id} trained from model {baseModel.Id}, but its round {round.Number} starts from policy {round.PolicyId} with reference {round.ReferenceId}.");
        return new ModelVersion($"policy of round {round.Number} of {round.Slug}", ModelKind.Policy, folder, round.PolicyId, run.Id, ModelOrigin.Round,
            referenceModelId: round.ReferenceId, roundId: roundId);
    }

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
