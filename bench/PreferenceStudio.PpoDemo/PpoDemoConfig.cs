using PreferenceStudio.Training;
using PreferenceStudio.Training.Ppo;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.PpoDemo;

/// <summary>
/// The PPO demo's settings. Every arm gets the same annotations per round: <see cref="PromptsPerRound"/> prompts,
/// two answers each from the arm's own policy; the scalar arm and DPO get the annotator's preference between the two,
/// the span arm the annotator's span marks on both, the mixed arm both. Every PPO arm then runs the same PPO for the
/// same rollouts.
/// </summary>
internal sealed record PpoDemoConfig
{
    public int PromptsPerRound { get; init; } = 128;

    /// <summary>PPO iterations per round, each of <see cref="PpoConfig.BatchSize"/> fresh samples.</summary>
    public int RolloutBatches { get; init; } = 8;

    /// <summary>Held-out answers per held-out prompt for the error rates.</summary>
    public int EvalSamplesPerPrompt { get; init; } = 32;

    public double Temperature { get; init; } = 1.0;

    /// <summary>Three sentences of the error demo policy are about 25 tokens; the rest is room to ramble.</summary>
    public int MaxNewTokens { get; init; } = 40;

    /// <summary>Every PPO arm alike, against the base as the reference of every round (with each round's start as
    /// the reference, the span arm's answers shrank to "." by round three: every token costs a little error mass). Scores scaled and centred by their running moments (PPO-max), so that β means
    /// the same against the scalar model's arbitrary scale and the span model's error mass.</summary>
    public PpoConfig Ppo { get; init; } = new()
    {
        LearningRate = 5e-4, BatchSize = 64, MiniBatchSize = 16, NumPpoEpochs = 4, KlCoef = 0.05, Temperature = 1.0,
        MaxNewTokens = 40, UseScoreScaling = true, UseScoreNorm = true, ScoreClip = 5, VfCoef = 0.1,
    };

    /// <summary>The scalar reward model, from the base on every preference so far (the loop demo's settings).</summary>
    public RewardConfig Reward { get; init; } = new() { LearningRate = 1e-3, Epochs = 3, BatchSize = 16, WarmupRatio = 0.1 };

    /// <summary>The span reward model, from the base on every span-marked answer so far.</summary>
    public SpanRewardConfig Span { get; init; } = new() { LearningRate = 1e-3, Epochs = 3, BatchSize = 16, WarmupRatio = 0.1 };

    /// <summary>Cross-entropy weight of each error class next to "no error"'s 1: error tokens are a few percent of an
    /// answer, so missing one should cost more.</summary>
    public double ErrorClassWeight { get; init; } = 3;

    /// <summary>Segments end at sentence ends, as Fine-Grained RLHF rewards factuality per sentence; no segment bonus
    /// (see SegmentRewardConfig.SegmentBonus: 0.2 paid for stray extra sentences).</summary>
    public SegmentRewardConfig Segments { get; init; } = new();

    /// <summary>The mixed arm's weight on the span model's dense rewards (at sentence ends).</summary>
    public double MixSpanWeight { get; init; } = 1;

    /// <summary>The mixed arm's weight on the scalar reward model's score (at the answer's end). Both parts are raw
    /// scores, mixed token by token before PPO-max's running moments scale their sum.</summary>
    public double MixScalarWeight { get; init; } = 1;

    /// <summary>Online DPO on each round's pairs (the loop demo's settings).</summary>
    public DpoConfig Dpo { get; init; } = new() { Beta = 0.1, LearningRate = 5e-4, Epochs = 2, BatchSize = 16, RpoAlpha = 1 };
}
