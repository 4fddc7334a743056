namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// β of the KL penalty across iterations. Fixed, or adaptive as in Ziegler et al. 2019 §2.2 (TRL's
/// AdaptiveKLController): e = clip(KL / KL_target − 1, −0.2, 0.2), β ← β (1 + e · n / horizon), with KL the mean
/// KL per response of the n responses just sampled: β grows while the policy drifts past the target and shrinks
/// while it stays within.
/// </summary>
public sealed class KlController(double initial, double? target = null, double horizon = 10000)
{
    public double Value { get; private set; } = initial;

    public bool Adaptive => target is not null;

    /// <summary>After an iteration whose <paramref name="responses"/> had mean KL <paramref name="kl"/> (nats per response).</summary>
    public void Update(double kl, int responses)
    {
        if (target is not { } goal || !double.IsFinite(kl)) return;
        var error = Math.Clamp(kl / goal - 1, -0.2, 0.2);
        Value *= 1 + error * responses / horizon;
    }

    /// <summary>Puts β back where a checkpointed run had it.</summary>
    public void Restore(double value) => Value = value;

    public static KlController For(PpoConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new KlController(config.KlCoef, config.AdapKlCtrl ? config.Target : null, config.Horizon);
    }
}
