using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Web.Training;

/// <summary>
/// The launch form's PPO fields: the reward model (a scalar one, picked among the registered reward models), PPO's
/// KL coefficient, rollout and mini-batch sizes, PPO epochs, episodes, response length, temperature and clipping. The
/// learning rate, seed, held-out share and checkpoint interval are the form's shared fields.
/// </summary>
public sealed partial class TrainingLaunchModel
{
    public int? PpoRewardModelId { get; set; }
    public double PpoKlCoef { get; set; }
    public int PpoBatchSize { get; set; }
    public int PpoMiniBatchSize { get; set; }
    public int PpoEpochs { get; set; }
    public int? PpoTotalEpisodes { get; set; }
    public int PpoResponseLength { get; set; }
    public double PpoTemperature { get; set; }
    public double PpoCliprange { get; set; }
    public double PpoVfCoef { get; set; }

    /// <summary>The C# property each of PPO's field names belongs to (the shared ones are in <see cref="PropertyOfField"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string> PpoPropertyOfField = new Dictionary<string, string>
    {
        ["reward.reward_model_id"] = nameof(PpoRewardModelId),
        ["kl_coef"] = nameof(PpoKlCoef),
        ["batch_size"] = nameof(PpoBatchSize),
        ["mini_batch_size"] = nameof(PpoMiniBatchSize),
        ["num_ppo_epochs"] = nameof(PpoEpochs),
        ["total_episodes"] = nameof(PpoTotalEpisodes),
        ["response_length"] = nameof(PpoResponseLength),
        ["temperature"] = nameof(PpoTemperature),
        ["cliprange"] = nameof(PpoCliprange),
        ["vf_coef"] = nameof(PpoVfCoef),
    };

    private void SwitchToPpo()
    {
        var run = new PpoRunConfig();
        var t = run.Trainer;
        (EvalShare, SaveSteps, LearningRate, WeightDecay, MaxGradNorm, Seed) = (run.EvalShare, run.SaveSteps, t.LearningRate, t.WeightDecay, t.MaxGradNorm, t.Seed);
        (PpoKlCoef, PpoBatchSize, PpoMiniBatchSize, PpoEpochs, PpoTotalEpisodes) = (t.KlCoef, t.BatchSize, t.MiniBatchSize, t.NumPpoEpochs, t.TotalEpisodes);
        (PpoResponseLength, PpoTemperature, PpoCliprange, PpoVfCoef) = (t.MaxNewTokens, t.Temperature, t.Cliprange, t.VfCoef);
    }

    public PpoRunConfig ToPpoConfig() => new()
    {
        Trainer = new PpoConfig
        {
            LearningRate = LearningRate, WeightDecay = WeightDecay, MaxGradNorm = MaxGradNorm, Seed = Seed,
            KlCoef = PpoKlCoef, BatchSize = PpoBatchSize, MiniBatchSize = PpoMiniBatchSize, NumPpoEpochs = PpoEpochs, TotalEpisodes = PpoTotalEpisodes,
            MaxNewTokens = PpoResponseLength, Temperature = PpoTemperature, Cliprange = PpoCliprange, VfCoef = PpoVfCoef,
        },
        Reward = new PpoRewardSection { RewardModelId = PpoRewardModelId },
        EvalShare = EvalShare,
        SaveSteps = SaveSteps,
    };

    private IEnumerable<string> PpoProblems()
    {
        if (PpoRewardModelId is null)
            yield return "reward.reward_model_id: choose a reward model (its score is PPO's reward)";
        foreach (var problem in ToPpoConfig().Validate())
            yield return problem;
    }
}
