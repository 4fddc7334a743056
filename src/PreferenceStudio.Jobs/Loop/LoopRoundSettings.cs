using System.Text.Json;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>What a round runs with, frozen on the round when it is created: later edits of the loop change later rounds only.</summary>
public sealed record LoopRoundSettings(
    int ResponsesPerPrompt,
    int PromptsPerRound,
    double HumanShare,
    TimeSpan LabelDeadline,
    int EvalPrompts,
    RewardRunConfig Reward,
    DpoRunConfig Dpo,
    PolicyTrainer Trainer = PolicyTrainer.Dpo,
    PpoRunConfig? Ppo = null)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static LoopRoundSettings From(LoopSettings settings) => new(
        settings.ResponsesPerPrompt, settings.PromptsPerRound, settings.HumanShare, settings.LabelDeadline, settings.EvalPrompts,
        RewardRunConfig.FromJson(settings.RewardConfigJson), DpoRunConfig.FromJson(settings.DpoConfigJson),
        settings.PolicyTrainer, PpoRunConfig.FromJson(settings.PpoConfigJson));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static LoopRoundSettings FromJson(string json) =>
        JsonSerializer.Deserialize<LoopRoundSettings>(json, Json) ?? throw new FormatException("The round's settings are empty.");

    /// <summary>
    /// The reward, DPO and PPO configs' problems, each prefixed with the section it is in. PPO's values are checked only
    /// when PPO is the loop's trainer: with DPO its section is hidden on the form, and its values are checked when PPO is
    /// chosen; it must still be a config, since every round reads it.
    /// </summary>
    public static IReadOnlyList<string> ValidateConfigs(string rewardJson, string dpoJson, string ppoJson, PolicyTrainer trainer)
    {
        var errors = new List<string>();
        Check("reward", () => RewardRunConfig.FromJson(rewardJson).Validate(), errors);
        Check("dpo", () => DpoRunConfig.FromJson(dpoJson).Validate(), errors);
        Check("ppo", () => PpoRunConfig.FromJson(ppoJson) is var ppo && trainer == PolicyTrainer.Ppo ? ppo.Validate() : [], errors);
        return errors;
    }

    private static void Check(string section, Func<IReadOnlyList<string>> validate, List<string> errors)
    {
        try
        {
            errors.AddRange(validate().Select(e => $"{section}.{e}"));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            errors.Add($"{section}: not a config ({ex.Message})");
        }
    }
}
