using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Web.Training;

/// <summary>
/// The launch form's PPO run: PPO's fields and the reward's sources are <see cref="Ppo"/> (the same model the loop
/// settings use); the form's shared fields give the run its weight decay, gradient clipping, seed, held-out share and
/// checkpoint interval.
/// </summary>
public sealed partial class TrainingLaunchModel
{
    public PpoFieldsModel Ppo { get; private set; } = PpoFieldsModel.ForLaunch();

    private void SwitchToPpo()
    {
        Ppo = PpoFieldsModel.ForLaunch();
        var run = new PpoRunConfig();
        var t = run.Trainer;
        (EvalShare, SaveSteps, WeightDecay, MaxGradNorm, Seed) = (run.EvalShare, run.SaveSteps, t.WeightDecay, t.MaxGradNorm, t.Seed);
    }

    public PpoRunConfig ToPpoConfig()
    {
        var config = Ppo.ToConfig();
        return config with
        {
            Trainer = config.Trainer with { WeightDecay = WeightDecay, MaxGradNorm = MaxGradNorm, Seed = Seed },
            EvalShare = EvalShare,
            SaveSteps = SaveSteps,
        };
    }

    private IEnumerable<string> PpoProblems() => Ppo.SourceProblems().Concat(ToPpoConfig().Validate());

    // A PPO message names a PPO field first ("learning_rate" is PPO's own there), a shared one otherwise.
    private static IReadOnlyList<string> PropertiesOf(string message, TrainingKind kind) =>
        kind == TrainingKind.Ppo && PpoFieldsModel.PropertiesOf(message, "") is { Count: > 0 } ppo
            ? ppo
            : PropertyOfField.TryGetValue(FieldOf(message), out var property) ? [property] : [];
}
