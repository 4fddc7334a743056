using System.Globalization;

namespace PreferenceStudio.Training.Online;

/// <summary>
/// One round of online iterative DPO: how many responses to sample, how many of the pairs a person labels, and how
/// the reward model and the policy are trained. The defaults are tuned for the demo's tiny chat policy
/// (Models.DemoPolicy) on this CPU; each says what was measured.
/// </summary>
public sealed record OnlineRoundConfig
{
    /// <summary>K, the responses sampled per prompt. TUNING</summary>
    public int ResponsesPerPrompt { get; init; } = 4;

    /// <summary>Prompts per round (drawn in turn from the training prompts, repeating when there are fewer). TUNING</summary>
    public int PromptsPerRound { get; init; } = 128;

    /// <summary>Share of the round's prompts whose pair a person (or the simulated annotator) labels; the reward model
    /// ranks best-of-K against worst-of-K for the rest. From 0 (reward model only) to 1 (people only).</summary>
    public double HumanShare { get; init; } = 0.5;

    /// <summary>Sampling temperature. TUNING</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Longest response in tokens. TUNING</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>How the reward model is trained, from the base, on every label so far. TUNING</summary>
    public RewardConfig Reward { get; init; } = new() { LearningRate = 1e-3, Epochs = 3, BatchSize = 16, WarmupRatio = 0.1 };

    /// <summary>How the policy is trained on the round's pairs against the policy the round started from. TUNING</summary>
    public DpoConfig Dpo { get; init; } = new() { Beta = 0.1, LearningRate = 1e-4, Epochs = 2, BatchSize = 16 };

    /// <summary>Every problem of the config, each naming the field; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string message) { if (!ok) errors.Add(message); }
        Require(ResponsesPerPrompt >= 2, $"responses_per_prompt must be at least 2 (a pair), got {ResponsesPerPrompt}");
        Require(PromptsPerRound >= 1, $"prompts_per_round must be at least 1, got {PromptsPerRound}");
        Require(HumanShare is >= 0 and <= 1, $"human_share must be in [0, 1], got {F(HumanShare)}");
        Require(Temperature > 0 && double.IsFinite(Temperature), $"temperature must be positive, got {F(Temperature)}");
        Require(MaxNewTokens >= 1, $"max_new_tokens must be at least 1, got {MaxNewTokens}");
        errors.AddRange(Reward.Validate().Select(e => "reward: " + e));
        errors.AddRange(Dpo.Validate().Select(e => "dpo: " + e));
        return errors;
    }

    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid online round config: " + string.Join("; ", errors));
    }

    private static string F(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
