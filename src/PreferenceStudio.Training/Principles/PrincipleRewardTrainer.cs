using PreferenceStudio.Models.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Principles;

/// <summary>
/// Trains a <see cref="PrincipleRewardModel"/> on principle verdicts with weighted binary cross-entropy
/// (<see cref="PrincipleLoss"/>), as <see cref="RewardTrainer"/> trains a Bradley-Terry model: AdamW, linear warmup
/// then cosine decay (LambdaLR), gradient clipping, seeded example order, every tensor of a step in that step's
/// dispose scope, resumable checkpoints. Switches the model to training mode (dropout off unless the config says
/// otherwise) and back to eval mode at the end.
/// </summary>
public sealed class PrincipleRewardTrainer
{
    private const long PadTokenId = 0;  // any id: the score is read at the last real token, before any pad
    private readonly PrincipleRewardModel model;
    private readonly PrincipleRewardConfig config;

    public PrincipleRewardTrainer(PrincipleRewardModel model, PrincipleRewardConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.ThrowIfInvalid();
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        this.config = config;
    }

    public PrincipleTrainingResult Train(IReadOnlyList<PrincipleExample> train, IReadOnlyList<PrincipleExample>? eval = null,
        IProgress<TrainingStep>? progress = null, CancellationToken cancellationToken = default) =>
        Train(train, eval, progress, checkpoints: null, cancellationToken);

    /// <summary>
    /// Trains on <paramref name="train"/>, then evaluates on <paramref name="eval"/> (<see cref="Evaluate"/>). With
    /// <paramref name="checkpoints"/>, writes a resumable checkpoint every SaveSteps steps, and with its ResumeFrom
    /// continues a run from one, on the same batches, to the same weights as a run that never stopped.
    /// </summary>
    public PrincipleTrainingResult Train(IReadOnlyList<PrincipleExample> train, IReadOnlyList<PrincipleExample>? eval,
        IProgress<TrainingStep>? progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        Check(train, nameof(train));
        if (eval is not null) Check(eval, nameof(eval));
        var usable = train.Where(Fits).ToList();
        if (usable.Count == 0)
            throw new ArgumentException($"none of the {train.Count} training examples fits max_length {config.MaxLength}", nameof(train));

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
            var state = TrainerCheckpoint.Load(resumeFrom, model.LoadWeights, optimizer);
            if (state.TotalSteps != totalSteps || state.Seed != config.Seed)
                throw new InvalidOperationException(
                    $"checkpoint {resumeFrom} is of a run with {state.TotalSteps} steps and seed {state.Seed}; this one has {totalSteps} steps and seed {config.Seed}");
            step = state.GlobalStep;
            history.AddRange(state.LogHistory);
            for (var s = 0; s < step; s++) schedule.step();
        }

        model.train();
        if (config.DisableDropout) model.DisableDropout();
        try
        {
            for (var epoch = (int)(step / stepsPerEpoch); epoch < config.Epochs; epoch++)
            {
                var order = TrainerOptimizer.EpochOrder(usable.Count, config.Seed, epoch);
                for (var batchIndex = (int)(step - (long)epoch * stepsPerEpoch); batchIndex < stepsPerEpoch; batchIndex++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var start = batchIndex * config.BatchSize;
                    var examples = order.Skip(start).Take(config.BatchSize).Select(i => usable[i]).ToList();
                    var learningRate = optimizer.ParamGroups.First().LearningRate;
                    using (NewDisposeScope())
                    {
                        var (loss, logits, batch) = Forward(examples);
                        optimizer.zero_grad();
                        loss.backward();
                        var metrics = StepMetrics(loss, logits, batch);
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
                        checkpoints.Save(step, folder => TrainerCheckpoint.Save(folder, model.SavePretrained, optimizer, new TrainerState(step, totalSteps, config.Seed, history)));
                }
            }
        }
        finally
        {
            model.eval();
        }

        var evalMetrics = eval is { Count: > 0 } ? Evaluate(eval) : new Dictionary<string, double>();
        return new PrincipleTrainingResult(history, evalMetrics, train.Count - usable.Count);
    }

    /// <summary>Optimizer steps that <see cref="Train"/> will take on these examples (those that fit max_length).</summary>
    public long TotalSteps(IReadOnlyList<PrincipleExample> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return (long)((train.Count(Fits) + config.BatchSize - 1) / config.BatchSize) * config.Epochs;
    }

    /// <summary><see cref="PrincipleMetrics"/> ("eval_" keys) over the examples that fit max_length, without
    /// gradients, in eval mode.</summary>
    public Dictionary<string, double> Evaluate(IReadOnlyList<PrincipleExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var usable = examples.Where(Fits).ToList();
        var metrics = new PrincipleMetrics();
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < usable.Count; start += config.BatchSize)
            {
                using var scope = NewDisposeScope();
                var part = usable.Skip(start).Take(config.BatchSize).ToList();
                var batch = PrincipleBatch.Collate(part, PadTokenId, model.Device);
                var logits = model.Logits(batch.InputIds, batch.AttentionMask);
                var losses = nn.functional.binary_cross_entropy_with_logits(logits, batch.Targets, reduction: nn.Reduction.None);
                var z = logits.cpu().data<float>().ToArray();
                var l = losses.cpu().data<float>().ToArray();
                for (var i = 0; i < part.Count; i++)
                    metrics.Add(part[i].Principle, z[i], part[i].Satisfied, part[i].Weight, l[i]);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return metrics.ToDictionary("eval_");
    }

    private (Tensor Loss, Tensor Logits, PrincipleBatch Batch) Forward(IReadOnlyList<PrincipleExample> examples)
    {
        var batch = PrincipleBatch.Collate(examples, PadTokenId, model.Device);
        var logits = model.Logits(batch.InputIds, batch.AttentionMask);            // (B)
        return (PrincipleLoss.BinaryCrossEntropy(logits, batch.Targets, batch.Weights), logits, batch);
    }

    /// <summary>The step's loss, and its batch's accuracy and mean p(yes), from the forward pass already taken.</summary>
    private static Dictionary<string, double> StepMetrics(Tensor loss, Tensor logits, PrincipleBatch batch)
    {
        using var noGrad = no_grad();
        return new Dictionary<string, double>
        {
            ["loss"] = loss.item<float>(),
            ["accuracy"] = logits.ge(0).to(ScalarType.Float32).eq(batch.Targets).to(ScalarType.Float32).mean().item<float>(),
            ["mean_p"] = logits.sigmoid().mean().item<float>(),
        };
    }

    private bool Fits(PrincipleExample example) => example.InputIds.Count <= config.MaxLength;

    private static void Check(IReadOnlyList<PrincipleExample> examples, string name)
    {
        for (var i = 0; i < examples.Count; i++)
        {
            var example = examples[i] ?? throw new ArgumentException($"{name}[{i}] is null", name);
            if (example.InputIds is not { Count: > 0 })
                throw new ArgumentException($"{name}[{i}]: an example needs at least one token", name);
            if (string.IsNullOrWhiteSpace(example.Principle))
                throw new ArgumentException($"{name}[{i}]: an example names its principle", name);
            if (!(example.Weight > 0) || !double.IsFinite(example.Weight))
                throw new ArgumentException($"{name}[{i}]: weight must be a positive number, got {example.Weight}", name);
        }
    }
}

/// <summary>A finished principle-model run: every step's metrics, the held-out metrics ("eval_" keys) and the
/// examples left out for being longer than max_length.</summary>
public sealed record PrincipleTrainingResult(IReadOnlyList<TrainingStep> History, IReadOnlyDictionary<string, double> Eval, int SkippedTooLong);
