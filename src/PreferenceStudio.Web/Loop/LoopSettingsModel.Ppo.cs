using PreferenceStudio.Core.Loop;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Web.Loop;

/// <summary>
/// The loop form's choice of trainer for a round's policy update (DPO or PPO) and PPO's fields; the round gives PPO
/// its own freshly trained reward model, so the form names none. Messages name them "ppo.&lt;field&gt;".
/// </summary>
public sealed partial class LoopSettingsModel
{
    private PpoRunConfig _ppo = new();

    public PolicyTrainer PolicyTrainer { get; set; }
    public double PpoKlCoef { get; set; }
    public double PpoLearningRate { get; set; }
    public int PpoBatchSize { get; set; }
    public int PpoMiniBatchSize { get; set; }
    public int PpoEpochs { get; set; }
    public int PpoResponseLength { get; set; }

    public static readonly IReadOnlyDictionary<string, string> PpoPropertyOfField = new Dictionary<string, string>
    {
        ["policy_trainer"] = nameof(PolicyTrainer),
        ["ppo.kl_coef"] = nameof(PpoKlCoef),
        ["ppo.learning_rate"] = nameof(PpoLearningRate),
        ["ppo.batch_size"] = nameof(PpoBatchSize),
        ["ppo.mini_batch_size"] = nameof(PpoMiniBatchSize),
        ["ppo.num_ppo_epochs"] = nameof(PpoEpochs),
        ["ppo.response_length"] = nameof(PpoResponseLength),
    };

    public PpoRunConfig PpoConfig() => _ppo with
    {
        Trainer = _ppo.Trainer with
        {
            KlCoef = PpoKlCoef, LearningRate = PpoLearningRate, BatchSize = PpoBatchSize, MiniBatchSize = PpoMiniBatchSize,
            NumPpoEpochs = PpoEpochs, MaxNewTokens = PpoResponseLength,
        },
    };

    private void TakePpo(PolicyTrainer trainer, string ppoJson)
    {
        PolicyTrainer = trainer;
        _ppo = PpoRunConfig.FromJson(ppoJson);
        var t = _ppo.Trainer;
        (PpoKlCoef, PpoLearningRate, PpoBatchSize, PpoMiniBatchSize, PpoEpochs, PpoResponseLength) =
            (t.KlCoef, t.LearningRate, t.BatchSize, t.MiniBatchSize, t.NumPpoEpochs, t.MaxNewTokens);
    }
}
