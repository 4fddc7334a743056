namespace PreferenceStudio.Web.Training;

/// <summary>The metric keys the pages show: TRL's names, as the reward trainer reports them (held-out ones prefixed "eval_").</summary>
public static class MetricKeys
{
    public const string Loss = "loss";
    public const string EvalLoss = "eval_loss";
    public const string Accuracy = "rewards/accuracies";
    public const string EvalAccuracy = "eval_rewards/accuracies";

    /// <summary>Only these are read for a run's charts; the other series (margins, grad norm, ...) would only cost rows.</summary>
    public static readonly string[] Charted = [Loss, EvalLoss, Accuracy, EvalAccuracy];
}
