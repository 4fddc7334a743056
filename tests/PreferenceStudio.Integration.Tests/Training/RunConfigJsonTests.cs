using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>
/// Run configs are stored as JSON on the run (and in loop settings and rounds): the JSON the trainer configs wrote
/// before they shared a base record must still read, field for field, and a config must still write it byte for byte.
/// </summary>
public class RunConfigJsonTests
{
    // Written by RewardRunConfig.ToJson() before the trainer configs shared OptimizerConfig.
    private const string StoredReward = """
        {
          "trainer": {
            "learning_rate": 2E-05,
            "batch_size": 4,
            "epochs": 3,
            "max_length": 512,
            "warmup_ratio": 0.2,
            "weight_decay": 0.01,
            "max_grad_norm": 0.5,
            "use_margin": true,
            "disable_dropout": false,
            "seed": 7
          },
          "eval_share": 0.2,
          "save_steps": 10
        }
        """;

    // Written by DpoRunConfig.ToJson() before the trainer configs shared OptimizerConfig.
    private const string StoredDpo = """
        {
          "trainer": {
            "beta": 0.2,
            "loss_type": "robust",
            "label_smoothing": 0.1,
            "rpo_alpha": 1,
            "learning_rate": 5E-07,
            "batch_size": 2,
            "epochs": 2,
            "max_length": 256,
            "warmup_ratio": 0.05,
            "weight_decay": 0.1,
            "max_grad_norm": 2,
            "disable_dropout": false,
            "seed": 9
          },
          "eval_share": 0.05,
          "save_steps": 0
        }
        """;

    private static readonly RewardRunConfig Reward = new()
    {
        Trainer = new RewardConfig
        {
            LearningRate = 2e-5, BatchSize = 4, Epochs = 3, MaxLength = 512, WarmupRatio = 0.2, WeightDecay = 0.01,
            MaxGradNorm = 0.5, UseMargin = true, DisableDropout = false, Seed = 7,
        },
        EvalShare = 0.2,
        SaveSteps = 10,
    };

    private static readonly DpoRunConfig Dpo = new()
    {
        Trainer = new DpoConfig
        {
            Beta = 0.2, LossType = DpoLossType.Robust, LabelSmoothing = 0.1, RpoAlpha = 1, LearningRate = 5e-7, BatchSize = 2,
            Epochs = 2, MaxLength = 256, WarmupRatio = 0.05, WeightDecay = 0.1, MaxGradNorm = 2, DisableDropout = false, Seed = 9,
        },
        EvalShare = 0.05,
        SaveSteps = 0,
    };

    [Fact]
    public void RewardFromJson_JsonStoredBeforeTheSharedBase_ReadsEveryField()
    {
        RewardRunConfig.FromJson(StoredReward).ShouldBe(Reward);
    }

    [Fact]
    public void RewardToJson_EveryFieldSet_WritesTheStoredJsonByteForByte()
    {
        Reward.ToJson().ShouldBe(StoredReward);
    }

    [Fact]
    public void DpoFromJson_JsonStoredBeforeTheSharedBase_ReadsEveryField()
    {
        DpoRunConfig.FromJson(StoredDpo).ShouldBe(Dpo);
    }

    [Fact]
    public void DpoToJson_EveryFieldSet_WritesTheStoredJsonByteForByte()
    {
        Dpo.ToJson().ShouldBe(StoredDpo);
    }

    [Fact]
    public void FromJson_DefaultsStoredAsEmptyTrainer_KeepEachTrainersOwnDefaults()
    {
        var reward = RewardRunConfig.FromJson("""{ "trainer": {} }""").Trainer;
        var dpo = DpoRunConfig.FromJson("""{ "trainer": {} }""").Trainer;

        (reward.LearningRate, reward.WarmupRatio, reward.BatchSize, reward.MaxLength, reward.Seed).ShouldBe((1e-5, 0.03, 8, 1024, 42UL));
        (dpo.LearningRate, dpo.WarmupRatio, dpo.BatchSize, dpo.MaxLength, dpo.Seed).ShouldBe((1e-4, 0.1, 8, 1024, 42UL));
        reward.ShouldBe(new RewardConfig());
        dpo.ShouldBe(new DpoConfig());
    }
}
