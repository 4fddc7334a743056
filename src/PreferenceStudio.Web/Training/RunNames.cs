using PreferenceStudio.Core.Training;

namespace PreferenceStudio.Web.Training;

public static class RunNames
{
    public static string Kind(TrainingKind kind) => kind switch
    {
        TrainingKind.RewardModel => "reward model",
        TrainingKind.Dpo => "DPO",
        TrainingKind.Ppo => "PPO",
        TrainingKind.OnlineDpo => "online DPO",
        TrainingKind.SpanRewardModel => "span reward model",
        TrainingKind.PrincipleRewardModel => "principle reward model",
        _ => kind.ToString(),
    };

    /// <summary>A metric as the tables show it: three decimals, or a dash when there is none yet.</summary>
    public static string Number(double? value) => value?.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) ?? "–";
}
