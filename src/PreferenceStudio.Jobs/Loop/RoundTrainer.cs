using System.Text.Json;
using PreferenceStudio.Core.Loop;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>Which trainer a round's policy update runs, as its frozen settings say (DPO for rounds from before the choice).</summary>
public static class RoundTrainer
{
    public static PolicyTrainer Of(LoopRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        try
        {
            return LoopRoundSettings.FromJson(round.SettingsJson).Trainer;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return PolicyTrainer.Dpo;
        }
    }
}
