using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>
/// Trains a <see cref="RewardModel"/> on preference pairs with the Bradley-Terry loss, in <see cref="TrainerLoop{TExample}"/>'s
/// frame (AdamW, linear warmup then cosine decay, gradient clipping, a dispose scope per step, resumable checkpoints,
/// training mode with dropout off, unless the config says otherwise, during the run only). Each step runs the chosen
/// and the rejected sequences of its pairs as one batch.
/// </summary>
public sealed class RewardTrainer
{
    private const long PadTokenId = 0;  // any id: padded positions are masked out of the reward
    private readonly RewardModel model;
    private readonly RewardConfig config;

    public RewardTrainer(RewardModel model, RewardConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.ThrowIfInvalid();
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        this.config = config;
    }

    /// <summary>Trains on <paramref name="train"/>, then evaluates on <paramref name="eval"/>.</summary>
    public RewardTrainingResult Train(IReadOnlyList<PreferencePair> train, IReadOnlyList<PreferencePair>? eval = null,
        IProgress<TrainingStep>? progress = null, CancellationToken cancellationToken = default) =>
        Train(train, eval, progress, checkpoints: null, cancellationToken);

    /// <summary>
    /// Trains on <paramref name="train"/>, then evaluates on <paramref name="eval"/>. With <paramref name="checkpoints"/>,
    /// writes a resumable checkpoint every SaveSteps steps, and with its ResumeFrom, continues a run from one: the
    /// resumed run takes the same steps, on the same batches, to the same weights as one that never stopped.
    /// </summary>
    public RewardTrainingResult Train(IReadOnlyList<PreferencePair> train, IReadOnlyList<PreferencePair>? eval,
        IProgress<TrainingStep>? progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckPairs(train, nameof(train));
        if (eval is not null) CheckPairs(eval, nameof(eval));
        var usable = TrainerLoop.Usable(train, Fits, config.MaxLength, "pairs");
        var history = new TrainerLoop<PreferencePair>(config, model.TrainableParameters())
        {
            Forward = batch => Forward(batch.Examples),
            Train = () => model.Train(),
            Eval = () => model.Train(false),
            DisableDropout = model.Backbone.DisableDropout,
            SaveModel = model.SavePretrained,
            LoadModel = model.LoadWeights,
        }.Run(usable, progress, checkpoints, cancellationToken);

        var evalMetrics = eval is { Count: > 0 } ? Evaluate(eval.Where(Fits).ToList()) : new Dictionary<string, double>();
        return new RewardTrainingResult(history, evalMetrics, train.Count - usable.Count);
    }

    /// <summary>Optimizer steps that <see cref="Train"/> will take on these pairs (those that fit max_length).</summary>
    public long TotalSteps(IReadOnlyList<PreferencePair> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return config.TotalSteps(train.Count(Fits));
    }

    /// <summary>Loss and reward metrics over pairs, without gradients, in eval mode; keys prefixed "eval_".</summary>
    public Dictionary<string, double> Evaluate(IReadOnlyList<PreferencePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var sums = new Dictionary<string, double>();
        var wasTraining = model.Backbone.training;
        model.Train(false);
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < pairs.Count; start += config.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = pairs.Skip(start).Take(config.BatchSize).ToList();
                foreach (var (key, value) in Forward(batch).Metrics)
                    sums[key] = sums.GetValueOrDefault(key) + value * batch.Count;
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return sums.ToDictionary(kv => "eval_" + kv.Key, kv => kv.Value / Math.Max(1, pairs.Count));
    }

    private (Tensor Loss, Dictionary<string, double> Metrics) Forward(IReadOnlyList<PreferencePair> pairs)
    {
        var batch = PreferenceBatch.Collate(pairs, PadTokenId, model.Device);
        var rewards = model.Rewards(batch.InputIds, batch.AttentionMask);     // (2B)
        var chosen = rewards.narrow(0, 0, batch.Pairs);                       // (B)
        var rejected = rewards.narrow(0, batch.Pairs, batch.Pairs);           // (B)
        var loss = PreferenceLosses.BradleyTerry(chosen, rejected, config.UseMargin ? batch.Margins : null);
        using var noGrad = no_grad();
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = loss.item<float>(),
            ["rewards/chosen"] = chosen.mean().item<float>(),
            ["rewards/rejected"] = rejected.mean().item<float>(),
            ["rewards/accuracies"] = chosen.gt(rejected).to(ScalarType.Float32).mean().item<float>(),
            ["rewards/margins"] = (chosen - rejected).mean().item<float>(),
        };
        return (loss, metrics);
    }

    private bool Fits(PreferencePair pair) => pair.LongestSequence <= config.MaxLength;

    private static void CheckPairs(IReadOnlyList<PreferencePair> pairs, string name)
    {
        for (var i = 0; i < pairs.Count; i++)
        {
            var pair = pairs[i];
            if (pair.Prompt.Count + pair.Chosen.Count == 0 || pair.Chosen.Count == 0 || pair.Rejected.Count == 0)
                throw new ArgumentException($"{name}[{i}]: chosen and rejected responses need at least one token each", name);
            if (!double.IsFinite(pair.Margin) || pair.Margin < 0)
                throw new ArgumentException($"{name}[{i}]: margin must be finite and not negative, got {pair.Margin}", name);
        }
    }
}
