using PreferenceStudio.Models.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>
/// Trains a <see cref="RewardModel"/> on preference pairs with the Bradley-Terry loss: AdamW, linear warmup then
/// cosine decay (LambdaLR), gradient clipping; every tensor of a step lives in that step's dispose scope. Switches
/// the model to training mode (and its dropout off, unless the config says otherwise) and back to eval mode at the end.
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
        var usable = train.Where(Fits).ToList();
        if (usable.Count == 0)
            throw new ArgumentException($"none of the {train.Count} training pairs fits max_length {config.MaxLength}", nameof(train));

        manual_seed((long)config.Seed);
        var totalSteps = TotalSteps(train);
        var stepsPerEpoch = (usable.Count + config.BatchSize - 1) / config.BatchSize;
        var parameters = model.TrainableParameters();
        using var optimizer = TrainerOptimizer.AdamW(parameters, config.LearningRate, config.WeightDecay);
        var schedule = new WarmupCosineSchedule(config.LearningRate, (long)Math.Ceiling(config.WarmupRatio * totalSteps), totalSteps)
            .ToLambdaLR(optimizer);
        var history = new List<TrainingStep>((int)totalSteps);
        var step = 0L;
        if (checkpoints?.ResumeFrom is { } resumeFrom)
        {
            var state = RewardCheckpoint.Load(resumeFrom, model, optimizer);
            if (state.TotalSteps != totalSteps || state.Seed != config.Seed)
                throw new InvalidOperationException(
                    $"checkpoint {resumeFrom} is of a run with {state.TotalSteps} steps and seed {state.Seed}; this one has {totalSteps} steps and seed {config.Seed}");
            step = state.GlobalStep;
            history.AddRange(state.LogHistory);
            for (var s = 0; s < step; s++) schedule.step();
        }

        model.Train();
        if (config.DisableDropout) model.Backbone.DisableDropout();
        try
        {
            for (var epoch = (int)(step / stepsPerEpoch); epoch < config.Epochs; epoch++)
            {
                var order = TrainerOptimizer.EpochOrder(usable.Count, config.Seed, epoch);
                for (var batchIndex = (int)(step - (long)epoch * stepsPerEpoch); batchIndex < stepsPerEpoch; batchIndex++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var start = batchIndex * config.BatchSize;
                    var pairs = order.Skip(start).Take(config.BatchSize).Select(i => usable[i]).ToList();
                    var learningRate = optimizer.ParamGroups.First().LearningRate;
                    using (var scope = NewDisposeScope())
                    {
                        var (loss, metrics) = Forward(pairs);
                        optimizer.zero_grad();
                        loss.backward();
                        metrics["grad_norm"] = nn.utils.clip_grad_norm_(parameters, config.MaxGradNorm);
                        optimizer.step();
                        schedule.step();
                        metrics["learning_rate"] = learningRate;
                        step++;
                        var report = new TrainingStep(step, totalSteps, epoch + (double)Math.Min(start + config.BatchSize, order.Length) / order.Length, metrics);
                        history.Add(report);
                        progress?.Report(report);
                    }
                    if (checkpoints is not null && step % checkpoints.SaveSteps == 0 && step < totalSteps)
                        checkpoints.Save(step, folder => RewardCheckpoint.Save(folder, model, optimizer, new TrainerState(step, totalSteps, config.Seed, history)));
                }
            }
        }
        finally
        {
            model.Train(false);
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
