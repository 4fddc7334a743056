using System.Globalization;

namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// How a policy is trained with PPO (Schulman et al. 2017) from a reward function, in the shape of TRL's PPOConfig.
/// Names in errors are TRL's field names (its PPOConfig, with batch_size, mini_batch_size, adap_kl_ctrl, target,
/// horizon, use_score_scaling, use_score_norm and score_clip as in its first PPO trainer).
/// </summary>
public sealed record PpoConfig : ITrainerConfig
{
    /// <summary>
    /// AdamW learning rate, constant. TRL's 3e-6 suits billion-parameter models; the tiny models trained on this CPU
    /// need about 1e-3 to move within tens of iterations.
    /// </summary>
    public double LearningRate { get; init; } = 3e-6;

    /// <summary>Responses sampled per PPO iteration (the rollout batch): one per prompt, prompts taken in a seeded order.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Responses per optimizer step; the rollout batch is split into BatchSize / MiniBatchSize of them.</summary>
    public int MiniBatchSize { get; init; } = 16;

    /// <summary>Passes of clipped updates over each rollout batch.</summary>
    public int NumPpoEpochs { get; init; } = 4;

    /// <summary>Passes over the prompts, when <see cref="TotalEpisodes"/> is not set.</summary>
    public int NumTrainEpochs { get; init; } = 1;

    /// <summary>Responses to sample in all; null: NumTrainEpochs × the number of prompts. Iterations = ⌈episodes / batch_size⌉.</summary>
    public int? TotalEpisodes { get; init; }

    /// <summary>γ, the discount of GAE; 1 as in TRL: a response is short and its reward comes at the end.</summary>
    public double Gamma { get; init; } = 1.0;

    /// <summary>λ of GAE: 1 is the Monte-Carlo return minus the value, 0 the one-step TD error.</summary>
    public double Lam { get; init; } = 0.95;

    /// <summary>ε of the clipped surrogate: the ratio π_θ / π_old counts only within [1 − ε, 1 + ε].</summary>
    public double Cliprange { get; init; } = 0.2;

    /// <summary>How far a new value prediction may move from the rollout's before the clipped value loss stops it.</summary>
    public double CliprangeValue { get; init; } = 0.2;

    /// <summary>Weight of the value loss next to the policy loss (they share the backbone).</summary>
    public double VfCoef { get; init; } = 0.1;

    /// <summary>β of the per-token KL penalty, fixed; with <see cref="AdapKlCtrl"/> its starting value.</summary>
    public double KlCoef { get; init; } = 0.05;

    /// <summary>k1 or k3 (<see cref="Ppo.KlEstimator"/>): how the penalty estimates the KL at each sampled token.</summary>
    public string KlEstimator { get; init; } = Ppo.KlEstimator.K1;

    /// <summary>Adapts β after every iteration so that the KL tracks <see cref="Target"/> (Ziegler et al. 2019, §2.2).</summary>
    public bool AdapKlCtrl { get; init; }

    /// <summary>The KL per response (nats, summed over its tokens) the adaptive controller aims at; TRL's 6.</summary>
    public double Target { get; init; } = 6;

    /// <summary>Responses over which the adaptive controller may change β by up to 20 % of the error; TRL's 10000.</summary>
    public double Horizon { get; init; } = 10000;

    /// <summary>Whitens the per-token rewards (scaled to unit variance, mean kept) before GAE.</summary>
    public bool WhitenRewards { get; init; }

    /// <summary>Divides the scores by the running standard deviation of the responses' total score (PPO-max's reward scaling).</summary>
    public bool UseScoreScaling { get; init; }

    /// <summary>With use_score_scaling, also subtracts the running mean (at each response's last token).</summary>
    public bool UseScoreNorm { get; init; }

    /// <summary>Clips every token's score to [−c, c] after scaling; null leaves them as they are.</summary>
    public double? ScoreClip { get; init; }

    /// <summary>Subtracted from the score of a response that ran out of tokens before its stop token; null: none.</summary>
    public double? MissingEosPenalty { get; init; }

    /// <summary>Longest response in tokens (TRL's response_length; the generator's max_new_tokens).</summary>
    public int MaxNewTokens { get; init; } = 53;

    /// <summary>Sampling temperature; the log-probabilities of the policy and the reference are taken at it too, as TRL does.</summary>
    public double Temperature { get; init; } = 0.7;

    /// <summary>The token that ends a response (kept in it); null: responses run to max_new_tokens.</summary>
    public long? StopTokenId { get; init; }

    /// <summary>Gradients are clipped to this joint 2-norm.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Decoupled weight decay on matrices (AdamW); 0 as in Hugging Face's Trainer.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Seeds the prompt order, the sampling and the mini-batch order: the same seed gives the same run.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Every problem of the config, each naming the field and its value; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string message) { if (!ok) errors.Add(message); }
        Require(LearningRate is > 0 and < 1, $"learning_rate must be in (0, 1), got {F(LearningRate)}");
        Require(BatchSize >= 1, $"batch_size must be at least 1, got {BatchSize}");
        Require(MiniBatchSize >= 1, $"mini_batch_size must be at least 1, got {MiniBatchSize}");
        if (BatchSize >= 1 && MiniBatchSize >= 1)
        {
            Require(MiniBatchSize <= BatchSize,
                $"mini_batch_size must not exceed batch_size (the rollout batch it is cut from), got mini_batch_size {MiniBatchSize} and batch_size {BatchSize}");
            // TRL refuses the same: a last, smaller mini-batch would weigh its responses more than the others.
            Require(MiniBatchSize > BatchSize || BatchSize % MiniBatchSize == 0,
                $"batch_size must be a multiple of mini_batch_size, got batch_size {BatchSize} and mini_batch_size {MiniBatchSize}");
        }
        Require(NumPpoEpochs >= 1, $"num_ppo_epochs must be at least 1, got {NumPpoEpochs}");
        Require(NumTrainEpochs >= 1, $"num_train_epochs must be at least 1, got {NumTrainEpochs}");
        Require(TotalEpisodes is null or >= 1, $"total_episodes must be at least 1, or null for num_train_epochs passes over the prompts, got {TotalEpisodes}");
        Require(Gamma is > 0 and <= 1, $"gamma must be in (0, 1], got {F(Gamma)}");
        Require(Lam is >= 0 and <= 1, $"lam must be in [0, 1], got {F(Lam)}");
        Require(Cliprange is > 0 and < 1, $"cliprange must be in (0, 1), got {F(Cliprange)}");
        Require(CliprangeValue > 0 && double.IsFinite(CliprangeValue), $"cliprange_value must be positive, got {F(CliprangeValue)}");
        Require(VfCoef >= 0 && double.IsFinite(VfCoef), $"vf_coef must not be negative, got {F(VfCoef)}");
        Require(KlCoef >= 0 && double.IsFinite(KlCoef), $"kl_coef must not be negative, got {F(KlCoef)}");
        Require(Ppo.KlEstimator.All.Contains(KlEstimator), $"kl_estimator must be one of {string.Join(", ", Ppo.KlEstimator.All)}, got '{KlEstimator}'");
        if (AdapKlCtrl)
        {
            // The controller multiplies β: from 0 it could never move.
            Require(KlCoef > 0, $"adap_kl_ctrl needs kl_coef > 0 (the controller scales it), got kl_coef {F(KlCoef)}");
            Require(Target > 0 && double.IsFinite(Target), $"target must be positive with adap_kl_ctrl, got {F(Target)}");
            Require(Horizon > 0 && double.IsFinite(Horizon), $"horizon must be positive with adap_kl_ctrl, got {F(Horizon)}");
        }
        Require(!(UseScoreNorm && !UseScoreScaling),
            "use_score_norm only applies with use_score_scaling, got use_score_norm true and use_score_scaling false");
        Require(ScoreClip is null || (ScoreClip > 0 && double.IsFinite(ScoreClip.Value)), $"score_clip must be positive, or null for no clipping, got {F(ScoreClip ?? 0)}");
        Require(MissingEosPenalty is null || double.IsFinite(MissingEosPenalty.Value), $"missing_eos_penalty must be finite, got {F(MissingEosPenalty ?? 0)}");
        Require(!(MissingEosPenalty is not null && StopTokenId is null),
            $"missing_eos_penalty needs stop_token_id (without it no response stops), got missing_eos_penalty {F(MissingEosPenalty ?? 0)}");
        Require(MaxNewTokens >= 1, $"response_length must be at least 1, got {MaxNewTokens}");
        Require(Temperature > 0 && double.IsFinite(Temperature), $"temperature must be positive (PPO samples; greedy responses have no ratio to clip), got {F(Temperature)}");
        Require(StopTokenId is null or >= 0, $"stop_token_id must be a token id, got {StopTokenId}");
        Require(MaxGradNorm > 0, $"max_grad_norm must be positive, got {F(MaxGradNorm)}");
        Require(WeightDecay >= 0, $"weight_decay must not be negative, got {F(WeightDecay)}");
        return errors;
    }

    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid PPO config: " + string.Join("; ", errors));
    }

    /// <summary>PPO iterations (rollout batches, one optimizer pass each) over <paramref name="promptCount"/> prompts.</summary>
    public long Iterations(int promptCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(promptCount);
        var episodes = TotalEpisodes ?? (long)NumTrainEpochs * promptCount;
        return (episodes + BatchSize - 1) / BatchSize;
    }

    private static string F(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
