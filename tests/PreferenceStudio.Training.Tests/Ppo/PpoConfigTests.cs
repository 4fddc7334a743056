using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Training.Tests.Ppo;

public class PpoConfigTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        new PpoConfig().Validate().ShouldBeEmpty();
        (new PpoConfig() with { AdapKlCtrl = true, UseScoreScaling = true, UseScoreNorm = true, ScoreClip = 5, KlEstimator = KlEstimator.K3, StopTokenId = 2, MissingEosPenalty = 1 })
            .Validate().ShouldBeEmpty();
    }

    [Fact]
    public void Validate_MiniBatchLargerThanTheRolloutBatch_NamesBothValues()
    {
        var errors = (new PpoConfig() with { BatchSize = 8, MiniBatchSize = 16 }).Validate();

        errors.ShouldHaveSingleItem().ShouldBe("mini_batch_size must not exceed batch_size (the rollout batch it is cut from), got mini_batch_size 16 and batch_size 8");
    }

    [Fact]
    public void Validate_RolloutBatchNotAMultipleOfTheMiniBatch_NamesBothValues()
    {
        var errors = (new PpoConfig() with { BatchSize = 10, MiniBatchSize = 4 }).Validate();

        errors.ShouldHaveSingleItem().ShouldBe("batch_size must be a multiple of mini_batch_size, got batch_size 10 and mini_batch_size 4");
    }

    [Theory]
    [InlineData("adaptive-zero-beta", "adap_kl_ctrl needs kl_coef > 0 (the controller scales it), got kl_coef 0")]
    [InlineData("norm-without-scaling", "use_score_norm only applies with use_score_scaling, got use_score_norm true and use_score_scaling false")]
    [InlineData("eos-penalty-without-stop", "missing_eos_penalty needs stop_token_id (without it no response stops), got missing_eos_penalty 1")]
    public void Validate_ConflictingFields_NamesBoth(string conflict, string expected)
    {
        var config = conflict switch
        {
            "adaptive-zero-beta" => new PpoConfig { AdapKlCtrl = true, KlCoef = 0 },
            "norm-without-scaling" => new PpoConfig { UseScoreNorm = true },
            _ => new PpoConfig { MissingEosPenalty = 1 },
        };

        config.Validate().ShouldHaveSingleItem().ShouldBe(expected);
    }

    [Fact]
    public void Validate_EveryBadField_IsNamedWithItsValue()
    {
        var config = new PpoConfig
        {
            LearningRate = 0, NumPpoEpochs = 0, Gamma = 1.5, Lam = -0.1, Cliprange = 0, CliprangeValue = -1, VfCoef = -0.5,
            KlCoef = -1, KlEstimator = "k2", ScoreClip = 0, MaxNewTokens = 0, Temperature = 0, MaxGradNorm = 0, TotalEpisodes = 0,
        };

        var message = Should.Throw<ArgumentException>(config.ThrowIfInvalid).Message;

        message.ShouldStartWith("Invalid PPO config: ");
        string[] expected =
        [
            "learning_rate must be in (0, 1), got 0", "num_ppo_epochs must be at least 1, got 0", "gamma must be in (0, 1], got 1.5",
            "lam must be in [0, 1], got -0.1", "cliprange must be in (0, 1), got 0", "cliprange_value must be positive, got -1",
            "vf_coef must not be negative, got -0.5", "kl_coef must not be negative, got -1", "kl_estimator must be one of k1, k3, got 'k2'",
            "score_clip must be positive, or null for no clipping, got 0", "response_length must be at least 1, got 0",
            "temperature must be positive", "max_grad_norm must be positive, got 0", "total_episodes must be at least 1",
        ];
        foreach (var part in expected) message.ShouldContain(part);
    }

    [Theory]
    [InlineData(10, null, 1, 4, 3L)]      // one pass over 10 prompts, 4 a batch: ⌈10 / 4⌉
    [InlineData(10, null, 2, 4, 5L)]
    [InlineData(10, 64, 1, 16, 4L)]       // total_episodes wins over the passes
    public void Iterations_AreEpisodesOverTheRolloutBatchRoundedUp(int prompts, int? totalEpisodes, int epochs, int batch, long expected)
    {
        var config = new PpoConfig { TotalEpisodes = totalEpisodes, NumTrainEpochs = epochs, BatchSize = batch, MiniBatchSize = batch };

        config.Iterations(prompts).ShouldBe(expected);
    }
}
