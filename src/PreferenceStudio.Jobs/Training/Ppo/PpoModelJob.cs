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
using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// Trains one queued PPO run: the base policy, with a fresh value head, learns from the reward the run's config names
/// (a scalar reward model, a span model's dense rewards, a principle model, weighted) on the project's prompts, held to
/// a frozen copy of the base by the per-token KL penalty. Held out prompts measure the base and the trained policy the
/// same way (mean reward, KL to the reference). The trained policy becomes a policy model version whose parent and
/// reference are the base, and which saw the labels behind its reward models.
/// </summary>
public sealed class PpoModelJob(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger<PpoModelJob> logger,
    IOptions<StorageOptions> storage,
    IOptions<TorchOptions> torchOptions,
    IHostEnvironment environment,
    JobNode node)
    : SnapshotRunJob<PpoPrompt>(db, clock, logger, storage, torchOptions, environment, node)
{
    public const string Name = "ppo";

    /// <summary>The trained policy's mean reward on the held-out prompts; the base's is <see cref="HeldOutReferenceScore"/>.</summary>
    public const string HeldOutScore = "eval_objective/scores";
    public const string HeldOutReferenceScore = "eval_objective/scores_reference";
    public const string HeldOutKl = "eval_objective/kl";

    // The snapshot's counts name the labels behind the run's reward models, which the run's config chooses: the job
    // keeps the config it read (one job instance runs one run) for the snapshot it takes next.
    private PpoRunConfig? _config;

    protected override string JobName => Name;

    protected override string HeadlineMetric => HeldOutScore;

    protected override string CountsFileName => PpoPromptSnapshot.CountsFile;

    protected override string ExampleNoun => "prompts";

    protected override int MinimumExamples => 2;

    protected override string TooFewExamples(int count) =>
        $"The project has {count} prompt(s); PPO needs at least 2 to sample answers to. Import prompts first.";

    protected override ITrainingRunConfig ReadConfig(string json) => _config = PpoRunConfig.FromJson(json);

    protected override async Task<string> WriteSnapshotAsync(int projectId, DatasetWriter dataset, CancellationToken cancellationToken)
    {
        var prompts = await PpoPromptSnapshot.WriteProjectPromptsAsync(Db, projectId, dataset, cancellationToken);
        return (await PpoPromptSnapshot.Counts.OfAsync(Db, prompts, _config!.Reward, cancellationToken)).ToJson();
    }

    protected override LabelsSeen ReadLabelsSeen(string counts)
    {
        var read = PpoPromptSnapshot.Counts.FromJson(counts);
        return new LabelsSeen(read.Labels, read.NewestLabelAt);
    }

    protected override List<PpoPrompt> LoadSnapshot(string datasetFile, string? counts, string baseFolder) =>
        PpoPromptSnapshot.Load(datasetFile, BpeTokenizer.FromFile(Path.Combine(baseFolder, "tokenizer.json")));

    protected override IRunTrainer CreateTrainer(ITrainingRunConfig config, string baseFolder, List<PpoPrompt> train, List<PpoPrompt> eval)
    {
        var run = (PpoRunConfig)config;
        var device = Torch.ResolveDevice();
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(baseFolder, "tokenizer.json"));
        var ppo = run.Trainer.WithChatStop(tokenizer, baseFolder);
        var reward = new PpoRewardMix(LoadSources(run.Reward, baseFolder, tokenizer, device));
        PolicyWithValueHead? model = null;
        try
        {
            model = new PolicyWithValueHead(CausalLM.FromPretrained(baseFolder, device));
            // The reference is the base loaded a second time: PPO's KL penalty needs it unchanged while the policy moves.
            return new Trainer(model, CausalLM.FromPretrained(baseFolder, device), reward, ppo, train, eval);
        }
        catch
        {
            model?.Dispose();
            reward.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The sources the section names, from their folders. Each must read the policy's tokens as they are: PPO scores
    /// the sampled ids without decoding them, so a model on another tokenizer is refused, naming its field.
    /// </summary>
    private List<IPpoRewardSource> LoadSources(PpoRewardSection section, string baseFolder, BpeTokenizer tokenizer, TorchSharp.torch.Device device)
    {
        var sources = new List<IPpoRewardSource>();
        try
        {
            foreach (var loader in PpoRewardSourceLoaders.All)
            {
                if (loader.ModelId(section) is not { } id)
                    continue;
                // The job's one synchronous query: the trainer is made inside the frame's synchronous hook.
                var model = Db.ModelVersions.AsNoTracking().SingleOrDefault(m => m.Id == id)
                    ?? throw new InvalidOperationException($"{loader.Field}: there is no model version {id}");
                if (model.Kind != loader.Kind)
                    throw new InvalidOperationException($"{loader.Field}: model version {id} is a {model.Kind} model, not a {loader.Kind} model");
                var folder = Store(model.CheckpointPath);
                if (!SameTokenizer(folder, baseFolder))
                    throw new InvalidOperationException(
                        $"{loader.Field}: model version {id}'s tokenizer is not the base policy's; PPO's rewards read the policy's tokens as they are");
                sources.Add(loader.Load(folder, section, tokenizer, device));
            }
            return sources.Count > 0 ? sources : throw new InvalidOperationException("reward: the run names no reward source");
        }
        catch
        {
            foreach (var source in sources)
                source.Dispose();
            throw;
        }
    }

    private static bool SameTokenizer(string folder, string baseFolder)
    {
        var (theirs, ours) = (Path.Combine(folder, "tokenizer.json"), Path.Combine(baseFolder, "tokenizer.json"));
        return File.Exists(theirs) && File.ReadAllBytes(theirs).AsSpan().SequenceEqual(File.ReadAllBytes(ours));
    }

    protected override string OutputFolder(TrainingRun run) => $"models/ppo-run-{run.Id}";

    protected override Task<ModelVersion> OutputAsync(TrainingRun run, ModelVersion baseModel, string folder, CancellationToken cancellationToken) =>
        PpoOutput.VersionAsync(Db, run, baseModel, folder, cancellationToken);

    private sealed class Trainer(PolicyWithValueHead model, CausalLM reference, PpoRewardMix reward, PpoConfig config, List<PpoPrompt> train, List<PpoPrompt> eval)
        : IRunTrainer
    {
        private readonly PpoTrainer _trainer = new(model, reference, reward.Reward, config);

        public long TotalSteps => config.Iterations(train.Count);

        public IReadOnlyDictionary<string, double> Train(IProgress<TrainingStep> progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken)
        {
            var heldOut = eval.Select(p => p.Tokens).ToList();
            var metrics = new Dictionary<string, double>();
            // The base is the reference, which never moves: measured on it, "before" is the same on a resumed run.
            if (heldOut.Count > 0)
                metrics[HeldOutReferenceScore] = PpoHeldOut.Of(reference, reference, reward.Reward, config, heldOut, config.Seed).MeanScore;
            _trainer.Train(train.Select(p => p.Tokens).ToList(), reward.WithSourceScores(progress), checkpoints, cancellationToken);
            if (heldOut.Count > 0)
            {
                var after = PpoHeldOut.Of(model.Policy, reference, reward.Reward, config, heldOut, config.Seed);
                metrics[HeldOutScore] = after.MeanScore;
                metrics[HeldOutKl] = after.MeanKl;
            }
            return metrics;
        }

        public void SaveTo(string folder) => model.SavePretrained(folder);

        public void Dispose()
        {
            model.Dispose();
            reference.Dispose();
            reward.Dispose();
        }
    }
}
