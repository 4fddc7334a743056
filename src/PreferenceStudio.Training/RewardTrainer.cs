using PreferenceStudio.Torch;
using PreferenceStudio.Torch.Optim;

namespace PreferenceStudio.Training;

/// <summary>
/// Trains a <see cref="RewardModel"/> on preference pairs with the Bradley-Terry loss: AdamW, linear warmup then
/// cosine decay, gradient clipping; every tensor of a step lives in that step's <see cref="DisposeScope"/>.
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

    public RewardTrainingResult Train(IReadOnlyList<PreferencePair> train, IReadOnlyList<PreferencePair>? eval = null,
        IProgress<TrainingStep>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckPairs(train, nameof(train));
        if (eval is not null) CheckPairs(eval, nameof(eval));
        var usable = train.Where(Fits).ToList();
        if (usable.Count == 0)
            throw new ArgumentException($"none of the {train.Count} training pairs fits max_length {config.MaxLength}", nameof(train));

        TorchRuntime.ManualSeed(config.Seed);
        var totalSteps = TotalSteps(train);
        var schedule = new WarmupCosineSchedule(config.LearningRate, (long)Math.Ceiling(config.WarmupRatio * totalSteps), totalSteps);
        var parameters = model.TrainableParameters();
        using var optimizer = new AdamW(parameters, config.LearningRate, weightDecay: config.WeightDecay);
        var history = new List<TrainingStep>((int)totalSteps);
        model.Train();

        var step = 0L;
        for (var epoch = 0; epoch < config.Epochs; epoch++)
        {
            var order = Shuffled(usable.Count, (int)(config.Seed % int.MaxValue) + epoch);
            for (var start = 0; start < order.Length; start += config.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var pairs = order.Skip(start).Take(config.BatchSize).Select(i => usable[i]).ToList();
                using var scope = DisposeScope.Enter();
                optimizer.LearningRate = schedule.At(step);
                var (loss, metrics) = Forward(pairs);
                optimizer.ZeroGrad();
                loss.Backward();
                metrics["grad_norm"] = GradClip.ClipGradNorm(parameters, config.MaxGradNorm);
                optimizer.Step();
                metrics["learning_rate"] = optimizer.LearningRate;
                step++;
                var report = new TrainingStep(step, totalSteps, epoch + (double)Math.Min(start + config.BatchSize, order.Length) / order.Length, metrics);
                history.Add(report);
                progress?.Report(report);
            }
        }

        var evalMetrics = eval is { Count: > 0 } ? Evaluate(eval.Where(Fits).ToList()) : new Dictionary<string, double>();
        return new RewardTrainingResult(history, evalMetrics, train.Count - usable.Count);
    }

    /// <summary>Optimizer steps that <see cref="Train"/> will take on these pairs (those that fit max_length).</summary>
    public long TotalSteps(IReadOnlyList<PreferencePair> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var usable = train.Count(Fits);
        return (long)((usable + config.BatchSize - 1) / config.BatchSize) * config.Epochs;
    }

    /// <summary>Loss and reward metrics over pairs, without gradients, in eval mode; keys prefixed "eval_".</summary>
    public Dictionary<string, double> Evaluate(IReadOnlyList<PreferencePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var sums = new Dictionary<string, double>();
        model.Train(false);
        try
        {
            using var noGrad = TorchRuntime.NoGrad();
            for (var start = 0; start < pairs.Count; start += config.BatchSize)
            {
                using var scope = DisposeScope.Enter();
                var batch = pairs.Skip(start).Take(config.BatchSize).ToList();
                foreach (var (key, value) in Forward(batch).Metrics)
                    sums[key] = sums.GetValueOrDefault(key) + value * batch.Count;
            }
        }
        finally
        {
            model.Train();
        }
        return sums.ToDictionary(kv => "eval_" + kv.Key, kv => kv.Value / Math.Max(1, pairs.Count));
    }

    private (Tensor Loss, Dictionary<string, double> Metrics) Forward(IReadOnlyList<PreferencePair> pairs)
    {
        var batch = PreferenceBatch.Collate(pairs, PadTokenId, model.Device);
        var rewards = model.Rewards(batch.InputIds, batch.AttentionMask);     // (2B)
        var chosen = rewards.Narrow(0, 0, batch.Pairs);                       // (B)
        var rejected = rewards.Narrow(0, batch.Pairs, batch.Pairs);           // (B)
        var loss = PreferenceLosses.BradleyTerry(chosen, rejected, config.UseMargin ? batch.Margins : null);
        using var noGrad = TorchRuntime.NoGrad();
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = loss.Item(),
            ["rewards/chosen"] = chosen.Mean().Item(),
            ["rewards/rejected"] = rejected.Mean().Item(),
            ["rewards/accuracies"] = chosen.Gt(rejected).To(ScalarType.Float32).Mean().Item(),
            ["rewards/margins"] = (chosen - rejected).Mean().Item(),
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

    private static int[] Shuffled(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }
}
