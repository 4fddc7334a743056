using TorchSharp;
using static TorchSharp.torch.optim;

namespace PreferenceStudio.Models.Optim;

/// <summary>
/// Linear warmup from 0 to <see cref="MaxLr"/> over <see cref="WarmupSteps"/>, then a half cosine down to
/// <see cref="MinLr"/> at <see cref="TotalSteps"/>, then flat (nanoGPT's get_lr; transformers' cosine schedule
/// with warmup when MinLr is 0).
/// </summary>
public sealed record WarmupCosineSchedule(double MaxLr, long WarmupSteps, long TotalSteps, double MinLr = 0)
{
    /// <summary>The learning rate for 0-based step <paramref name="step"/>.</summary>
    public double At(long step)
    {
        if (step < WarmupSteps) return MaxLr * (step + 1) / WarmupSteps;
        if (step >= TotalSteps) return MinLr;
        var progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);  // 0 → 1
        var coefficient = 0.5 * (1.0 + Math.Cos(Math.PI * progress));                         // 1 → 0
        return MinLr + coefficient * (MaxLr - MinLr);
    }

    /// <summary>torch.optim.lr_scheduler.LambdaLR following this schedule, for an optimizer made with lr = MaxLr:
    /// call its step() after each optimizer step.</summary>
    public lr_scheduler.LRScheduler ToLambdaLR(Optimizer optimizer) => lr_scheduler.LambdaLR(optimizer, step => At(step) / MaxLr);
}
