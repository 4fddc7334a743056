using PreferenceStudio.Core.Loop;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Loop;

/// <summary>
/// The loop form's choice of trainer for a round's policy update (DPO or PPO) and PPO's fields, which are the launch
/// form's (<see cref="PpoFieldsModel"/>) with messages named "ppo.&lt;field&gt;"; the round gives PPO its own freshly
/// trained scalar reward model, so the form names none.
/// </summary>
public sealed partial class LoopSettingsModel
{
    public PolicyTrainer PolicyTrainer { get; set; }

    public PpoFieldsModel Ppo { get; private set; } = PpoFieldsModel.ForLoop(new PpoRunConfig());

    public PpoRunConfig PpoConfig() => Ppo.ToConfig();

    private void TakePpo(PolicyTrainer trainer, string ppoJson)
    {
        PolicyTrainer = trainer;
        Ppo = PpoFieldsModel.ForLoop(PpoRunConfig.FromJson(ppoJson));
    }

    // "ppo.kl_coef must ..." names a PPO field; the rest are the loop's own.
    private static IReadOnlyList<string> PropertiesOf(string message) =>
        PpoFieldsModel.PropertiesOf(message, PpoFieldsModel.LoopPrefix) is { Count: > 0 } ppo
            ? ppo
            : message.Split([' ', ':'], 2)[0] switch
            {
                "policy_trainer" => [nameof(PolicyTrainer)],
                var field when PropertyOfField.TryGetValue(field, out var property) => [property],
                _ => [],
            };
}
